// The files of the temporary project bench/in-worker/run.mjs installs the packed packages into:
// one sequence of leak checks, written out once per environment with only the imports and the
// driver differing (plain ESM script for bare Node, a Vitest test file, a Jest CommonJS test file).
//
// Every check is timed inside the process that runs it (performance.now() around the await) and
// appended as one JSON line to the file named by $BENCH_RESULT; the first line of a process is an
// `info` line (pid, argv, execArgv) so run.mjs can tell a test worker from the CLI's own process.

/** The retained type of the leaky subject: the leak report must name it. */
export const leakClass = 'BenchLeakedEntry'

/** What a leak failure must show to count as "carries the leak report" (as test/packaging/pack.test.ts checks). */
export const leakReportPattern = /Leak: the subject retained [\d.]+ [KM]?B\/call/

/**
 * The checks of one run, in order: the first clean check of the process, `later` more of the same
 * subject, `realistic` checks of the other clean subject, then the leaky check (last, so the array
 * it grows does not sit in the heap of the clean checks). `first: 'realistic'` swaps the two clean
 * subjects: the first and later checks are of the realistic one (JSON round-trip, bounded cache).
 */
export function checkList({ later, realistic, first = 'session' }) {
  const main = first === 'realistic'
    ? { subject: 'cleanRealistic', name: 'realistic (JSON round-trip, bounded Map cache)' }
    : { subject: 'cleanSession', name: 'Session' }
  const other = first === 'realistic' ? { subject: 'cleanSession', name: 'Session' } : { subject: 'cleanRealistic', name: 'realistic (JSON round-trip, bounded Map cache)' }
  const checks = [{ id: 'first-1', role: 'first', subject: main.subject, title: `clean ${main.name} check 1 (first in the process)` }]
  for (let i = 0; i < later; i++) {
    checks.push({ id: `first-${i + 2}`, role: 'later', subject: main.subject, title: `clean ${main.name} check ${i + 2}` })
  }
  for (let i = 0; i < realistic; i++) {
    checks.push({ id: `other-${i + 1}`, role: 'realistic', subject: other.subject, title: `clean ${other.name} check ${i + 1} (after the others)` })
  }
  checks.push({ id: 'leaky', role: 'leaky', subject: 'leaky', title: 'leaky check through .not.toLeak() (expected to fail)' })
  return checks
}

// The part every environment shares, character for character. `measureLeak`, `appendFileSync`
// and `performance` (node:perf_hooks: jsdom brings its own `performance`) come from the prelude.
function sharedBody({ checkTimeoutMs }) {
  return `
// ---- subjects -------------------------------------------------------------------------------
class Session {
  constructor(id) {
    this.id = id
    this.user = 'user-' + (id % 10)
    this.openedAt = id * 2
    this.state = { hits: 0, flags: [false, false] }
  }
}
const open = new Map()
let n = 0
const cleanSession = () => {
  const s = new Session(n++)
  open.set(s.id, s)
  open.delete(s.id)
}

// A "realistic" clean subject: parse a request body, keep the result in a cache bounded at 100
// entries (oldest evicted first), so the heap stays flat once the cache is full.
const cache = new Map()
let r = 0
const cleanRealistic = () => {
  const id = r++
  const body = JSON.stringify({ id, name: 'item-' + id, tags: ['a', 'b'], price: { amount: id % 97, currency: 'EUR' } })
  const parsed = JSON.parse(body)
  cache.set('k' + id, parsed)
  if (cache.size > 100) cache.delete(cache.keys().next().value)
  return parsed.price.amount
}

class ${leakClass} {
  constructor(id) {
    this.id = id
    this.createdAt = id * 2
    this.kind = 'leaked'
  }
}
const retained = []
let l = 0
const leaky = () => {
  retained.push(new ${leakClass}(l++))
}

const subjects = { cleanSession, cleanRealistic, leaky }
// The only option that differs from the engine's defaults: its watchdog, raised so that a slow
// check is measured rather than cut off (the framework's testTimeout is above it).
const options = { timeout: ${checkTimeoutMs} }

// ---- recording -------------------------------------------------------------------------------
const record = (row) => appendFileSync(process.env.BENCH_RESULT, JSON.stringify(row) + '\\n')
record({
  type: 'info',
  pid: process.pid,
  ppid: process.ppid,
  argv1: process.argv[1] || '',
  execArgv: process.execArgv,
  node: process.version,
  jestWorkerId: process.env.JEST_WORKER_ID,
  vitestPool: process.env.VITEST_POOL_ID,
  hasWindow: typeof window !== 'undefined',
})

const reportFields = (report) => ({
  leaked: report.leaked,
  durationMs: report.durationMs,
  gcMode: report.runtime && report.runtime.gc,
  forced: report.gc && report.gc.forced,
  major: report.gc && report.gc.major,
  minor: report.gc && report.gc.minor,
  gcTimeMs: report.gc && report.gc.gcTimeMs,
  iterations: report.iterations,
  warmupIterations: report.warmupIterations,
  bytesPerIteration: report.bytesPerIteration,
  stages: (report.decision || []).map((d) => ({ stage: d.stage, outcome: d.outcome, iterations: d.iterations, note: d.note })),
})

const errorText = (error) => String((error && (error.stack || error.message)) || error)

/** A clean check (or the bare leaky check) straight through measureLeak, timed here. */
async function timedMeasure(check) {
  const started = performance.now()
  let report
  try {
    report = await measureLeak(subjects[check.subject], options)
  } catch (error) {
    record({ type: 'check', ...check, via: 'measureLeak', ms: performance.now() - started, error: errorText(error).slice(0, 4000) })
    throw error
  }
  const ms = performance.now() - started
  const row = { type: 'check', ...check, via: 'measureLeak', ms, report: reportFields(report) }
  if (check.role === 'leaky') {
    row.explanation = {
      summaryNamesType: String(report.summary).includes('${leakClass}'),
      retainedTypes: (report.retainedTypes || []).slice(0, 3).map((t) => t.name),
      retainerPaths: (report.retainerPaths || []).length,
      allocationSites: (report.allocationSites || []).length,
      summaryHead: String(report.summary).split('\\n').slice(0, 16).join('\\n'),
    }
  }
  record(row)
  return report
}

/** The leaky check through the adapter's matcher: times it, records the failure, rethrows it. */
async function timedMatcher(check, assertion) {
  const started = performance.now()
  let failure
  try {
    await assertion()
  } catch (error) {
    failure = error
  }
  const ms = performance.now() - started
  const message = failure ? String(failure.message || failure) : ''
  record({ type: 'check', ...check, via: 'toLeak', ms, failed: Boolean(failure), message: message.slice(0, 6000) })
  if (failure) throw failure
}
`
}

const q = JSON.stringify

/** bare.mjs: the checks in a plain Node process, no test framework. */
function bareScript(opts) {
  const checks = checkList(opts)
  return `import { measureLeak } from '@leakproof/core'
import { appendFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
${sharedBody(opts)}
// ---- driver: the same checks in order; the leaky one through measureLeak, with its explanation.
for (const check of ${q(checks)}) {
  await timedMeasure(check)
}
`
}

function testDeclarations(checks) {
  return checks
    .map((check) =>
      check.role === 'leaky'
        ? `test(${q(check.title)}, async () => {\n  await timedMatcher(${q(check)}, () => expect(leaky).not.toLeak(options))\n})`
        : `test(${q(check.title)}, async () => {\n  await timedMeasure(${q(check)})\n})`,
    )
    .join('\n\n')
}

/** vitest/checks.test.mjs: one test per check (Vitest runs a file's tests in order). */
function vitestFile(opts) {
  return `import { measureLeak } from '@leakproof/core'
import { appendFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { expect, test } from 'vitest'
${sharedBody(opts)}
// ---- driver
${testDeclarations(checkList(opts))}
`
}

/** jest/checks.test.cjs: the same tests in CommonJS, Jest's globals. */
function jestFile(opts) {
  return `const { measureLeak } = require('@leakproof/core')
const { appendFileSync } = require('node:fs')
const { performance } = require('node:perf_hooks')
${sharedBody(opts)}
// ---- driver
${testDeclarations(checkList(opts))}
`
}

function vitestConfig(environment, opts) {
  return `import { defineConfig } from 'vitest/config'
import { leakproof } from '@leakproof/vitest/plugin'

// The plugin as a user adds it; its reporter writes the run report (the leaky check's engine report).
export default defineConfig({
  plugins: [leakproof({ reporter: { outputFile: process.env.BENCH_LEAKPROOF_REPORT, table: 'never' } })],
  test: {
    include: ['vitest/checks.test.mjs'],
    environment: ${q(environment)},
    testTimeout: ${opts.testTimeoutMs},
    maxWorkers: 1,
    reporters: ['default', 'json'],
    outputFile: { json: process.env.BENCH_FRAMEWORK_JSON },
  },
})
`
}

function jestConfig(opts) {
  return `// Two test files and --maxWorkers=2 with an empty cache directory: Jest runs a single test file,
// or a single worker's worth, in band in its own process; this keeps the checks in a worker.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/jest'],
  testMatch: ['**/*.test.cjs'],
  transform: {},
  setupFilesAfterEnv: ['@leakproof/jest/setup'],
  reporters: ['default', ['@leakproof/jest/reporter', { outputFile: process.env.BENCH_LEAKPROOF_REPORT, table: false }]],
  testTimeout: ${opts.testTimeoutMs},
}
`
}

/**
 * Every file of the project, by path relative to it.
 * @param {{ later: number, realistic: number, checkTimeoutMs: number, testTimeoutMs: number }} opts
 */
export function projectFiles(opts) {
  return {
    'bare.mjs': bareScript(opts),
    'vitest/checks.test.mjs': vitestFile(opts),
    'vitest.node.config.mjs': vitestConfig('node', opts),
    'vitest.jsdom.config.mjs': vitestConfig('jsdom', opts),
    'jest/checks.test.cjs': jestFile(opts),
    'jest/placeholder.test.cjs': `// Only here so that Jest starts workers instead of running checks.test.cjs in band.\ntest('placeholder', () => {\n  expect(1 + 1).toBe(2)\n})\n`,
    'jest.config.cjs': jestConfig(opts),
  }
}
