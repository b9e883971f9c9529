// What a leak check costs inside a test worker, next to the same checks in a bare Node process.
//   node bench/in-worker/run.mjs [--runs 1] [--only bare,vitest-node,vitest-jsdom,jest]
//                                [--later 4] [--realistic 2] [--first session|realistic] [--test-timeout 120000]
//                                [--jsdom 29.1.1] [--json out.json] [--keep]
//
// The packages as a user gets them: `npm pack` of @leakproof/core, @leakproof/vitest and
// @leakproof/jest, installed from the tarballs into a fresh project under the OS temp directory
// together with the framework versions the repository already uses (Vitest from package-lock.json,
// Jest 30 and its companions from test/jest/versions/30) and jsdom for Vitest's jsdom environment
// (the way test/packaging/pack.test.ts does it; its helpers are imported from
// test/packaging/helpers.ts). Then, once per run, each environment in a fresh process:
//   bare          `node bare.mjs`: measureLeak on the clean subject (first check, then --later
//                 more), on a second, realistic clean subject (--realistic checks), then on a leaky
//                 subject, with its explanation;
//   vitest-node   `vitest run`, node environment, the plugin (leakproof() from
//                 @leakproof/vitest/plugin): one test per check, the clean ones through measureLeak
//                 from @leakproof/core (for the engine's report), the leaky one through
//                 `await expect(leaky).not.toLeak()`, which must fail with the leak report;
//   vitest-jsdom  the same file in Vitest's jsdom environment;
//   jest          Jest 30, setupFilesAfterEnv: ['@leakproof/jest/setup'], the same tests in
//                 CommonJS, in a Jest worker (two test files, --maxWorkers=2: not in band).
// Every check is timed inside the process that runs it (performance.now() around the await), not
// from the CLI's wall time; rows go to a JSON-lines file per run and environment.
// Order of the environments is rotated from run to run; each run's ratios are taken within the run
// and the table shows medians over the runs.
//
// Needs the packages built (npx turbo run build; `npm run bench:in-worker` does it) and the npm
// registry or npm's cache. No other network access.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { loadavg, tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { checkList, leakClass, leakReportPattern, projectFiles } from './project.mjs'

const benchStarted = performance.now()
const here = dirname(fileURLToPath(import.meta.url))
const repoRoot = resolve(here, '../..')

const allEnvironments = ['bare', 'vitest-node', 'vitest-jsdom', 'jest']

function fail(message) {
  process.stderr.write(`\nbench/in-worker: ${message}\n`)
  process.exit(1)
}

let values
try {
  ;({ values } = parseArgs({
    options: {
      runs: { type: 'string', default: '1' },
      only: { type: 'string', default: allEnvironments.join(',') },
      later: { type: 'string', default: '4' },
      realistic: { type: 'string', default: '2' },
      first: { type: 'string', default: 'session' },
      'test-timeout': { type: 'string', default: '120000' },
      jsdom: { type: 'string', default: '29.1.1' },
      json: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }))
} catch (error) {
  fail(`${error.message}\nUsage: node bench/in-worker/run.mjs [--runs N] [--only ${allEnvironments.join(',')}] [--later 4] [--realistic 2] [--first session|realistic] [--test-timeout 120000] [--jsdom 29.1.1] [--json file] [--keep]`)
}
if (values.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport ')[0])
  process.exit(0)
}
const positiveInt = (name, min = 1) => {
  const n = Number(values[name])
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer ≥ ${min}, got ${values[name]}`)
  return n
}
const runs = positiveInt('runs')
const later = positiveInt('later')
const realistic = positiveInt('realistic', 0)
const first = values.first
if (first !== 'session' && first !== 'realistic') fail(`--first must be session or realistic, got ${first}`)
const testTimeoutMs = positiveInt('test-timeout', 1000)
// The engine's own watchdog (default 60 s) sits a little under the framework's test timeout, so a
// slow check is measured to the end instead of being cut off at 60 s.
const checkTimeoutMs = Math.max(1000, testTimeoutMs - 10_000)
const only = values.only.split(',').map((s) => s.trim()).filter(Boolean)
for (const name of only) if (!allEnvironments.includes(name)) fail(`--only: unknown environment "${name}" (known: ${allEnvironments.join(', ')})`)
const environments = allEnvironments.filter((e) => only.includes(e))
if (!environments.length) fail('--only selected no environment')
const needVitest = environments.some((e) => e.startsWith('vitest'))
const needJsdom = environments.includes('vitest-jsdom')
const needJest = environments.includes('jest')

// ------------------------------------------------------------------------------------------------
// test/packaging/helpers.ts, imported: it is TypeScript and Node 20 cannot strip types, so it is
// transpiled (typescript, a root devDependency) and loaded from a data: URL with its own file URL
// in place of import.meta.url (its repoRoot is computed from it).

async function importTypeScript(path) {
  let ts
  try {
    ts = createRequire(join(repoRoot, 'package.json'))('typescript')
  } catch {
    fail('typescript is not installed in the repository: run npm install first')
  }
  const { outputText } = ts.transpileModule(readFileSync(path, 'utf8'), {
    fileName: path,
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
  })
  const relative = /\bfrom\s+['"](\.{1,2}\/[^'"]*)['"]/.exec(outputText)
  if (relative) fail(`${path} now imports ${relative[1]}: a data: URL cannot load relative imports; load it another way`)
  const code = outputText.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href))
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)
}

const helpersPath = join(repoRoot, 'test', 'packaging', 'helpers.ts')
const { checkBuilt, describeRun, listStatuses, manifest, npm, readJson, run, testStatuses } = await importTypeScript(helpersPath)

// ------------------------------------------------------------------------------------------------
// Clean-up: the temporary project, and the process groups of the children still running (run()
// starts each command in its own group) when this script is interrupted.

let work
function killChildGroups() {
  let entries = []
  try {
    entries = readdirSync('/proc')
  } catch {
    return // not Linux: run() still kills each group when its command ends or times out
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue
    let stat
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8')
    } catch {
      continue
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ppid = Number(fields[1])
    const pgid = Number(fields[2])
    // Our own children that lead their own group: the commands run() started.
    if (ppid === process.pid && pgid === Number(name)) {
      try {
        process.kill(-pgid, 'SIGKILL')
      } catch {
        // gone
      }
    }
  }
}
function removeWork() {
  if (!work || !existsSync(work)) return
  if (values.keep) {
    process.stderr.write(`bench/in-worker: kept ${work}\n`)
    return
  }
  rmSync(work, { recursive: true, force: true })
}
process.on('exit', removeWork)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    process.stderr.write(`\nbench/in-worker: ${signal}, stopping\n`)
    killChildGroups()
    process.exit(130)
  })
}

// ------------------------------------------------------------------------------------------------
// Setup: pack, write the project, install.

const log = (line) => process.stderr.write(`${line}\n`)
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`
const load1 = () => loadavg()[0]

try {
  checkBuilt()
} catch (error) {
  fail(error.message)
}

const lock = readJson(join(repoRoot, 'package-lock.json'))
const vitestVersion = lock.packages?.['node_modules/vitest']?.version
if (!vitestVersion) fail('package-lock.json has no node_modules/vitest entry: cannot tell which Vitest the repository uses')
const jest30 = readJson(join(repoRoot, 'test', 'jest', 'versions', '30', 'package.json')).devDependencies ?? {}
for (const name of ['jest', '@jest/globals', 'expect', 'jest-environment-node']) {
  if (needJest && !jest30[name]) fail(`test/jest/versions/30/package.json has no devDependency ${name}`)
}

const loadAtStart = loadavg()
work = mkdtempSync(join(tmpdir(), 'leakproof-bench-in-worker-'))
const tarballs = join(work, 'tarballs')
const project = join(work, 'project')
const outDir = join(work, 'out')
mkdirSync(tarballs)
mkdirSync(project)
mkdirSync(outDir)
log(`bench/in-worker: Node ${process.version}, load average ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}, work dir ${work}`)

const packDirs = ['core', ...(needVitest ? ['vitest'] : []), ...(needJest ? ['jest'] : [])]
const dependencies = {}
const setupStarted = performance.now()
for (const dir of packDirs) {
  const result = await run(npm, ['pack', '--json', '--pack-destination', tarballs, '--workspaces=false', '--loglevel=error'], {
    cwd: join(repoRoot, 'packages', dir),
    timeoutMs: 120_000,
  }).catch((error) => fail(`npm pack in packages/${dir} failed: ${error.message}`))
  if (result.code !== 0) fail(describeRun(`npm pack in packages/${dir}`, result))
  let info
  try {
    ;[info] = JSON.parse(result.stdout)
  } catch {
    fail(describeRun(`npm pack in packages/${dir} printed no JSON`, result))
  }
  dependencies[manifest(dir).name] = `file:${join(tarballs, info.filename)}`
}
const devDependencies = {
  ...dependencies,
  ...(needVitest ? { vitest: vitestVersion } : {}),
  ...(needJsdom ? { jsdom: values.jsdom } : {}),
  ...(needJest
    ? { jest: jest30.jest, '@jest/globals': jest30['@jest/globals'], expect: jest30.expect, 'jest-environment-node': jest30['jest-environment-node'] }
    : {}),
}
writeFileSync(
  join(project, 'package.json'),
  JSON.stringify({ name: 'leakproof-bench-in-worker', private: true, version: '0.0.0', devDependencies }, null, 2),
)
for (const [name, text] of Object.entries(projectFiles({ later, realistic, first, checkTimeoutMs, testTimeoutMs }))) {
  mkdirSync(dirname(join(project, name)), { recursive: true })
  writeFileSync(join(project, name), text)
}
log(`installing ${Object.entries(devDependencies).map(([k, v]) => (v.startsWith('file:') ? `${k} (${basename(v)})` : `${k}@${v}`)).join(', ')}`)
const install = await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', '--workspaces=false'], {
  cwd: project,
  timeoutMs: 600_000,
}).catch((error) => fail(`npm install in the temporary project failed: ${error.message}`))
if (install.code !== 0) {
  const hint = needJsdom && /jsdom|EBADENGINE|engine/i.test(install.output) ? `\n(jsdom ${values.jsdom}: pick a version whose "engines" accepts Node ${process.version} with --jsdom, or leave vitest-jsdom out with --only)` : ''
  fail(describeRun('npm install of the tarballs and frameworks', install) + hint)
}
// The packages must be the tarballs, not links into the repository, and the frameworks the pinned ones.
const installed = {}
for (const name of Object.keys(devDependencies)) {
  const dir = join(project, 'node_modules', ...name.split('/'))
  if (!existsSync(join(dir, 'package.json'))) fail(`${name} is missing from the temporary project after npm install`)
  if (lstatSync(dir).isSymbolicLink()) fail(`${name} was installed as a symlink, not from its tarball`)
  installed[name] = readJson(join(dir, 'package.json')).version
  if (!devDependencies[name].startsWith('file:') && installed[name] !== devDependencies[name]) {
    fail(`${name}: installed ${installed[name]}, wanted ${devDependencies[name]}`)
  }
}
const setupMs = performance.now() - setupStarted
log(`setup (pack + install) ${secs(setupMs)}`)

const vitestCli = join(project, 'node_modules', 'vitest', 'vitest.mjs')
const jestBin = (() => {
  if (!needJest) return ''
  const pkg = readJson(join(project, 'node_modules', 'jest', 'package.json'))
  return join(project, 'node_modules', 'jest', typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.jest)
})()

// ------------------------------------------------------------------------------------------------
// One environment, one fresh process tree.

const checks = checkList({ later, realistic, first })
const cleanTitles = checks.filter((c) => c.role !== 'leaky').map((c) => c.title)
const leakyTitle = checks.find((c) => c.role === 'leaky').title
// Worst case: every check runs into its test timeout; plus start-up.
const cliTimeoutMs = checks.length * testTimeoutMs + 180_000

function readRows(path) {
  if (!existsSync(path)) return []
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line))
}

async function runEnvironment(env, runIndex) {
  const tag = `${env}-run${runIndex + 1}`
  const resultPath = join(outDir, `${tag}.jsonl`)
  const frameworkJson = join(outDir, `${tag}.framework.json`)
  const leakproofJson = join(outDir, `${tag}.leakproof.json`)
  const extraEnv = { BENCH_RESULT: resultPath, BENCH_FRAMEWORK_JSON: frameworkJson, BENCH_LEAKPROOF_REPORT: leakproofJson }
  let args
  let entry
  if (env === 'bare') {
    entry = join(project, 'bare.mjs')
    args = [entry]
  } else if (env.startsWith('vitest')) {
    entry = vitestCli
    args = [vitestCli, 'run', '--config', `vitest.${env.slice('vitest-'.length)}.config.mjs`]
  } else {
    entry = jestBin
    // A fresh cache directory every run: with timings from an earlier run Jest may run in band.
    args = [jestBin, '--ci', '--no-watchman', '--maxWorkers=2', '--cacheDirectory', join(outDir, `${tag}.jest-cache`), '--json', '--outputFile', frameworkJson]
  }
  const result = { env, run: runIndex + 1, loadBefore: load1(), problems: [] }
  let output
  try {
    output = await run(process.execPath, args, { cwd: project, env: extraEnv, timeoutMs: cliTimeoutMs })
  } catch (error) {
    result.problems.push(`did not finish: ${String(error.message).slice(0, 3000)}`)
  }
  result.loadAfter = load1()
  const rows = readRows(resultPath)
  result.info = rows.find((r) => r.type === 'info')
  result.rows = rows.filter((r) => r.type === 'check')
  if (output) {
    result.wallMs = output.durationMs
    result.exitCode = output.code
    const expectedCode = env === 'bare' ? 0 : 1 // the leaky test fails the framework run
    const statuses = env === 'bare' ? new Map() : testStatuses(frameworkJson)
    const why = () => describeRun(`${env} (run ${runIndex + 1})`, output, env === 'bare' ? '' : listStatuses(statuses))
    if (output.code !== expectedCode) result.problems.push(`exit code ${output.code}, expected ${expectedCode}\n${why()}`)
    if (env !== 'bare') {
      const find = (title) => [...statuses].find(([name]) => name === title || name.endsWith(` > ${title}`))?.[1]
      for (const title of cleanTitles) {
        const status = find(title)?.status
        if (status !== 'passed') result.problems.push(`"${title}": ${status ?? 'not reported'}, expected passed${find(title)?.failure ? `\n${find(title).failure.slice(0, 2000)}` : ''}`)
      }
      const leaky = find(leakyTitle)
      result.leakyStatus = leaky?.status ?? 'not reported'
      result.leakyFailureCarriesReport = Boolean(leaky && leakReportPattern.test(leaky.failure) && leaky.failure.includes(leakClass))
      if (leaky?.status !== 'failed') result.problems.push(`leaky test ${result.leakyStatus}, expected failed (leak not detected?)`)
      else if (!result.leakyFailureCarriesReport) result.problems.push(`the leaky test failed without the leak report (want ${leakReportPattern} and ${leakClass}):\n${leaky.failure.slice(0, 3000)}`)
      // The engine's report of the matcher's check, from the leakproof reporter's run report.
      if (existsSync(leakproofJson)) {
        try {
          const report = readJson(leakproofJson)
          const record = report.tests?.find((t) => t.source === 'matcher' && String(t.name).endsWith(leakyTitle))
          if (record?.report) {
            result.leakyEngine = {
              verdict: record.verdict,
              durationMs: record.report.durationMs,
              forced: record.report.gc?.forced,
              stages: (record.report.decision ?? []).map((d) => `${d.stage}:${d.outcome}`),
            }
          }
        } catch (error) {
          result.problems.push(`unreadable leakproof run report ${leakproofJson}: ${error.message}`)
        }
      }
      if (result.info) {
        result.inWorker = resolve(result.info.argv1) !== resolve(entry)
        if (!result.inWorker) result.problems.push(`the checks ran in the CLI's own process (${result.info.argv1}), not in a worker`)
      }
    }
  }
  for (const check of checks) {
    if (!result.rows.some((r) => r.id === check.id)) result.problems.push(`no timing recorded for "${check.title}"`)
  }
  for (const row of result.rows) {
    if (row.error) result.problems.push(`"${row.title}" threw: ${row.error.split('\n').slice(0, 6).join('\n')}`)
    if (row.role !== 'leaky' && row.report?.leaked) result.problems.push(`"${row.title}": clean subject reported as a leak (false positive)`)
  }
  if (env === 'bare') {
    const leakyRow = result.rows.find((r) => r.role === 'leaky')
    if (leakyRow?.report && !leakyRow.report.leaked) result.problems.push('bare: the leaky subject was not detected')
    if (leakyRow?.report?.leaked && !leakyRow.explanation?.summaryNamesType) result.problems.push(`bare: the leak report does not name ${leakClass}`)
  } else {
    const leakyRow = result.rows.find((r) => r.role === 'leaky')
    if (leakyRow && !leakyRow.failed) result.problems.push('.not.toLeak() passed for the leaky subject inside the test')
  }
  return result
}

// ------------------------------------------------------------------------------------------------
// Per-run figures, then medians over runs.

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b)
  if (!s.length) return NaN
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

function figures(result) {
  const of = (role) => result.rows.filter((r) => r.role === role && !r.error)
  const first = of('first')[0]
  const laterRows = of('later')
  const leaky = result.rows.find((r) => r.role === 'leaky')
  const clean = result.rows.filter((r) => r.role !== 'leaky' && r.report)
  return {
    firstMs: first?.ms,
    laterMs: median(laterRows.map((r) => r.ms)),
    realisticMs: median(of('realistic').map((r) => r.ms)),
    realisticAll: of('realistic').map((r) => r.ms),
    leakyMs: leaky?.ms,
    forcedFirst: first?.report?.forced,
    firstStages: first?.report?.stages?.map((s) => `${s.stage}:${s.outcome}`),
    forcedLater: median(laterRows.map((r) => r.report?.forced)),
    gcMsLater: median(laterRows.map((r) => r.report?.gcTimeMs)),
    engineFirstMs: first?.report?.durationMs,
    cleanOk: clean.filter((r) => !r.report.leaked).length,
    cleanTotal: clean.length,
    cleanConfirmed: clean.filter((r) => r.report.stages?.some((s) => s.stage === 'confirm')).length,
    gcMode: first?.report?.gcMode,
    leakyDetected:
      result.env === 'bare' ? Boolean(leaky?.report?.leaked && leaky.explanation?.summaryNamesType) : Boolean(leaky?.failed && result.leakyFailureCarriesReport),
    leakyForced: result.env === 'bare' ? leaky?.report?.forced : result.leakyEngine?.forced,
    leakyStages: result.env === 'bare' ? leaky?.report?.stages?.map((s) => `${s.stage}:${s.outcome}`) : result.leakyEngine?.stages,
  }
}

// ------------------------------------------------------------------------------------------------

const results = []
for (let r = 0; r < runs; r++) {
  // Rotate the order so that no environment always runs first (or last) in a run.
  const order = environments.map((_, i) => environments[(i + r) % environments.length])
  for (const env of order) {
    log(`[run ${r + 1}/${runs}] ${env}: starting (load ${load1().toFixed(2)})`)
    const result = await runEnvironment(env, r)
    result.figures = figures(result)
    results.push(result)
    const f = result.figures
    log(
      `[run ${r + 1}/${runs}] ${env}: first ${fmtMs(f.firstMs)} ms, later median ${fmtMs(f.laterMs)} ms, leaky ${fmtMs(f.leakyMs)} ms` +
        `${result.wallMs ? `, CLI wall ${secs(result.wallMs)}` : ''}, load ${result.loadAfter.toFixed(2)}` +
        (result.problems.length ? `\n  !! ${result.problems.length} problem(s):\n  ${result.problems.join('\n  ').slice(0, 6000)}` : ''),
    )
  }
}
const loadAtEnd = loadavg()
const cleanupStarted = performance.now()
removeWork() // before the total: removing node_modules of the temporary project takes seconds
const cleanupMs = performance.now() - cleanupStarted
const totalMs = performance.now() - benchStarted

function fmtMs(x) {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(0) : '-'
}
function fmtRatio(x) {
  return typeof x === 'number' && Number.isFinite(x) ? `${x.toFixed(2)}×` : '-'
}
function fmtNum(x, digits = 0) {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '-'
}

const byRunEnv = (r, env) => results.find((x) => x.run === r && x.env === env)
const names = { bare: 'bare Node', 'vitest-node': `Vitest ${installed.vitest ?? ''} worker, node`, 'vitest-jsdom': `Vitest ${installed.vitest ?? ''} worker, jsdom ${installed.jsdom ?? ''}`, jest: `Jest ${installed.jest ?? ''} worker` }

const lines = []
const out = (line = '') => lines.push(line)
out()
out(
  `Node ${process.version}, ${runs} run${runs === 1 ? '' : 's'} (fresh processes), per environment: 1 first + ${later} later clean ${first === 'realistic' ? 'realistic' : 'Session'} checks, ` +
    `${realistic} realistic clean check${realistic === 1 ? '' : 's'}, 1 leaky check; default engine options (watchdog ${checkTimeoutMs / 1000} s, test timeout ${testTimeoutMs / 1000} s). ` +
    `Times measured inside the process that ran the check.`,
)
out(`1-min load average: ${loadAtStart[0].toFixed(2)} at start, ${loadAtEnd[0].toFixed(2)} at end (5-min ${loadAtStart[1].toFixed(2)} → ${loadAtEnd[1].toFixed(2)}). Total ${secs(totalMs)} (setup ${secs(setupMs)}, removing the temporary project ${secs(cleanupMs)}).`)
out()
out('| environment | first clean check ms | median later clean check ms | first / later | later / bare later | first / bare first | leaky check ms | forced GCs per clean check (first / later) |')
out('|---|---|---|---|---|---|---|---|')
for (const env of environments) {
  const mine = results.filter((x) => x.env === env)
  const per = mine.map((x) => {
    const f = x.figures
    const bare = byRunEnv(x.run, 'bare')?.figures
    return { ...f, firstLater: f.firstMs / f.laterMs, laterBare: bare ? f.laterMs / bare.laterMs : NaN, firstBare: bare ? f.firstMs / bare.firstMs : NaN }
  })
  const m = (key) => median(per.map((p) => p[key]))
  out(
    `| ${names[env]} | ${fmtMs(m('firstMs'))} | ${fmtMs(m('laterMs'))} | ${fmtRatio(m('firstLater'))} | ${fmtRatio(m('laterBare'))} | ${fmtRatio(m('firstBare'))} | ${fmtMs(m('leakyMs'))} | ${fmtNum(m('forcedFirst'))} / ${fmtNum(m('forcedLater'))} |`,
  )
}
out()
out('Details (medians over runs where numeric):')
out()
out('| environment | checks ran in | GC forced via | first clean check: stages (runs) | realistic clean check ms, median (min–max) | clean verdicts clean | clean checks that took heap snapshots | GC ms per later check | engine durationMs of first check | leak detected, failure carries report | leaky check: forced GCs, stages | CLI wall s | 1-min load, before → after | problems |')
out('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
for (const env of environments) {
  const mine = results.filter((x) => x.env === env)
  const fs = mine.map((x) => x.figures)
  const m = (key) => median(fs.map((f) => f[key]))
  const where =
    env === 'bare'
      ? 'node bare.mjs'
      : mine
          .map((x) => (x.info ? `${x.inWorker ? 'worker' : 'CLI process'}: ${basename(x.info.argv1)}${x.info.execArgv?.includes('--expose-gc') ? ', --expose-gc' : ''}` : '?'))
          .filter((v, i, a) => a.indexOf(v) === i)
          .join('; ')
  const sum = (key) => fs.reduce((a, f) => a + (f[key] ?? 0), 0)
  const stages = [...new Set(fs.map((f) => (f.leakyStages ?? []).join(' → ')).filter(Boolean))].join('; ') || '-'
  const firstStages = new Map()
  for (const f of fs) {
    const key = (f.firstStages ?? []).join(' → ') || '-'
    firstStages.set(key, (firstStages.get(key) ?? 0) + 1)
  }
  const firstCell = [...firstStages].map(([k, n]) => `${k} (${n})`).join('; ')
  const realisticAll = fs.flatMap((f) => f.realisticAll)
  const realisticCell = realisticAll.length ? `${fmtMs(m('realisticMs'))} (${fmtMs(Math.min(...realisticAll))}–${fmtMs(Math.max(...realisticAll))})` : '-'
  const loads = mine.map((x) => `${x.loadBefore.toFixed(1)} → ${x.loadAfter.toFixed(1)}`).join('; ')
  out(
    `| ${names[env]} | ${where} | ${[...new Set(fs.map((f) => f.gcMode).filter(Boolean))].join(', ') || '-'} | ${firstCell} | ${realisticCell} | ${sum('cleanOk')}/${sum('cleanTotal')} | ${sum('cleanConfirmed')}/${sum('cleanTotal')} | ${fmtMs(m('gcMsLater'))} | ${fmtMs(m('engineFirstMs'))} | ${fs.filter((f) => f.leakyDetected).length}/${fs.length} | ${fmtNum(m('leakyForced'))}, ${stages} | ${fmtNum(median(mine.map((x) => x.wallMs / 1000)), 1)} | ${loads} | ${mine.reduce((a, x) => a + x.problems.length, 0)} |`,
  )
}
const bareLeaky = results.find((x) => x.env === 'bare')?.rows.find((r) => r.role === 'leaky')
if (bareLeaky?.explanation) {
  out()
  out(
    `Bare leaky check's explanation (run 1): retained types ${bareLeaky.explanation.retainedTypes.join(', ') || '-'}, ${bareLeaky.explanation.retainerPaths} retainer path(s), ${bareLeaky.explanation.allocationSites} allocation site(s):`,
  )
  out('```')
  out(bareLeaky.explanation.summaryHead)
  out('```')
}
const problems = results.filter((x) => x.problems.length)
if (problems.length) {
  out()
  out('Problems:')
  for (const x of problems) for (const p of x.problems) out(`- ${x.env} run ${x.run}: ${p.split('\n')[0]}`)
}
console.log(lines.join('\n'))

if (values.json) {
  const path = resolve(values.json)
  writeFileSync(
    path,
    JSON.stringify(
      { node: process.version, installed, runs, later, realistic, testTimeoutMs, checkTimeoutMs, loadAtStart, loadAtEnd, totalMs, results },
      null,
      2,
    ),
  )
  log(`raw results: ${path}`)
}
if (problems.length) {
  for (const x of problems) {
    log(`\n---- ${x.env} run ${x.run}: ${x.problems.length} problem(s)`)
    for (const p of x.problems) log(p.slice(0, 8000))
  }
  process.exitCode = 1
}
