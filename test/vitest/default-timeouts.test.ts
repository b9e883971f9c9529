// The README's minimal set-up (`setupFiles: ['@leakproof/vitest/setup']`, no plugin) at Vitest's
// default timeouts (the fixture sets none): the setup file raises the 5 s test timeout for leak
// checks, and aborts the check of a test that timed out so the next test of the file can measure.
import { beforeAll, describe, expect, test } from 'vitest'
import { digest, runVitest, vitest4, type RunResult } from './harness.js'

describe('Vitest 4, setup file only, default timeouts', () => {
  let run: RunResult
  beforeAll(async () => {
    run = await runVitest(vitest4, 'default-timeouts', { timeoutMs: 300_000 })
  }, 300_000)

  test('clean passes, leaky fails with the leak report, a check longer than 5 s passes', () => {
    const context = digest(run)
    expect(run.exitCode, context).toBe(1)
    expect(run.tests.get('a clean function passes')?.status, context).toBe('passed')
    const leak = run.tests.get('a leaky function fails with the leak report')
    expect(leak?.status, context).toBe('failed')
    expect(leak!.failure, context).toMatch(/Leak: the subject retained [\d.]+ [KM]?B\/call/)
    expect(leak!.failure, context).toMatch(/ → orders\b.*\(Array\) → \[\d+\] → Order /)
    expect(run.tests.get('a check longer than the default 5 s test timeout passes')?.status, context).toBe('passed')
  })

  test('a check whose test timed out is aborted: the next test measures', () => {
    const context = digest(run)
    const timedOut = run.tests.get('a check that outlives its test timeout')
    expect(timedOut?.status, context).toBe('failed')
    // (Vitest's JSON report gives a timeout's stack, not its message: the message is in the output.)
    expect(run.output, context).toContain('Test timed out in 300ms')
    expect(run.tests.get('the next check runs after a timed-out one')?.status, context).toBe('passed')
    expect(run.output, context).not.toContain('already running')
    // The aborted check's rejection reaches nobody: no unhandled error fails the run.
    expect(run.output, context).not.toMatch(/Unhandled (Error|Rejection)/i)
    expect(run.tests.size, context).toBe(9)
  })

  test('a check that is not awaited fails its own test, and the next test measures', () => {
    const context = digest(run)
    expect(run.tests.get('a check that is not awaited')?.status, context).toBe('failed')
    expect(run.output, context).toContain('toLeak() was not awaited')
    expect(run.tests.get('the next check runs after an unawaited one')?.status, context).toBe('passed')
  })

  test('a toBeCollected() that is not awaited fails its own test', () => {
    const context = digest(run)
    expect(run.tests.get('a toBeCollected that is not awaited')?.status, context).toBe('failed')
    expect(run.output, context).toContain('toBeCollected() was not awaited')
    expect(run.tests.get('the object is let go: the unawaited toBeCollected settles')?.status, context).toBe('passed')
  })
})
