// Per-test mode overhead: the same generated suite of small, clean unit tests, run with the real
// Vitest and Jest CLIs plain and in per-test leak mode, alternating, in one run.
//   node bench/per-test-overhead.mjs [--runs 3] [--plain-runs runs+1] [--warmup 1] [--files 10]
//                                    [--tests 10] [--workers 2] [--framework both|vitest|jest]
//                                    [--planted | --sensitivity]
// The order is plain, per-test, plain, per-test, ..., plain: every per-test run sits between two
// plain runs (its ratio is to their mean). Warm-up runs are plain only (Vite's transforms, Jest's
// haste map and babel cache); a per-test run costs minutes, its cold caches cost a second or two.
//
// The suites are generated into bench/.cache/per-test/ (git-ignored) so that they resolve
// `vitest`, `@leakproof/vitest` and `@leakproof/jest` from the repository's node_modules, like the
// fixture projects of test/vitest and test/jest do. Vitest is the repository's own (root
// devDependency, Vitest 4); Jest is Jest 30 from the test/jest/versions/30 workspace, with its
// jest-circus and jest-environment-node pinned the way test/jest/helpers.ts pins them.
//
// Modes, identical apart from leakproof:
//   plain     Vitest: no plugin. Jest: testEnvironment jest-environment-node.
//   per-test  Vitest: leakproof({ eachTest: true, reporter }). Jest: testEnvironment
//             @leakproof/jest/environment + @leakproof/jest/reporter. Default engine options.
// Both modes get the same --maxWorkers; the reporters' JSON (one record per checked test, with the
// engine's report: GCs, calls, duration) is read back to say where the time goes.
//
// --planted replaces two tests, in two different files, by leaking ones (a visit kept in a
// module-level array of src/lib.js; a listener added to a module-level registry and never
// removed). Plain runs must still pass every test; a per-test run is ok when the CLI fails, the
// two planted tests and no other test have verdict leak, and each planted report names what the
// user wrote (an allocation site or retainer path in src/lib.js or the test file, or retained
// types). A table after the others says, per planted test, whether it was found and how explained.
//
// --sensitivity plants leaks of graded size instead, one leaking test in each of the first 7 files
// (fewer with fewer files), at a different position in each file, through functions of src/lib.js:
// a small object { id } kept in a module-level array every run, every 2, 4 and 8 runs (a module-level
// counter decides), a small integer pushed to a module-level array every run, a new 32-char string
// kept every run, a closure kept every run in a module-level Set (listener-like). Their titles say
// `(sens: <kind>)`; every other test (the remaining tests of those files and all tests of the other
// files) is clean. Plain runs must still pass every test; a per-test run is ok when no clean test
// has verdict leak (small leaks below the screen's threshold are expected to go unseen: that is the
// curve). A table per framework says, per kind, how often it was detected over the per-test runs and
// how long its deciding check took, and how many clean tests were flagged (false positives).
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { loadavg } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'plain-runs': { type: 'string' },
    warmup: { type: 'string', default: '1' },
    files: { type: 'string', default: '10' },
    tests: { type: 'string', default: '10' },
    workers: { type: 'string', default: '2' },
    framework: { type: 'string', default: 'both' },
    planted: { type: 'boolean', default: false },
    sensitivity: { type: 'boolean', default: false },
  },
})
const runs = Number(values.runs)
const plainRuns = Number(values['plain-runs'] ?? runs + 1)
const warmups = Number(values.warmup)
const fileCount = Number(values.files)
const testsPerFile = Number(values.tests)
const workers = Number(values.workers)
const frameworks = values.framework === 'both' ? ['vitest', 'jest'] : [values.framework]
const planted = values.planted
const sensitivity = values.sensitivity
if (planted && sensitivity) throw new Error('--planted and --sensitivity are exclusive')

const here = dirname(fileURLToPath(import.meta.url))
const repoRoot = join(here, '..')
const work = join(here, '.cache', 'per-test')
const outDir = join(work, 'out')

for (const pkg of ['core', 'vitest', 'jest']) {
  if (!existsSync(join(repoRoot, 'packages', pkg, 'dist'))) {
    throw new Error(`packages/${pkg}/dist is missing: build first (npx turbo run build)`)
  }
}

// ---------------------------------------------------------------------------------------------
// The suite: one small library module and `fileCount` test files of `testsPerFile` tests each.
// Test bodies are shared by both frameworks; only the imports differ (ESM for Vitest, CJS for Jest).

const library = `
function slugify(text) {
  return text.toLowerCase().trim().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
}
function capitalize(word) {
  return word.charAt(0).toUpperCase() + word.slice(1)
}
function chunk(list, size) {
  const out = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}
function groupBy(list, key) {
  const groups = {}
  for (const item of list) (groups[item[key]] ??= []).push(item)
  return groups
}
function deepMerge(target, source) {
  const out = { ...target }
  for (const [k, v] of Object.entries(source)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? deepMerge(out[k] ?? {}, v) : v
  }
  return out
}
class Cart {
  constructor(currency = 'EUR') {
    this.currency = currency
    this.items = new Map()
  }
  add(sku, price, quantity = 1) {
    const line = this.items.get(sku) ?? { sku, price, quantity: 0 }
    line.quantity += quantity
    this.items.set(sku, line)
    return this
  }
  remove(sku) {
    this.items.delete(sku)
    return this
  }
  get total() {
    let sum = 0
    for (const line of this.items.values()) sum += line.price * line.quantity
    return Math.round(sum * 100) / 100
  }
}
function parseConfig(text) {
  const raw = JSON.parse(text)
  return { name: raw.name ?? 'app', port: Number(raw.port ?? 3000), tags: [...new Set(raw.tags ?? [])] }
}
async function fetchUser(id) {
  await Promise.resolve()
  return { id, name: 'user-' + id, roles: id % 2 ? ['admin'] : ['reader'] }
}
async function nextTick(value) {
  await new Promise((resolve) => setImmediate(resolve))
  return value
}
`
const libraryNames = ['slugify', 'capitalize', 'chunk', 'groupBy', 'deepMerge', 'Cart', 'parseConfig', 'fetchUser', 'nextTick']

// --planted: two leaking functions in the library and two tests that call them, in two files.
const plantedLibrary = `
const visits = []
function rememberVisit(id) {
  const visit = { id, at: Date.now() }
  visits.push(visit)
  return visit
}
const listeners = new Set()
function subscribe(listener) {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
`
const plantedNames = ['rememberVisit', 'subscribe']
/** The planted tests: leak A (a visit kept per run), leak B (a listener added per run, never removed). */
const plantedKinds = [
  (n) => [`records a visit (planted leak) (${n})`, `const visit = rememberVisit(${n})\n    expect(visit.id).toBe(${n})\n    expect(visit.at).toBeGreaterThan(0)`],
  (n) => [`subscribes a listener and never unsubscribes (planted leak) (${n})`, `const session = { id: ${n}, events: [] }\n    const unsubscribe = subscribe((event) => session.events.push(event))\n    expect(typeof unsubscribe).toBe('function')\n    expect(session.events).toEqual([])`],
]
/** Where the planted tests go: file 1 test 3 and file 6 test 7 when they exist, else the nearest that do. */
const plantedAt = []
if (planted) {
  if (fileCount < 2) throw new Error(`--planted needs at least 2 files (the two planted leaks go into different files), got --files ${fileCount}`)
  if (testsPerFile < 1) throw new Error(`--planted needs at least 1 test per file, got --tests ${testsPerFile}`)
  const fileB = Math.min(6, fileCount - 1)
  const fileA = fileB === 1 ? 0 : 1
  plantedAt.push({ file: fileA, test: Math.min(3, testsPerFile - 1), kind: 0, leak: 'A: visit kept in a module-level array' })
  plantedAt.push({ file: fileB, test: Math.min(7, testsPerFile - 1), kind: 1, leak: 'B: listener added, never removed' })
  for (const p of plantedAt) {
    p.n = p.file * testsPerFile + p.test
    p.title = plantedKinds[p.kind](p.n)[0]
    p.fileName = `module-${String(p.file).padStart(2, '0')}.test.js`
    p.name = `module ${p.file} > ${p.title}`
  }
}
const plantedTest = (f, t) => plantedAt.find((p) => p.file === f && p.test === t)

// --sensitivity: leaks of graded size per test run, one leaking test per file.
const sensLibrary = `
const records = []
function keepRecord(id) {
  const record = { id }
  records.push(record)
  return record
}
let calls2 = 0
const records2 = []
function keepEvery2(id) {
  const record = { id }
  if (++calls2 % 2 === 0) records2.push(record)
  return record
}
let calls4 = 0
const records4 = []
function keepEvery4(id) {
  const record = { id }
  if (++calls4 % 4 === 0) records4.push(record)
  return record
}
let calls8 = 0
const records8 = []
function keepEvery8(id) {
  const record = { id }
  if (++calls8 % 8 === 0) records8.push(record)
  return record
}
const counts = []
function countVisit(id) {
  counts.push(id % 100)
  return counts.length
}
const tokens = []
function issueToken(id) {
  const token = ('token-' + id + '-').padEnd(32, 'abcdefgh').toUpperCase()
  tokens.push(token)
  return token
}
const handlers = new Set()
function onChange(id) {
  const handler = () => id
  handlers.add(handler)
  return handler
}
`
const sensNames = ['keepRecord', 'keepEvery2', 'keepEvery4', 'keepEvery8', 'countVisit', 'issueToken', 'onChange']
/**
 * The graded leaks, largest first among the objects. `bytes`: retained heap per test run, as measured
 * in a plain loop on Node 20 x64 (no pointer compression: 8-byte slots; an array slot grows the
 * backing store by 1.5x, so a slot costs 8-12 B): a `{ id }` is 32 B + its array slot, a Smi is its
 * array slot alone, a 32-char one-byte string 48 B + slot, a closure over `id` a JSFunction, its
 * context and a Set entry.
 */
const sensKinds = [
  { kind: 'object/run', bytes: '≈ 40', make: (n) => [`keeps a record (sens: object/run) (${n})`, `const record = keepRecord(${n})\n    expect(record.id).toBe(${n})`] },
  { kind: 'object/2 runs', bytes: '≈ 20', make: (n) => [`keeps every 2nd record (sens: object/2 runs) (${n})`, `const record = keepEvery2(${n})\n    expect(record.id).toBe(${n})`] },
  { kind: 'object/4 runs', bytes: '≈ 10', make: (n) => [`keeps every 4th record (sens: object/4 runs) (${n})`, `const record = keepEvery4(${n})\n    expect(record.id).toBe(${n})`] },
  { kind: 'object/8 runs', bytes: '≈ 5', make: (n) => [`keeps every 8th record (sens: object/8 runs) (${n})`, `const record = keepEvery8(${n})\n    expect(record.id).toBe(${n})`] },
  { kind: 'int/run', bytes: '≈ 8 (8–12)', make: (n) => [`counts a visit (sens: int/run) (${n})`, `const count = countVisit(${n})\n    expect(count).toBeGreaterThan(0)`] },
  { kind: 'string/run', bytes: '≈ 56', make: (n) => [`issues a token (sens: string/run) (${n})`, `const token = issueToken(${n})\n    expect(token).toHaveLength(32)\n    expect(token.startsWith('TOKEN-${n}-')).toBe(true)`] },
  { kind: 'closure/run', bytes: '≈ 128', make: (n) => [`registers a change handler (sens: closure/run) (${n})`, `const handler = onChange(${n})\n    expect(handler()).toBe(${n})`] },
]
/** Where the graded leaks go: kind k in file k, at test (3k + 1) mod tests (1, 4, 7, 0, 3, 6, 9 with 10 tests). */
const sensAt = []
if (sensitivity) {
  if (testsPerFile < 1) throw new Error(`--sensitivity needs at least 1 test per file, got --tests ${testsPerFile}`)
  if (fileCount < sensKinds.length) process.stderr.write(`--sensitivity: ${fileCount} files, so only ${fileCount} of the ${sensKinds.length} kinds are planted (one per file); not planted: ${sensKinds.slice(fileCount).map((k) => k.kind).join(', ')}\n`)
  sensKinds.slice(0, fileCount).forEach((k, file) => {
    const test = (3 * file + 1) % testsPerFile
    const n = file * testsPerFile + test
    const title = k.make(n)[0]
    const fileName = `module-${String(file).padStart(2, '0')}.test.js`
    sensAt.push({ ...k, file, test, n, title, fileName, name: `module ${file} > ${title}` })
  })
}
const sensTest = (f, t) => sensAt.find((p) => p.file === f && p.test === t)
const libraryExports = planted ? [...libraryNames, ...plantedNames] : sensitivity ? [...libraryNames, ...sensNames] : libraryNames
const librarySource = planted ? library + plantedLibrary : sensitivity ? library + sensLibrary : library

/** Ten kinds of small clean test; `n` varies the data so no two tests are identical. */
const kinds = [
  (n) => [`slugifies a title (${n})`, `expect(slugify('  Hello World ${n}! ')).toBe('hello-world-${n}')`],
  (n) => [`capitalizes words (${n})`, `const words = 'the quick brown fox ${n}'.split(' ').map(capitalize)\n    expect(words.join(' ')).toBe('The Quick Brown Fox ${n}')`],
  (n) => [`chunks an array (${n})`, `const list = Array.from({ length: ${10 + (n % 7)} }, (_, i) => i)\n    const parts = chunk(list, 3)\n    expect(parts[0]).toEqual([0, 1, 2])\n    expect(parts.flat()).toHaveLength(list.length)`],
  (n) => [`sorts and filters numbers (${n})`, `const xs = [${n}, 5, 3, 9, 1, 7].filter((x) => x % 2 === 1).sort((a, b) => a - b)\n    expect(xs[0]).toBe(1)\n    expect(xs.reduce((a, b) => a + b, 0)).toBeGreaterThan(20)`],
  (n) => [`groups records by key (${n})`, `const rows = [{ kind: 'a', v: 1 }, { kind: 'b', v: 2 }, { kind: 'a', v: ${n} }]\n    const groups = groupBy(rows, 'kind')\n    expect(Object.keys(groups)).toEqual(['a', 'b'])\n    expect(groups.a.map((r) => r.v)).toEqual([1, ${n}])`],
  (n) => [`merges nested options (${n})`, `const merged = deepMerge({ db: { host: 'localhost', port: 5432 }, debug: false }, { db: { port: ${5000 + n} }, debug: true })\n    expect(merged).toEqual({ db: { host: 'localhost', port: ${5000 + n} }, debug: true })`],
  (n) => [`totals a cart (${n})`, `const cart = new Cart().add('apple', 0.5, ${n % 5 + 1}).add('pear', 1.25).add('apple', 0.5)\n    expect(cart.items.size).toBe(2)\n    expect(cart.total).toBe(${(0.5 * ((n % 5) + 2) + 1.25).toFixed(2).replace(/\.?0+$/, '')})\n    expect(cart.remove('pear').total).toBe(${(0.5 * ((n % 5) + 2)).toFixed(2).replace(/\.?0+$/, '')})`],
  (n) => [`round-trips config through JSON (${n})`, `const text = JSON.stringify({ name: 'svc-${n}', port: '${8000 + n}', tags: ['x', 'y', 'x'] })\n    const config = parseConfig(text)\n    expect(config).toEqual({ name: 'svc-${n}', port: ${8000 + n}, tags: ['x', 'y'] })\n    expect(JSON.parse(JSON.stringify(config))).toEqual(config)`],
  (n) => [`loads a user asynchronously (${n})`, `const user = await fetchUser(${n})\n    expect(user.name).toBe('user-${n}')\n    expect(user.roles).toContain(${n % 2 ? "'admin'" : "'reader'"})`],
  (n) => [`awaits a macrotask (${n})`, `const values = await Promise.all([nextTick(${n}), nextTick('${n}')])\n    expect(values).toEqual([${n}, '${n}'])\n    expect(new Set([...'abcabc${n}']).size).toBe(${new Set([...`abcabc${n}`]).size})`],
]

function testFile(fileIndex, framework) {
  const header =
    framework === 'vitest'
      ? `import { describe, expect, test } from 'vitest'\nimport { ${libraryExports.join(', ')} } from '../src/lib.js'\n`
      : `const { ${libraryExports.join(', ')} } = require('../src/lib.js')\n`
  const body = []
  for (let t = 0; t < testsPerFile; t++) {
    const n = fileIndex * testsPerFile + t
    const plant = plantedTest(fileIndex, t)
    const sens = sensTest(fileIndex, t)
    const [title, code] = plant ? plantedKinds[plant.kind](n) : sens ? sens.make(n) : kinds[(t + fileIndex) % kinds.length](n)
    const async = code.includes('await') ? 'async ' : ''
    body.push(`  test('${title}', ${async}() => {\n    ${code}\n  })`)
  }
  return `${header}\ndescribe('module ${fileIndex}', () => {\n${body.join('\n\n')}\n})\n`
}

function generate() {
  for (const framework of frameworks) {
    const dir = join(work, framework)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(join(dir, 'src'), { recursive: true })
    mkdirSync(join(dir, 'test'), { recursive: true })
    if (framework === 'vitest') {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-per-test-vitest', private: true, type: 'module' }, null, 2))
      writeFileSync(join(dir, 'src', 'lib.js'), `${librarySource}\nexport { ${libraryExports.join(', ')} }\n`)
      const common = `include: ['test/*.test.js'], maxWorkers: ${workers}, reporters: ['default']`
      writeFileSync(join(dir, 'vitest.plain.config.mjs'), `import { defineConfig } from 'vitest/config'\nexport default defineConfig({ test: { ${common} } })\n`)
      writeFileSync(
        join(dir, 'vitest.each.config.mjs'),
        `import { defineConfig } from 'vitest/config'\nimport { leakproof } from '@leakproof/vitest/plugin'\n` +
          `export default defineConfig({\n  plugins: [leakproof({ eachTest: true, reporter: { outputFile: process.env.BENCH_REPORT, table: 'never' } })],\n  test: { ${common} },\n})\n`,
      )
    } else {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-per-test-jest', private: true, type: 'commonjs' }, null, 2))
      writeFileSync(join(dir, 'src', 'lib.js'), `${librarySource}\nmodule.exports = { ${libraryExports.join(', ')} }\n`)
    }
    for (let f = 0; f < fileCount; f++) writeFileSync(join(dir, 'test', `module-${String(f).padStart(2, '0')}.test.js`), testFile(f, framework))
  }
  mkdirSync(outDir, { recursive: true })
}

// ---------------------------------------------------------------------------------------------
// Running the real CLIs.

const jest30 = join(repoRoot, 'test', 'jest', 'versions', '30')
const fromJest30 = createRequire(join(jest30, 'package.json'))
function jestBin() {
  const pkgPath = fromJest30.resolve('jest/package.json')
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'))
  return join(dirname(pkgPath), typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.jest)
}
const versions = {
  vitest: JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'vitest', 'package.json'), 'utf8')).version,
  jest: JSON.parse(readFileSync(fromJest30.resolve('jest/package.json'), 'utf8')).version,
}

function cleanEnv(extra) {
  const env = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(VITEST|LEAKPROOF_|JEST_WORKER_ID$|NODE_OPTIONS$|TINYPOOL|npm_)/.test(key) || key === 'TEST' || key === 'INIT_CWD') continue
    env[key] = value
  }
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true', ...extra }
}

function command(framework, mode, report) {
  const dir = join(work, framework)
  if (framework === 'vitest') {
    const cli = join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs')
    return { dir, args: [cli, 'run', '--root', dir, '--config', join(dir, `vitest.${mode === 'plain' ? 'plain' : 'each'}.config.mjs`)] }
  }
  const config = {
    rootDir: dir,
    testMatch: ['<rootDir>/test/*.test.js'],
    testRunner: fromJest30.resolve('jest-circus/runner'),
    testEnvironment: mode === 'plain' ? fromJest30.resolve('jest-environment-node') : '@leakproof/jest/environment',
    ...(mode === 'plain' ? {} : { reporters: ['default', ['@leakproof/jest/reporter', { outputFile: report, table: false }]] }),
  }
  // One cache directory per mode: Jest's timing cache decides whether to run in band, and the
  // per-test mode's slow timings must not change how the next plain run is scheduled (or back).
  const cacheDirectory = join(work, `jest-cache-${mode}`)
  return { dir, args: [jestBin(), '--config', JSON.stringify(config), '--ci', '--no-watchman', `--maxWorkers=${workers}`, '--cacheDirectory', cacheDirectory] }
}

function runOnce(framework, mode, label) {
  const report = join(outDir, `${framework}-${mode}-${label}.json`)
  rmSync(report, { force: true })
  const { dir, args } = command(framework, mode, report)
  const started = performance.now()
  const child = spawn(process.execPath, args, { cwd: dir, env: cleanEnv({ BENCH_REPORT: report }), stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let output = ''
  child.stdout.on('data', (c) => (output += c))
  child.stderr.on('data', (c) => (output += c))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = performance.now() - started
      try {
        process.kill(-child.pid, 'SIGKILL') // workers that outlived the CLI
      } catch {
        // already gone
      }
      const passed = output.match(/Tests:?\s+(\d+) passed/)
      const result = { framework, mode, ms, code, passed: passed ? Number(passed[1]) : undefined, output }
      if (mode === 'per-test' && existsSync(report)) result.report = JSON.parse(readFileSync(report, 'utf8'))
      if (planted || sensitivity) {
        // The CLI's own tally (Vitest `Tests  2 failed | 98 passed (100)`, Jest `Tests: 2 failed, 98 passed, 100 total`).
        const tally = output.match(/^\s*Tests:?\s+(.*)$/m)?.[1] ?? ''
        result.tally = { passed: Number(tally.match(/(\d+) passed/)?.[1] ?? 0), failed: Number(tally.match(/(\d+) failed/)?.[1] ?? 0) }
        if (mode === 'per-test' && planted) result.planted = checkPlanted(result)
        if (mode === 'per-test' && sensitivity) result.sensitivity = checkSensitivity(result)
      }
      // A planted (or sensitivity) per-test run is meant to fail: its output is shown only when it failed otherwise.
      const expected = result.planted?.ok === true || result.sensitivity?.ok === true
      if (code !== 0 && !expected) process.stderr.write(`\n!! ${framework} ${mode} exited ${code}:\n${output.slice(-3000)}\n`)
      if (result.planted && !result.planted.ok) process.stderr.write(`\n!! ${framework} ${mode} planted leaks: ${result.planted.problems.join('; ')}\n`)
      if (result.sensitivity && !result.sensitivity.ok) process.stderr.write(`\n!! ${framework} ${mode} sensitivity: ${result.sensitivity.problems.join('; ')}\n`)
      resolve(result)
    })
  })
}

/**
 * --planted, one per-test run: ok when the CLI failed, the two planted tests and only they have
 * verdict leak, and each planted report names what the user wrote (an allocation site or retainer
 * path in src/lib.js or in the test's file, or retained types).
 */
function checkPlanted(result) {
  const records = (result.report?.tests ?? []).filter((t) => t.source === 'each-test')
  const problems = []
  if (!result.report) problems.push('no reporter JSON')
  if (result.code === 0) problems.push('the CLI exited 0')
  const rows = plantedAt.map((p) => {
    const record = records.find((t) => t.file.endsWith(`test/${p.fileName}`) && t.name.includes(p.title))
    const report = record?.report
    const found = record?.verdict === 'leak'
    const mentioned = JSON.stringify([report?.allocationSites ?? [], report?.retainerPaths ?? []])
    const namesUserCode = !!report && (mentioned.includes('src/lib.js') || mentioned.includes(p.fileName) || report.retainedTypes.length > 0)
    if (!record) problems.push(`no record for planted test "${p.name}"`)
    else if (!found) problems.push(`planted test "${record.name}" has verdict ${record.verdict}`)
    else if (!namesUserCode) problems.push(`planted test "${record.name}": report names neither src/lib.js, ${p.fileName} nor retained types`)
    return { plant: p, record, report, found, namesUserCode }
  })
  const plantedRecords = new Set(rows.map((r) => r.record).filter(Boolean))
  const others = records.filter((t) => !plantedRecords.has(t) && t.verdict === 'leak')
  for (const t of others) problems.push(`unplanted test "${t.name}" (${t.file}) has verdict leak`)
  if (result.tally && result.tally.failed !== plantedAt.length) problems.push(`the CLI counted ${result.tally.failed} failed tests, not ${plantedAt.length}`)
  return { ok: problems.length === 0, rows, problems }
}

/**
 * --sensitivity, one per-test run: per graded leak, its record (detected when verdict leak) and how
 * its deciding check was shared (a group screen's report is carried by every test it cleared); every
 * other test is clean, and flagged when its verdict is leak. ok when there is a record per test, no
 * clean test is flagged and the CLI failed exactly the tests with verdict leak.
 */
function checkSensitivity(result) {
  const records = (result.report?.tests ?? []).filter((t) => t.source === 'each-test')
  const problems = []
  if (!result.report) problems.push('no reporter JSON')
  const sharing = new Map()
  for (const t of records) if (t.report) sharing.set(`${t.file}\0${JSON.stringify(t.report)}`, (sharing.get(`${t.file}\0${JSON.stringify(t.report)}`) ?? 0) + 1)
  const decidedBy = (t) => (!t.report ? 'no report' : t.verdict !== 'leak' && sharing.get(`${t.file}\0${JSON.stringify(t.report)}`) >= 2 ? 'group' : 'single')
  const rows = sensAt.map((p) => {
    const record = records.find((t) => t.file.endsWith(`test/${p.fileName}`) && t.name.includes(p.title))
    if (!record) problems.push(`no record for sensitivity test "${p.name}"`)
    return { plant: p, record, report: record?.report, detected: record?.verdict === 'leak', decidedBy: record ? decidedBy(record) : '-' }
  })
  const sensRecords = new Set(rows.map((r) => r.record).filter(Boolean))
  const clean = records.filter((t) => !sensRecords.has(t))
  const flagged = clean.filter((t) => t.verdict === 'leak').map((t) => ({ record: t, decidedBy: decidedBy(t) }))
  for (const { record } of flagged) problems.push(`clean test "${record.name}" (${record.file}) has verdict leak`)
  const testCount = fileCount * testsPerFile
  if (result.report && records.length !== testCount) problems.push(`${records.length} per-test records, not ${testCount}`)
  const leaks = records.filter((t) => t.verdict === 'leak').length
  if (result.tally && result.tally.failed !== leaks) problems.push(`the CLI counted ${result.tally.failed} failed tests, ${leaks} have verdict leak`)
  const verdicts = {}
  for (const t of clean) verdicts[t.verdict] = (verdicts[t.verdict] ?? 0) + 1
  return { ok: problems.length === 0, rows, clean: clean.length, cleanVerdicts: verdicts, flagged, problems }
}

// ---------------------------------------------------------------------------------------------

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

generate()
const loads = [loadavg()[0]]
const loadTimer = setInterval(() => loads.push(loadavg()[0]), 5000)
const started = performance.now()
const results = []
const total = frameworks.length * (runs + plainRuns + warmups)
let done = 0
const step = async (framework, mode, label, measured) => {
  const r = await runOnce(framework, mode, label)
  r.index = done
  done++
  const tally = r.tally ? `, ${r.tally.passed} passed, ${r.tally.failed} failed` : r.passed !== undefined ? `, ${r.passed} passed` : ''
  const plants = r.planted
    ? `, planted leaks found ${r.planted.rows.filter((x) => x.found).length}/${plantedAt.length}${r.planted.ok ? ' (ok)' : ' (NOT ok)'}`
    : r.sensitivity
      ? `, graded leaks detected ${r.sensitivity.rows.filter((x) => x.detected).length}/${sensAt.length}, clean tests flagged ${r.sensitivity.flagged.length}/${r.sensitivity.clean}${r.sensitivity.ok ? ' (ok)' : ' (NOT ok)'}`
      : ''
  process.stderr.write(`[${done}/${total}] ${framework} ${mode} ${label}: ${(r.ms / 1000).toFixed(1)} s, exit ${r.code}${tally}${plants}, load ${loadavg()[0].toFixed(2)}\n`)
  if (measured) results.push(r)
}
for (let w = 0; w < warmups; w++) for (const framework of frameworks) await step(framework, 'plain', `warmup${w}`, false)
// Measured runs: plain and per-test alternating, frameworks interleaved round by round.
for (let r = 0; r < Math.max(runs, plainRuns); r++) {
  for (const framework of frameworks) {
    if (r < plainRuns) await step(framework, 'plain', `run${r}`, true)
    if (r < runs) await step(framework, 'per-test', `run${r}`, true)
  }
}
clearInterval(loadTimer)
loads.push(loadavg()[0])
const elapsed = (performance.now() - started) / 1000

const testCount = fileCount * testsPerFile
console.log(
  `\nNode ${process.version}, ${testCount} tests (${fileCount} files × ${testsPerFile}), --maxWorkers=${workers}, ` +
    `${plainRuns} plain and ${runs} per-test runs alternating (after ${warmups} plain warm-up run${warmups === 1 ? '' : 's'}), ${elapsed.toFixed(0)} s in all; ` +
    `1-min load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} (mean ${(loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(2)})\n`,
)
const runsOkHeader = planted
  ? 'runs ok (plain: all tests passed; per-test: exactly the 2 planted tests failed, as leaks, explained)'
  : sensitivity
    ? 'runs ok (plain: all tests passed; per-test: no clean test flagged, failures = leak verdicts)'
    : 'runs ok (all tests passed)'
console.log(`| framework | plain median s | per-test median s | ratio (medians) | ratio to neighbouring plain runs, min–max | ${runsOkHeader} |`)
console.log('|---|---|---|---|---|---|')
const breakdown = []
const plantedTables = []
const sensTables = []
const needsSnapshots = (r) => r.decision.some((d) => d.stage === 'confirm')
const runOk = (r) =>
  planted && r.mode === 'per-test' ? r.planted?.ok === true : sensitivity && r.mode === 'per-test' ? r.sensitivity?.ok === true : r.code === 0 && r.passed === testCount
for (const framework of frameworks) {
  const plain = results.filter((r) => r.framework === framework && r.mode === 'plain')
  const each = results.filter((r) => r.framework === framework && r.mode === 'per-test')
  const pm = median(plain.map((r) => r.ms))
  const em = median(each.map((r) => r.ms))
  // Each per-test run against the plain runs just before and after it (when there are; with fewer
  // plain than per-test runs, the last plain run stands in for the missing ones).
  const plainNear = (i) => plain[Math.min(i, plain.length - 1)]
  const pairs = plain.length ? each.map((e, i) => e.ms / ((plainNear(i).ms + plainNear(i + 1).ms) / 2)) : []
  const ok = [...plain, ...each].filter(runOk).length
  const name = framework === 'vitest' ? `Vitest ${versions.vitest}` : `Jest ${versions.jest}`
  console.log(`| ${name} | ${(pm / 1000).toFixed(2)} | ${(em / 1000).toFixed(2)} | **${(em / pm).toFixed(2)}×** | ${Math.min(...pairs).toFixed(2)}–${Math.max(...pairs).toFixed(2)}× | ${ok}/${plain.length + each.length} |`)
  if (planted) plantedTables.push({ name, each })
  if (sensitivity) sensTables.push({ name, each })

  // Where the per-test time goes, from the reporters' records (all measured per-test runs). Per-test
  // mode screens a group of a file's tests together, and every test the group screen cleared
  // carries that one screen's report: a check is a distinct report (same JSON) of one file in one run.
  const records = each.flatMap((r) => (r.report?.tests ?? []).filter((t) => t.source === 'each-test'))
  const checks = []
  let clearedByGroup = 0
  let singleDecided = 0
  for (const r of each) {
    const byReport = new Map()
    for (const t of (r.report?.tests ?? []).filter((t) => t.source === 'each-test' && t.report)) {
      // A leak verdict is always a check of that test alone, even if two reports came out equal.
      const key = t.verdict === 'leak' ? Symbol(t.name) : `${t.file}\0${JSON.stringify(t.report)}`
      const check = byReport.get(key) ?? { report: t.report, tests: 0 }
      check.tests++
      byReport.set(key, check)
    }
    for (const check of byReport.values()) {
      checks.push(check)
      if (check.tests >= 2) clearedByGroup += check.tests
      else singleDecided++
    }
  }
  const reports = checks.map((c) => c.report)
  const groupScreens = checks.filter((c) => c.tests >= 2).length
  const verdicts = {}
  for (const t of records) verdicts[t.verdict] = (verdicts[t.verdict] ?? 0) + 1
  const perRun = (x) => x / Math.max(1, each.length)
  const sumCheckMs = perRun(reports.reduce((a, r) => a + r.durationMs, 0))
  const sumGcMs = perRun(reports.reduce((a, r) => a + r.gc.gcTimeMs, 0))
  breakdown.push({
    name,
    checks: perRun(checks.length),
    groupScreens: perRun(groupScreens),
    singles: perRun(checks.length - groupScreens),
    clearedByGroup: perRun(clearedByGroup),
    singleDecided: perRun(singleDecided),
    verdicts: Object.entries(verdicts).map(([k, v]) => `${k} ${v}`).join(', '),
    checkMs: reports.map((r) => r.durationMs),
    forced: reports.map((r) => r.gc.forced),
    major: reports.map((r) => r.gc.major),
    gcMs: reports.map((r) => r.gc.gcTimeMs),
    calls: reports.map((r) => r.iterations + r.warmupIterations),
    confirmedMs: reports.filter(needsSnapshots).map((r) => r.durationMs),
    screenedMs: reports.filter((r) => !needsSnapshots(r)).map((r) => r.durationMs),
    screenBpi: reports.map((r) => r.decision.filter((d) => d.stage === 'screen').at(-1)?.bytesPerIteration ?? NaN),
    sumCheckMs,
    sumGcMs,
    extraMs: em - pm,
  })
}
const num = (x) => (Number.isInteger(x) ? String(x) : x.toFixed(1))
console.log('\nWhere the per-test time goes (distinct engine reports, i.e. checks, of all measured per-test runs; a group screen counts once, not once per test it cleared):\n')
console.log('| framework | checks (group screens + single-test checks) per run | tests per run: cleared by a group screen / decided by a single-test check | verdicts (tests) | checks: screened clean / needed heap snapshots | check ms, median (p95) | check ms, median: screened clean / with snapshots | screening estimate B/call, median | forced GCs per check, median | GC ms per check, median | calls per check, median | sum of check time per run | of which GC time | wall time added per run |')
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
const ms = (xs) => (xs.length ? q(xs, 0.5).toFixed(0) : '-')
for (const b of breakdown) {
  console.log(
    `| ${b.name} | ${num(b.checks)} (${num(b.groupScreens)} + ${num(b.singles)}) | ${num(b.clearedByGroup)} / ${num(b.singleDecided)} | ${b.verdicts || '-'} | ${b.screenedMs.length} / ${b.confirmedMs.length} | ${ms(b.checkMs)} (${q(b.checkMs, 0.95).toFixed(0)}) | ${ms(b.screenedMs)} / ${ms(b.confirmedMs)} | ${q(b.screenBpi, 0.5).toFixed(1)} | ${q(b.forced, 0.5)} | ${q(b.gcMs, 0.5).toFixed(0)} | ${q(b.calls, 0.5)} | ${(b.sumCheckMs / 1000).toFixed(1)} s | ${(b.sumGcMs / 1000).toFixed(1)} s (${((100 * b.sumGcMs) / Math.max(1, b.sumCheckMs)).toFixed(0)}%) | ${(b.extraMs / 1000).toFixed(1)} s |`,
  )
}
console.log(
  `\nA check is one distinct engine report per file and run: the tests of a group screen that came out clean all carry its report ` +
    `(a report shared by 2 or more tests is a group screen; a report of one test, and every leak, is a single-test check). ` +
    `"sum of check time" adds the checks of all ${workers} workers; the wall time they add is about that sum / ${workers} when both workers stay busy.`,
)

if (planted) {
  const perCall = (x) => (x >= 10 ? x.toFixed(0) : x.toFixed(1))
  const typeText = (t) => `${t.name}${t.name === `(${t.nodeType})` ? '' : ` (${t.nodeType})`} ${perCall(t.countPerIteration)}/call, ${perCall(t.bytesPerIteration)} B/call`
  const siteText = (s) => `${s.functionName || '(anonymous)'} (${s.file}:${s.line}:${s.column}) ${perCall(s.bytesPerIteration)} B/call`
  const cell = (x) => String(x).replaceAll('|', '\\|')
  for (const { name, each } of plantedTables) {
    console.log(`\nPlanted leaks, ${name} (per-test runs):\n`)
    console.log('| run | planted test | found (verdict leak) | named (record) | explained: retained types, top 2 | first allocation site | first retainer path | check ms | run ok |')
    console.log('|---|---|---|---|---|---|---|---|---|')
    const notFound = []
    each.forEach((r, i) => {
      for (const row of r.planted?.rows ?? []) {
        const rep = row.report
        const types = rep?.retainedTypes?.length ? rep.retainedTypes.slice(0, 2).map(typeText).join('; ') : '-'
        const site = rep?.allocationSites?.[0] ? siteText(rep.allocationSites[0]) : '-'
        const path = rep?.retainerPaths?.[0]?.text ?? '-'
        const verdict = row.record ? row.record.verdict : 'no record'
        console.log(
          `| ${i} | ${row.plant.leak} (${row.plant.fileName}, test ${row.plant.test}) | ${row.found ? 'yes' : `**no** (${verdict})`} | ${cell(row.record?.name ?? '-')} | ${cell(types)} | ${cell(site)} | ${cell(path)} | ${rep?.durationMs ?? '-'} | ${r.planted.ok ? 'yes' : 'no'} |`,
        )
        if (!row.found) notFound.push({ run: i, row })
      }
      if (!r.planted?.ok) console.log(`\nrun ${i} not ok: ${r.planted?.problems.join('; ') ?? 'no planted check'}`)
    })
    for (const { run, row } of notFound) {
      console.log(`\nrun ${run}, ${row.record?.name ?? row.plant.name}: NOT found (verdict ${row.record?.verdict ?? 'no record'}). ${row.report?.summary ?? ''}`)
      for (const d of row.report?.decision ?? []) console.log(`  - ${d.stage}, ${d.iterations} calls, ${d.bytesPerIteration} B/call: ${d.outcome}. ${d.note}`)
    }
  }
}

if (sensitivity) {
  const perCall = (x) => (x >= 10 ? x.toFixed(0) : x.toFixed(1))
  const typeText = (t) => `${t.name}${t.name === `(${t.nodeType})` ? '' : ` (${t.nodeType})`} ${perCall(t.countPerIteration)}/call, ${perCall(t.bytesPerIteration)} B/call`
  const siteText = (s) => `${s.functionName || '(anonymous)'} (${s.file}:${s.line}:${s.column}) ${perCall(s.bytesPerIteration)} B/call`
  const cell = (x) => String(x).replaceAll('|', '\\|')
  const tally = (xs) => Object.entries(xs.reduce((a, x) => ((a[x] = (a[x] ?? 0) + 1), a), {})).map(([k, v]) => `${k} ${v}`).join(', ')
  for (const { name, each } of sensTables) {
    const n = each.length
    console.log(`\nSensitivity, ${name} (${n} per-test run${n === 1 ? '' : 's'}; one graded leak per file, screen threshold 16 B per run of the group):\n`)
    console.log('| kind | approx bytes/run | test (file, position) | detected x/N | verdicts | deciding check: group screen / single test | engine estimate B/run, median | median check ms of the deciding check |')
    console.log('|---|---|---|---|---|---|---|---|')
    sensAt.forEach((p, i) => {
      const rows = each.map((r) => r.sensitivity?.rows[i]).filter(Boolean)
      const reports = rows.map((r) => r.report).filter(Boolean)
      const bpi = reports.map((r) => r.bytesPerIteration)
      console.log(
        `| ${p.kind} | ${p.bytes} | ${p.fileName}, test ${p.test} | ${rows.filter((r) => r.detected).length}/${n} | ${tally(rows.map((r) => r.record?.verdict ?? 'no record'))} | ${rows.filter((r) => r.decidedBy === 'group').length} / ${rows.filter((r) => r.decidedBy === 'single').length} | ${bpi.length ? perCall(median(bpi)) : '-'} | ${reports.length ? median(reports.map((r) => r.durationMs)).toFixed(0) : '-'} |`,
      )
    })
    const flagged = each.reduce((a, r) => a + (r.sensitivity?.flagged.length ?? 0), 0)
    const clean = each.reduce((a, r) => a + (r.sensitivity?.clean ?? 0), 0)
    const cleanVerdicts = {}
    for (const r of each) for (const [k, v] of Object.entries(r.sensitivity?.cleanVerdicts ?? {})) cleanVerdicts[k] = (cleanVerdicts[k] ?? 0) + v
    console.log(`\nclean tests flagged: ${flagged} of ${clean} (false positives; clean test records over ${n} run${n === 1 ? '' : 's'}, verdicts: ${Object.entries(cleanVerdicts).map(([k, v]) => `${k} ${v}`).join(', ') || '-'})`)
    each.forEach((r, i) => {
      if (!r.sensitivity?.ok) console.log(`\nrun ${i} not ok: ${r.sensitivity?.problems.join('; ') ?? 'no sensitivity check'}`)
      for (const { record, decidedBy } of r.sensitivity?.flagged ?? []) {
        const rep = record.report
        console.log(`\nrun ${i}, FALSE POSITIVE ${record.name} (${record.file}, decided by a ${decidedBy} check, ${rep?.durationMs ?? '-'} ms): ${rep?.summary ?? ''}`)
        for (const d of rep?.decision ?? []) console.log(`  - ${d.stage}, ${d.iterations} calls, ${d.bytesPerIteration} B/call: ${d.outcome}. ${d.note}`)
        for (const t of rep?.retainedTypes ?? []) console.log(`  retained: ${cell(typeText(t))}`)
        for (const s of rep?.allocationSites ?? []) console.log(`  allocated: ${cell(siteText(s))}`)
        for (const path of rep?.retainerPaths ?? []) console.log(`  path: ${path.text}`)
      }
    })
  }
}
