// The README's minimal set-up (`setupFilesAfterEnv: ['@leakproof/jest/setup']`) at Jest's default
// timeouts (the fixture sets none): the setup file raises the 5 s test timeout for leak checks,
// and aborts the check of a test that timed out so the next test of the file can measure.
import { beforeAll, describe, expect, test } from 'vitest'
import { describeRun, runJest, type JestRun } from './helpers.js'

describe('Jest 30, setup file only, default timeouts', () => {
  let run: JestRun
  beforeAll(async () => {
    run = await runJest({ major: 30, fixture: 'default-timeouts', timeoutMs: 300_000 })
  }, 300_000)

  const result = (name: string) => {
    const found = run.byName.get(name)
    expect(found, `no result for "${name}"\n${describeRun(run)}`).toBeDefined()
    return found!
  }

  test('clean passes, leaky fails with the leak report, a check longer than 5 s passes', () => {
    const why = describeRun(run)
    expect(run.code, why).toBe(1)
    expect(result('a clean function passes').status, why).toBe('passed')
    const leak = result('a leaky function fails with the leak report')
    expect(leak.status, why).toBe('failed')
    const failure = leak.failureMessages.join('\n')
    expect(failure, why).toMatch(/Leak: the subject retained [\d.]+ [KM]?B\/call/)
    expect(failure, why).toMatch(/ → orders\b.*\(Array\) → \[\d+\] → Order /)
    expect(result('a check longer than the default 5 s test timeout passes').status, why).toBe('passed')
  })

  test('a check whose test timed out is aborted: the next test measures', () => {
    const why = describeRun(run)
    const timedOut = result('a check that outlives its test timeout')
    expect(timedOut.status, why).toBe('failed')
    expect(timedOut.failureMessages.join('\n'), why).toContain('Exceeded timeout of 300 ms')
    expect(result('the next check runs after a timed-out one').status, why).toBe('passed')
    expect(run.output, why).not.toContain('already running')
    expect(run.json?.numTotalTests, why).toBe(9)
  })

  test('a check that is not awaited fails its own test, and the next test measures', () => {
    const why = describeRun(run)
    const unawaited = result('a check that is not awaited')
    expect(unawaited.status, why).toBe('failed')
    expect(unawaited.failureMessages.join('\n'), why).toContain('toLeak() was not awaited')
    expect(result('the next check runs after an unawaited one').status, why).toBe('passed')
  })

  test('a toBeCollected() that is not awaited fails its own test', () => {
    const why = describeRun(run)
    const unawaited = result('a toBeCollected that is not awaited')
    expect(unawaited.status, why).toBe('failed')
    expect(unawaited.failureMessages.join('\n'), why).toContain('toBeCollected() was not awaited')
    expect(result('the object is let go: the unawaited toBeCollected settles').status, why).toBe('passed')
  })
})
