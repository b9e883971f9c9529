// Assertions on fixture runs, shared by the Vitest 3, 4 and 5 integration tests.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { clean, leaky, perPattern } from '../corpus/subjects.mjs'
import { digest, fixturesDir, type RunResult } from './harness.js'

/**
 * One leaky and one clean corpus subject per pattern (10 patterns): the runs that cannot afford
 * the whole corpus (each pool, other Vitest majors). LEAKPROOF_FULL=1 runs all of it in forks.
 */
export const subset = perPattern()
export const subsetEnv = { LEAKPROOF_SUBJECTS: JSON.stringify([...subset.leaky, ...subset.clean]) }

/**
 * The other Vitest majors (versions.test.ts): one subject per kind of evidence (heap objects,
 * listeners, timers) and three clean shapes. What differs between majors is the integration
 * (matcher registration, workers, reporter), which these exercise; the patterns are Vitest 4's.
 */
export const versionSample = {
  leaky: ['unbounded Map cache of sessions', 'EventEmitter listener never removed', 'setInterval never cleared'],
  clean: ['object temporaries', 'bounded LRU (100) at its bound', 'async: awaits a macrotask'],
}
export const versionSampleEnv = { LEAKPROOF_SUBJECTS: JSON.stringify([...versionSample.leaky, ...versionSample.clean]) }

/** 1-based line of the only line of a fixture file containing `text`. */
export function fixtureLine(file: string, text: string): number {
  const lines = readFileSync(join(fixturesDir, file), 'utf8').split('\n')
  const found = lines.flatMap((line, i) => (line.includes(text) ? [i + 1] : []))
  expect(found, `${file}: ${text}`).toHaveLength(1)
  return found[0]!
}

/** The `matchers` fixture: each leaky subject's test fails with a leak report, each clean one passes. */
export function checkSubjects(run: RunResult, names: { leaky: string[]; clean: string[] }, gc: 'expose-gc' | 'runtime-flag'): void {
  const context = digest(run)
  expect(run.exitCode, context).toBe(1)
  expect(run.tests.size, context).toBe(names.leaky.length + names.clean.length + skippedPlaceholders(run))
  for (const name of names.leaky) {
    const result = run.tests.get(`leaky: ${name}`)
    expect(result?.status, `leaky: ${name}\n${context}`).toBe('failed')
    expect(result!.failure, name).toContain('Expected the function not to leak, but it did.')
    expect(result!.failure, name).toContain('Leak: the subject retained')
    // The corpus names the retained type for some subjects: the report must list it.
    const probe = leaky.find((e) => e.name === name)!.make()
    probe.cleanup?.()
    if (probe.type) expect(result!.failure, name).toMatch(new RegExp(`\\n\\s+${probe.type}\\s+[\\d.]+\\s`))
  }
  for (const name of names.clean) {
    const result = run.tests.get(`clean: ${name}`)
    expect(result?.status, `clean: ${name}\n${result?.failure}\n${context}`).toBe('passed')
  }
  // The reporter's JSON run report: one matcher record per test, with the verdict the test got.
  const report = run.report!
  expect(report, context).toBeDefined()
  expect(report.schemaVersion).toBe(2)
  expect(report.run.framework).toBe('vitest')
  expect(report.tests).toHaveLength(names.leaky.length + names.clean.length)
  for (const record of report.tests) {
    expect(record.source).toBe('matcher')
    expect(record.file).toMatch(/^(leaky|clean)-\d\.test\.ts$/)
    // The expect() call is in a helper (corpus.ts): the record falls back to the test's own line,
    // where the test file declares it (`corpusTests(...)` on line 3).
    expect(record.line, record.name).toBe(3)
    expect(record.verdict, record.name).toBe(record.name.startsWith('leaky:') ? 'leak' : 'clean')
    if (gc === 'expose-gc') expect(record.report?.runtime.gc, record.name).toBe('expose-gc')
  }
  // forks get --expose-gc from the plugin (every record says so). Threads cannot take the flag:
  // the engine sets it at run time, so at least the first measurement of the run reports
  // 'runtime-flag' (V8 flags are per process: threads started later see gc() as exposed).
  if (gc === 'runtime-flag') expect(report.tests.some((r) => r.report?.runtime.gc === 'runtime-flag'), context).toBe(true)
  // The summary table: a header and a row per test.
  expect(run.output).toContain('leakproof: leak checks of this run')
  expect(run.output).toMatch(/test\s+verdict\s+heap\/call\s+external\/call\s+top retained type/)
  const row = names.leaky[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  expect(run.output).toMatch(new RegExp(`leaky: ${row}\\s+leak\\s+[\\d.]+ [KM]?B\\s+[-\\d.]+ [KM]?B\\s+\\S.* \\+[\\d.]+\\/call`))
  const cleanRow = names.clean[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  expect(run.output).toMatch(new RegExp(`clean: ${cleanRow}\\s+clean\\s+[-\\d.]+ [KM]?B\\s+[-\\d.]+ [KM]?B\\s+-`))
}

/**
 * A leak failure explains itself: retained types, the retainer path from a GC root and the
 * allocation site (the heap-object leak `unbounded Map cache of sessions`, in the subset).
 */
export function checkExplanation(run: RunResult): void {
  const name = 'leaky: unbounded Map cache of sessions'
  const failure = run.tests.get(name)?.failure ?? ''
  expect(failure, `${name}\n${digest(run)}`).toContain('Expected the function not to leak, but it did.')
  // Vitest's matcherHint header.
  expect(failure).toMatch(/^Error: expect\(fn\)\.not\.toLeak\(options\)\n\n/)
  expect(failure).toMatch(/\nRetained types \(new objects still alive, per call\):\n\s+type\s+count\/call/)
  expect(failure).toMatch(/\n\s+Session\s+[\d.]+\s/)
  const retained = /\nRetained by \(shortest path from a GC root\):\n {2}(.+)\n/.exec(failure)
  expect(retained?.[1], failure).toMatch(/sessions \(Map\).*→ Session/)
  // `fn (file:line:col)  N B/call` (callers under it): the corpus's `run`, which creates the
  // sessions, or the test's arrow that calls it when V8 inlined `run` into it (sampled stacks
  // hold physical frames only; seen on a loaded machine). Paths are relative to the project root.
  expect(failure).toMatch(/\nAllocated at:\n(?: {2}.+\n)*? {2}(?:run \(\S*subjects\.mjs|\(anonymous\) \((?:\S*\/)?corpus\.ts):\d+:\d+\) {2}[\d.]+ [KM]?B\/call\n/)
}

function skippedPlaceholders(run: RunResult): number {
  return [...run.tests.keys()].filter((name) => name.startsWith('no ') && name.endsWith(' subject selected')).length
}

/** All subjects of the corpus (the full run in the forks pool). */
export const allSubjects = { leaky: leaky.map((e) => e.name), clean: clean.map((e) => e.name) }

interface HookCounts {
  counts: Record<'fileBeforeEach' | 'fileAfterEach' | 'beforeEach' | 'cleanup' | 'afterEach' | 'body' | 'onTestFinished', number>
  events: string[]
}

/** The `each-test` fixture with `eachTest: true`. */
export function checkEachTestRun(run: RunResult): void {
  const context = digest(run)
  const status = (name: string) => run.tests.get(name)?.status
  const failure = (name: string) => run.tests.get(name)?.failure ?? ''
  expect(run.exitCode, context).toBe(1)

  // A test whose runs retain memory fails with the leak report.
  expect(status('keeps every session it opens'), context).toBe('failed')
  expect(failure('keeps every session it opens')).toContain('LeakError: leakproof: this test retains memory every time it runs.')
  expect(failure('keeps every session it opens')).toMatch(/It ran \d+ times \(with its beforeEach\/afterEach hooks around every run\)/)
  expect(failure('keeps every session it opens')).toContain('Leak: the subject retained')
  expect(failure('keeps every session it opens')).toContain('Leave the test out with { meta: { leakproof: false } } or leakTest.with(false)')
  // The failure points at the test (a frame at its declaration), not at leakproof's code.
  const leakyLine = fixtureLine('each-test/each/verdicts.test.ts', "test('keeps every session it opens'")
  expect(failure('keeps every session it opens')).toContain(`verdicts.test.ts:${leakyLine}:`)
  expect(failure('keeps every session it opens')).not.toContain('@leakproof')
  expect(failure('keeps every session it opens')).toMatch(/Session\s+[\d.]+\s/)
  // ... and the report's data stays out of the printout.
  expect(failure('keeps every session it opens')).not.toContain('retainedTypes')

  // Tests of a suite with beforeAll/afterAll are repeated before its afterAll runs.
  for (const name of [
    'a suite that opens a connection for its tests > queries the open connection',
    'a suite that opens a connection for its tests > writes through the open connection',
    'runs after the suite closed its connection',
  ]) {
    expect(status(name), `${name}: ${failure(name)}`).toBe('passed')
  }

  // Clean tests pass, async ones too.
  expect(status('lets go of its temporaries'), failure('lets go of its temporaries')).toBe('passed')
  expect(status('async: awaits I/O-like work and lets go'), failure('async: awaits I/O-like work and lets go')).toBe('passed')

  // Hooks ran around every repeat, in Vitest's own order.
  const hooksTest = 'a suite with hooks > sees fresh state from beforeEach on every run'
  expect(status(hooksTest), failure(hooksTest)).toBe('passed')
  const hooks = JSON.parse(readFileSync(join(run.outDir, 'hooks.json'), 'utf8')) as HookCounts
  const record = run.records.get(hooksTest)!
  expect(record.verdict).toBe('clean')
  const runs = 1 + record.report!.warmupIterations + record.report!.iterations
  expect(hooks.counts).toEqual({
    fileBeforeEach: runs,
    fileAfterEach: runs,
    beforeEach: runs,
    cleanup: runs,
    afterEach: runs,
    body: runs,
    onTestFinished: runs,
  })
  // At least the 60 runs a check makes of a slow test (the engine's defaults for a fast one).
  expect(runs).toBeGreaterThanOrEqual(60)
  const order = ['file beforeEach', 'suite beforeEach', 'body', 'suite afterEach', 'file afterEach', 'suite beforeEach cleanup', 'onTestFinished']
  expect(hooks.events).toEqual([...order.map((e) => `1: ${e}`), ...order.map((e) => `2: ${e}`)])

  // A test failing its own assertion is reported as that failure, not as a verdict.
  expect(status('fails its own assertion')).toBe('failed')
  expect(failure('fails its own assertion')).toContain('AssertionError: expected 2 to be 3')
  expect(failure('fails its own assertion')).not.toContain('Leak:')
  expect(failure('fails its own assertion')).not.toContain('leakproof:')
  expect(run.records.has('fails its own assertion')).toBe(false)
  // A test that passes once but fails when repeated: its own assertion, with leakproof's note.
  expect(status('passes once, then fails when repeated')).toBe('failed')
  expect(failure('passes once, then fails when repeated')).toContain('AssertionError: expected 2 to be 1')
  expect(failure('passes once, then fails when repeated')).toContain('passed its first run and failed on run 2')
  expect(run.records.get('passes once, then fails when repeated')).toMatchObject({
    verdict: 'error',
    error: expect.stringMatching(/^AssertionError: expected 2 to be 1/),
    line: fixtureLine('each-test/each/failures.test.ts', "test('passes once, then fails when repeated'"),
  })

  // Concurrent tests are refused with a clear message.
  expect(status('runs concurrently')).toBe('failed')
  expect(failure('runs concurrently')).toContain('LeakproofUsageError: per-test leak mode cannot check a test that runs concurrently')

  // A test with its own leak assertion is not measured again around it.
  expect(status('makes its own leak assertion'), failure('makes its own leak assertion')).toBe('passed')
  expect(run.records.get('makes its own leak assertion')?.source).toBe('matcher')

  // Opt-outs: each of these retains memory per run, and passes.
  for (const name of [
    'opted out with meta',
    'opted out with leakTest.with(false)',
    'a suite opted out with checkEachTest(false) > inside the suite',
  ]) {
    expect(status(name), `${name}: ${failure(name)}`).toBe('passed')
    expect(run.records.has(name), name).toBe(false)
  }

  // Per-test records in the JSON run report, and rows in the table.
  const eachTest = run.report!.tests.filter((r) => r.source === 'each-test')
  expect(eachTest.map((r) => `${r.name}: ${r.verdict}`).sort()).toEqual(
    [
      'a suite with hooks > sees fresh state from beforeEach on every run: clean',
      'async: awaits I/O-like work and lets go: clean',
      'keeps every session it opens: leak',
      'lets go of its temporaries: clean',
      'passes once, then fails when repeated: error',
      'a suite that opens a connection for its tests > queries the open connection: clean',
      'a suite that opens a connection for its tests > writes through the open connection: clean',
      'runs after the suite closed its connection: clean',
    ].sort(),
  )
  // Each record carries its file and the line of the test (the plugin turns on includeTaskLocation).
  expect(run.records.get('keeps every session it opens')).toMatchObject({ file: 'each/verdicts.test.ts', line: leakyLine })
  expect(run.records.get(hooksTest)).toMatchObject({
    file: 'each/hooks.test.ts',
    line: fixtureLine('each-test/each/hooks.test.ts', "test('sees fresh state from beforeEach on every run'"),
  })
  expect(run.output).toMatch(/keeps every session it opens\s+leak\s+[\d.]+ [KM]?B\s+[-\d.]+ [KM]?B\s+\S.* \+[\d.]+\/call/)
}

/** The `each-test` fixture with per-test mode off: only opted-in tests are checked. */
export function checkOptInRun(run: RunResult): void {
  const context = digest(run)
  const status = (name: string) => run.tests.get(name)?.status
  const failure = (name: string) => run.tests.get(name)?.failure ?? ''
  expect(run.exitCode, context).toBe(1)
  expect(status('not selected'), context).toBe('passed')
  expect(status('a suite selected with checkEachTest() > opted back out'), context).toBe('passed')
  for (const name of [
    'selected with leakTest',
    'selected with meta',
    'a suite selected with checkEachTest() > inside the suite',
    'a top-level test',
  ]) {
    expect(status(name), `${name}\n${context}`).toBe('failed')
    expect(failure(name), name).toContain('Leak: the subject retained')
    expect(run.records.get(name)?.verdict, name).toBe('leak')
  }
  expect([...run.records.keys()].sort()).toEqual(
    ['a suite selected with checkEachTest() > inside the suite', 'a top-level test', 'selected with leakTest', 'selected with meta'].sort(),
  )
  // Options given with the opt-in reach the engine.
  const stage = (name: string, s: string) => run.records.get(name)!.report!.decision.find((d) => d.stage === s)!
  expect(stage('selected with meta', 'screen').iterations).toBe(60)
  expect(stage('a top-level test', 'warmup').iterations).toBe(10)
}
