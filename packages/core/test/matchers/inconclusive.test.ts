// An inconclusive check (out of time before the evidence decided) passes the test with a warning
// by default and fails it with { inconclusive: 'fail' }; the run-report record says inconclusive
// either way. The subject cannot finish its warm-up within the budget on any machine: after ten
// fast calls (the pace check passes), each call busy-waits 20 ms, and 200 warm-up calls do not
// fit in 2 s. (At 600 ms, a machine at load 11 made the ten fast calls 1.7 ms each, and the pace
// check refused the subject before the deadline could make the check inconclusive.)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { LeakInconclusiveError, LeakproofUsageError, readTestRecords, recordsDirEnv, toLeak } from '../../src/index.js'
import { checkRepeatedTest } from '../../src/matchers/each-test.js'

function busy(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until) {
    // keep the event loop busy
  }
}

function outOfTime(): () => void {
  let calls = 0
  return () => {
    if (++calls > 10) busy(20)
  }
}

const budget = { timeout: 2000 }
let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'leakproof-inconclusive-'))
  process.env[recordsDirEnv] = dir
})

afterEach(() => {
  delete process.env[recordsDirEnv]
  rmSync(dir, { recursive: true, force: true })
  vi.restoreAllMocks()
})

const ctx = { isNot: true, currentTestName: 'handler > stays flat', testPath: join(process.cwd(), 'test/api.test.ts') }

describe('expect(fn).not.toLeak()', () => {
  test('passes an inconclusive check with a warning, and records it as inconclusive', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const result = await toLeak.call(ctx, outOfTime(), budget)
    // `.not`: the test passes when the matcher says "did not leak".
    expect(result.pass).toBe(false)
    expect(warn).toHaveBeenCalledTimes(1)
    const text = String(warn.mock.calls[0]![0])
    expect(text).toMatch(/^leakproof: inconclusive leak check in "handler > stays flat": passed, not verified\.\nInconclusive: the warm-up did not finish before the 2\.0 s budget/)
    expect(text).toContain(`{ inconclusive: 'fail' }`)
    const records = readTestRecords(dir)
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ name: 'handler > stays flat', verdict: 'inconclusive', source: 'matcher' })
    expect(records[0]!.report).toMatchObject({ verdict: 'inconclusive', leaked: false, inconclusive: { stage: 'warmup', timeoutMs: 2000 } })
  })

  test("fails it with { inconclusive: 'fail' }, still recorded as inconclusive", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const error = await toLeak.call(ctx, outOfTime(), { ...budget, inconclusive: 'fail' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LeakInconclusiveError)
    expect((error as Error).message).toMatch(/The leak check was inconclusive, and \{ inconclusive: 'fail' \} fails the test\.\n\nInconclusive: /)
    expect((error as LeakInconclusiveError).report.verdict).toBe('inconclusive')
    expect(warn).not.toHaveBeenCalled()
    expect(readTestRecords(dir).map((r) => r.verdict)).toEqual(['inconclusive'])
  })

  test('an unknown value of the option is a usage error naming both values', async () => {
    await expect(toLeak.call(ctx, () => 1, { inconclusive: 'error' } as never)).rejects.toThrowError(LeakproofUsageError)
    await expect(toLeak.call(ctx, () => 1, { inconclusive: 'error' } as never)).rejects.toThrowError(
      /option "inconclusive" must be 'warn' \(pass an inconclusive check with a warning\) or 'fail' \(fail the test\), got the string "error"/,
    )
  })
})

test('expect(fn).toLeak(): an inconclusive check did not show the leak, so it fails, saying why', async () => {
  const result = await toLeak.call({ ...ctx, isNot: false }, outOfTime(), budget)
  expect(result.pass).toBe(false)
  expect(result.message()).toMatch(/Expected the function to leak, but the check was inconclusive\.\n\nInconclusive: /)
})

describe('per-test mode', () => {
  const check = (options: object) => ({
    test: { testPath: join(process.cwd(), 'test/slow.test.ts'), name: 'slow > test', line: 4 },
    run: outOfTime(),
    options: { ...budget, ...options },
    optOut: "test('…', { meta: { leakproof: false } })",
  })

  test('an inconclusive test passes with a warning and an inconclusive record', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const report = await checkRepeatedTest(check({}))
    expect(report.verdict).toBe('inconclusive')
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]![0])).toMatch(/^leakproof: inconclusive leak check in "slow > test": passed, not verified\./)
    expect(readTestRecords(dir)).toMatchObject([{ file: 'test/slow.test.ts', name: 'slow > test', line: 4, verdict: 'inconclusive', source: 'each-test' }])
  })

  test("{ inconclusive: 'fail' } fails the test, framed for a whole test", async () => {
    const error = await checkRepeatedTest(check({ inconclusive: 'fail' })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LeakInconclusiveError)
    expect((error as Error).message).toMatch(/^leakproof: the leak check of this test was inconclusive\.\nIt ran \d+ times/)
    expect((error as Error).message).toContain("Too slow to check? Leave the test out with test('…', { meta: { leakproof: false } }).")
    expect(readTestRecords(dir).map((r) => r.verdict)).toEqual(['inconclusive'])
  })
})
