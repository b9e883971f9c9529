// Unit tests of what per-test mode shares with the Vitest adapter (core's matchers/each-test.ts
// and the stack reading in matchers/context.ts): records, and how failures are framed. The real
// Jest and Vitest runs are in test/jest and test/vitest.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { LeakError, readTestRecords, recordsDirEnv, type LeakReport } from '../../core/src/index.js'
import { checkRepeatedTest, lineInStack, recordFile } from '../../core/src/adapter/index.js'
import { callSite } from '../../core/src/matchers/context.js'
import { leakFailure, repeatFailure } from '../../core/src/matchers/each-test.js'

// The engine's verdict, when a test sets one: these tests are about what happens around it (a real
// measurement runs when none is set: a throwing subject fails on its second call, in milliseconds).
const engine = vi.hoisted(() => ({ verdict: undefined as unknown }))
vi.mock('../../core/src/measure.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../core/src/measure.js')>()
  return {
    ...actual,
    measureLeakOf: (owner: string | undefined, subject: () => unknown, options: object) =>
      engine.verdict === undefined ? actual.measureLeakOf(owner, subject, options) : Promise.resolve(engine.verdict),
  }
})

const fakeReport = (leaked: boolean) =>
  ({ leaked, warmupIterations: 200, iterations: 400, summary: leaked ? 'Leak: the subject retained 40 B per call.' : 'No leak.' }) as LeakReport

describe('lineInStack', () => {
  const file = '/app/test/a.test.ts'
  test('the first frame in the file, as a path or a file:// URL', () => {
    const stack = [
      'Error',
      '    at callSite (/app/node_modules/@leakproof/core/dist/index.js:10:5)',
      `    at ${pathToFileURL(file).href}:12:9`,
      `    at Object.<anonymous> (${file}:30:3)`,
    ].join('\n')
    expect(lineInStack(stack, file)).toBe(12)
    expect(lineInStack(stack.replace(pathToFileURL(file).href, 'file:///elsewhere.ts'), file)).toBe(30)
  })

  test('the name must end at the line number: not a longer file name, not another file', () => {
    expect(lineInStack(`Error\n    at x (${file}x:4:1)\n    at y (${file}.map:5:1)`, file)).toBeUndefined()
    expect(lineInStack(`Error\n    at x (/app/test/b.test.ts:4:1)`, file)).toBeUndefined()
    expect(lineInStack(undefined, file)).toBeUndefined()
    expect(lineInStack(`Error\n    at x (${file}:4:1)`, '')).toBeUndefined()
  })

  test('Windows paths with either slash', () => {
    expect(lineInStack('Error\n    at x (C:\\app\\a.test.ts:7:2)', 'C:\\app\\a.test.ts')).toBe(7)
    expect(lineInStack('Error\n    at x (C:/app/a.test.ts:8:2)', 'C:\\app\\a.test.ts')).toBe(8)
  })

  test('callSite: the line of the call in the test file, else the test line the adapter gave', () => {
    const here = fileURLToPath(import.meta.url)
    // On one line on purpose: the Error's own frame says which line callSite must report.
    const site = callSite({ testPath: here, testLine: 1 }); const line = Number(new Error().stack!.split('\n')[1]!.match(/:(\d+):\d+\)?$/)![1])
    expect(site).toEqual({ file: recordFile(here), line })
    expect(callSite({ testPath: join(process.cwd(), 'elsewhere.test.ts'), testLine: 7 })).toEqual({ file: 'elsewhere.test.ts', line: 7 })
    expect(callSite({})).toEqual({ file: '' })
  })

  test('recordFile: relative to the working directory, forward slashes', () => {
    expect(recordFile(join(process.cwd(), 'test', 'a.test.ts'))).toBe('test/a.test.ts')
    expect(recordFile('/elsewhere/a.test.ts')).toBe('/elsewhere/a.test.ts')
  })
})

describe('checkRepeatedTest', () => {
  let dir: string
  beforeEach(() => {
    engine.verdict = undefined
    dir = mkdtempSync(join(tmpdir(), 'leakproof-repeat-'))
    process.env[recordsDirEnv] = dir
  })
  afterEach(() => {
    delete process.env[recordsDirEnv]
    rmSync(dir, { recursive: true, force: true })
  })
  const checked = { testPath: join(process.cwd(), 'suite', 'a.test.ts'), name: 'outer > repeats', line: 12 }

  test('a repeat that throws: an error record, and the test\'s own error with a note', async () => {
    let runs = 1 // the first run, made by the framework
    const failure = await checkRepeatedTest({
      test: checked,
      run: () => {
        runs++
        if (runs === 3) throw new RangeError('state left over')
      },
      options: { warmup: 5, iterations: 20 },
      optOut: 'noLeakCheck(fn)',
    }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(RangeError)
    const error = failure as Error
    expect(error.message).toContain('state left over\n\n(leakproof per-test mode: the test passed its first run and failed on run 3,')
    expect(error.message).toContain('or leave it out with noLeakCheck(fn).)')
    // The stack a runner prints carries the note too.
    expect(error.stack).toContain('failed on run 3')
    expect(readTestRecords(dir)).toEqual([
      { file: 'suite/a.test.ts', name: 'outer > repeats', line: 12, verdict: 'error', source: 'each-test', error: 'RangeError: state left over' },
    ])
  })

  test('a thrown non-error becomes an error with the note', () => {
    const error = repeatFailure('plain text', 1, 'x') as Error
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toMatch(/^plain text\n\n\(leakproof per-test mode: .* failed on run 2,/)
    const frozen = Object.freeze(new Error('frozen'))
    expect((repeatFailure(frozen, 1, 'x') as Error).message).toMatch(/^Error: frozen\n\n/)
  })

  test('a clean test: a clean record, the report returned', async () => {
    engine.verdict = fakeReport(false)
    const report = await checkRepeatedTest({ test: { testPath: 'b.test.ts', name: 'clean' }, run: () => {}, options: {}, optOut: 'x' })
    expect(report).toBe(engine.verdict)
    expect(readTestRecords(dir)).toEqual([{ file: 'b.test.ts', name: 'clean', verdict: 'clean', source: 'each-test', report }])
  })

  test('a leak: a leak record, then the LeakError framed for the test', async () => {
    engine.verdict = fakeReport(true)
    const failure = await checkRepeatedTest({ test: checked, run: () => {}, options: {}, hookCount: 1, optOut: 'noLeakCheck(fn)' }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(LeakError)
    expect((failure as LeakError).report).toBe(engine.verdict)
    expect((failure as Error).message).toContain('It ran 601 times (its 1 beforeEach/afterEach hook around every run)')
    expect(readTestRecords(dir)).toMatchObject([{ file: 'suite/a.test.ts', name: 'outer > repeats', line: 12, verdict: 'leak', source: 'each-test' }])
  })

  test('another engine error (a timeout): an error record, the error unchanged', async () => {
    const failure = await checkRepeatedTest({
      test: checked,
      run: () => new Promise((resolve) => setTimeout(resolve, 5)),
      options: { timeout: 1 },
      optOut: 'x',
    }).catch((e: unknown) => e)
    expect((failure as Error).name).toBe('LeakTimeoutError')
    expect(readTestRecords(dir)).toMatchObject([
      { verdict: 'error', error: expect.stringMatching(/^LeakTimeoutError: the leak measurement did not finish within 1 ms/) },
    ])
  })

  test('the leak failure: runs, hooks, the report, how to opt out, the test\'s frames', () => {
    const report = { leaked: true, warmupIterations: 200, iterations: 400, summary: 'Leak: the subject retained 40 B per call.' } as LeakReport
    const error = leakFailure(report, { hookCount: 2, optOut: 'noLeakCheck(fn)', ignore: 'leakCheckOptions({ ignore })', frames: '    at /app/a.test.js:26:3' })
    expect(error.name).toBe('LeakError')
    expect(error.report).toBe(report)
    expect(Object.keys(error)).not.toContain('report')
    expect(error.message).toBe(
      'leakproof: this test retains memory every time it runs.\n' +
        'It ran 601 times (its 2 beforeEach/afterEach hooks around every run), with forced garbage collection before each look at the heap.\n\n' +
        'Leak: the subject retained 40 B per call.\n\n' +
        'Not a leak you can fix? Leave the test out with noLeakCheck(fn); ignore known retention with leakCheckOptions({ ignore }).',
    )
    expect(error.stack).toBe(`LeakError: ${error.message}\n    at /app/a.test.js:26:3`)
    expect(leakFailure(report, { optOut: 'x' }).message).toContain('It ran 601 times (with its beforeEach/afterEach hooks around every run)')
    expect(leakFailure(report, { optOut: 'x', hookCount: 0 }).message).toContain('(no beforeEach/afterEach hooks)')
    expect(leakFailure(report, { optOut: 'x' }).stack).toBe(`LeakError: ${leakFailure(report, { optOut: 'x' }).message}`)
  })
})
