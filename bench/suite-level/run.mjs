// Suite-level mode on a real open-source Jest suite: time against the plain suite and against
// `jest --detectLeaks`, side by side in one run, and the files each flags.
//
//   node bench/suite-level/run.mjs [--runs 3] [--workers 2] [--dir <work dir>] [--json out.jsonl]
//
// The suite: apollo-cache-inmemory@1.6.6 (Apollo Client 2's cache), whose npm tarball ships its
// Jest tests compiled to JavaScript (lib/__tests__/*.js: 9 files, 427 tests). Set up by this
// script in a work directory under the OS temp dir (not in the repository): `npm install` of the
// pinned versions below from the npm registry, then the package copied out of node_modules so that
// Jest sees its tests. leakproof is this repository's build (packages/jest/dist: run
// `npx turbo run build` first).
//
// Two variants of the suite, each run three ways (plain Jest, leakproof's suite environment +
// reporter, --detectLeaks), the order rotated from run to run:
//   apollo      the 9 files as published;
//   apollo+leak the same plus one file that starts an interval it never clears (its callback
//               keeps a cache of the file), to show what each tool says about a real leak.
// Every time is printed with the 1-minute load average at its start.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const here = dirname(fileURLToPath(import.meta.url))
const repoRoot = resolve(here, '../..')
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    workers: { type: 'string', default: '2' },
    dir: { type: 'string', default: join(tmpdir(), 'leakproof-suite-bench') },
    json: { type: 'string' },
  },
})
const runs = Number(values.runs)
const work = resolve(values.dir)

export const pinned = {
  'apollo-cache-inmemory': '1.6.6',
  graphql: '14.7.0',
  'graphql-tag': '2.12.6',
  lodash: '4.17.21',
  jest: '29.7.0',
}

const suiteEnv = join(repoRoot, 'packages/jest/dist/suite.cjs')
const reporter = join(repoRoot, 'packages/jest/dist/reporter.cjs')
if (!existsSync(suiteEnv)) throw new Error(`${suiteEnv} is missing: run npx turbo run build first`)

function setup() {
  mkdirSync(work, { recursive: true })
  const pkg = { name: 'leakproof-suite-bench', private: true, dependencies: pinned }
  const pkgPath = join(work, 'package.json')
  const wanted = JSON.stringify(pkg, null, 2)
  if (!existsSync(pkgPath) || readFileSync(pkgPath, 'utf8') !== wanted || !existsSync(join(work, 'node_modules/jest'))) {
    writeFileSync(pkgPath, wanted)
    process.stderr.write(`npm install in ${work}\n`)
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: work, stdio: 'inherit' })
  }
  for (const variant of ['apollo', 'apollo+leak']) {
    const dir = join(work, variant)
    rmSync(dir, { recursive: true, force: true })
    cpSync(join(work, 'node_modules/apollo-cache-inmemory'), dir, { recursive: true })
    rmSync(join(dir, 'jest.config.js'), { force: true }) // the monorepo's, pointing outside the package
    writeFileSync(join(dir, 'jest.config.cjs'), "module.exports = { testMatch: ['**/__tests__/*.js'], testEnvironment: 'node' }\n")
    if (variant === 'apollo+leak') {
      writeFileSync(
        join(dir, 'lib/__tests__/zz-sweeper.js'),
        `// Injected by bench/suite-level/run.mjs: a cache sweeper interval that is never cleared.
const { InMemoryCache } = require('../inMemoryCache')
const gql = require('graphql-tag').default
const cache = new InMemoryCache()
test('sweeps the cache in the background', () => {
  cache.writeQuery({ query: gql\`{ a }\`, data: { a: 1 } })
  const sweeper = setInterval(function sweepCache() { cache.gc() }, 60000)
  sweeper.unref()
  expect(cache.readQuery({ query: gql\`{ a }\` })).toEqual({ a: 1 })
})
`,
      )
    }
  }
}

const jestBin = () => join(work, 'node_modules/jest/bin/jest.js')

function runOnce(variant, mode) {
  const dir = join(work, variant)
  const out = join(dir, `results-${mode}.json`)
  const report = join(dir, 'leakproof-report.json')
  rmSync(out, { force: true })
  rmSync(report, { force: true })
  const args = [jestBin(), '--config', 'jest.config.cjs', '--ci', '--no-watchman', '--maxWorkers', values.workers, '--json', '--outputFile', out]
  if (mode === 'leakproof') args.push(`--testEnvironment=${suiteEnv}`, '--reporters=default', `--reporters=${reporter}`)
  if (mode === 'detectLeaks') args.push('--detectLeaks')
  const load = loadavg()[0]
  const started = performance.now()
  const child = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 })
  const ms = performance.now() - started
  let json
  try {
    json = JSON.parse(readFileSync(out, 'utf8'))
  } catch {
    json = undefined
  }
  const rel = (p) => p.slice(dir.length + 1)
  const flagged = []
  let holders = []
  if (mode === 'detectLeaks') {
    for (const r of json?.testResults ?? []) if (/leaking memory/.test(r.message ?? '')) flagged.push(rel(r.name))
  }
  if (mode === 'leakproof' && existsSync(report)) {
    const files = JSON.parse(readFileSync(report, 'utf8')).files ?? []
    for (const f of files) if (f.verdict === 'held') flagged.push(f.file)
    holders = files.filter((f) => f.verdict === 'held').map((f) => ({ file: f.file, holder: f.holder, path: f.retainerPath, retainedBytes: f.retainedBytes }))
    var checked = files.filter((f) => f.verdict !== 'unchecked').length
    var watched = files.length
  }
  return {
    variant,
    mode,
    ms,
    load,
    code: child.status,
    tests: json?.numTotalTests,
    passed: json?.numPassedTests,
    flagged,
    holders,
    ...(mode === 'leakproof' ? { watched, checked } : {}),
  }
}

setup()
// One untimed run per variant without --ci: writes the suite's snapshots (the package ships none)
// and fills Jest's transform cache, for every mode alike.
for (const variant of ['apollo', 'apollo+leak']) {
  spawnSync(process.execPath, [jestBin(), '--config', 'jest.config.cjs', '--no-watchman', '--maxWorkers', values.workers], { cwd: join(work, variant), encoding: 'utf8' })
}
const modes = ['plain', 'leakproof', 'detectLeaks']
const rows = []
for (let run = 0; run < runs; run++) {
  for (const variant of ['apollo', 'apollo+leak']) {
    const order = modes.map((_, i) => modes[(i + run) % modes.length])
    const byMode = {}
    for (const mode of order) {
      const row = runOnce(variant, mode)
      byMode[mode] = row
      rows.push({ run, ...row })
      process.stderr.write(`run ${run + 1} ${variant.padEnd(12)} ${mode.padEnd(11)} ${(row.ms / 1000).toFixed(1)} s (load ${row.load.toFixed(2)}) exit ${row.code}, ${row.passed}/${row.tests} passed, flagged ${row.flagged.length}\n`)
      if (values.json) appendFileSync(values.json, JSON.stringify({ run, ...row }) + '\n')
    }
    const plain = byMode.plain.ms
    process.stderr.write(
      `run ${run + 1} ${variant.padEnd(12)} ratios: leakproof ${(byMode.leakproof.ms / plain).toFixed(2)}×, --detectLeaks ${(byMode.detectLeaks.ms / plain).toFixed(2)}× the plain suite\n`,
    )
  }
}

// Summary: medians of the per-run ratios, and what each flagged (from the last run).
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
console.log('\n| suite | mode | time (s), each run with its 1-min load | × plain (median of runs) | files flagged |')
console.log('| --- | --- | --- | --- | --- |')
for (const variant of ['apollo', 'apollo+leak']) {
  for (const mode of modes) {
    const mine = rows.filter((r) => r.variant === variant && r.mode === mode)
    const ratios = mine.map((r) => r.ms / rows.find((p) => p.run === r.run && p.variant === variant && p.mode === 'plain').ms)
    const times = mine.map((r) => `${(r.ms / 1000).toFixed(1)} (${r.load.toFixed(1)})`).join(', ')
    const last = mine[mine.length - 1]
    console.log(`| ${variant} | ${mode} | ${times} | ${median(ratios).toFixed(2)} | ${last.flagged.length}${last.flagged.length ? `: ${last.flagged.join(', ')}` : ''} |`)
  }
}
const last = rows.filter((r) => r.mode === 'leakproof' && r.variant === 'apollo+leak').pop()
for (const h of last?.holders ?? []) console.log(`\nleakproof: ${h.file} held by (${h.holder}) ${h.path} — ${h.retainedBytes} B retained`)
