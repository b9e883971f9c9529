// What the adapters share for leak checks that outlive their test (RunningChecks) and for the test
// timeout their setup files set (testTimeoutFor / raisedTestTimeout).
import { describe, expect, test } from 'vitest'
import { LeakAbortError, LeakproofUsageError, defaultOptions, measureLeak } from '../../src/index.js'
import { RunningChecks, raisedTestTimeout, testTimeoutFor } from '../../src/adapter/index.js'

const signalOf = (options: unknown) => (options as { signal: AbortSignal }).signal

describe('RunningChecks', () => {
  test('aborts the checks of the test that ended, and those of no known test', () => {
    const checks = new RunningChecks()
    const [a, b] = [{ name: 'a' }, { name: 'b' }]
    const ofA = checks.begin({ iterations: 50 }, a)
    const ofB = checks.begin(undefined, b)
    const ofNobody = checks.begin({})
    expect(ofA.options).toMatchObject({ iterations: 50 })
    expect(checks.size).toBe(3)

    checks.abort(a)
    expect(signalOf(ofA.options).aborted).toBe(true)
    expect(signalOf(ofNobody.options).aborted).toBe(true)
    expect(signalOf(ofB.options).aborted).toBe(false)
    expect(checks.size).toBe(1)

    ofB.end()
    expect(checks.size).toBe(0)
    checks.abort()
    expect(signalOf(ofB.options).aborted).toBe(false)
  })

  test('without a test, aborts every check', () => {
    const checks = new RunningChecks()
    const started = [checks.begin({}, 'a'), checks.begin({}, 'b')]
    checks.abort()
    expect(started.map((c) => signalOf(c.options).aborted)).toEqual([true, true])
  })

  test("keeps the user's own signal working", () => {
    const checks = new RunningChecks()
    const user = new AbortController()
    const check = checks.begin({ signal: user.signal }, 'a')
    expect(signalOf(check.options)).not.toBe(user.signal)
    user.abort()
    expect(signalOf(check.options).aborted).toBe(true)
  })

  test('passes options it cannot extend through, for the engine to reject', () => {
    const checks = new RunningChecks()
    for (const options of [null, 'fast', [1], { signal: 'stop' }]) {
      expect(checks.begin(options, 'a').options).toBe(options)
    }
    expect(checks.size).toBe(0)
  })

  test('an aborted measurement frees the slot at once: the next one can start', async () => {
    const checks = new RunningChecks()
    const slow = checks.begin({ warmup: 1000 }, 'timed out')
    const first = measureLeak(() => new Promise((resolve) => setTimeout(resolve, 5)), slow.options as object)
    await new Promise((resolve) => setTimeout(resolve, 50))
    checks.abort('timed out')
    await expect(first).rejects.toBeInstanceOf(LeakAbortError)
    const next = await measureLeak(() => ({}), { warmup: 20, iterations: 40, samples: 5 })
    expect(next.leaked).toBe(false)
  })
})

describe('RunningChecks: what both adapters do around a check and at the end of a test', () => {
  test('track: a check aborted because its test ended settles quietly, as the assertion wanted', async () => {
    const checks = new RunningChecks()
    const aborted = new LeakAbortError('stopped')
    const outcome = (isNot: boolean) =>
      checks.track({}, 'ended', isNot, (options) => {
        checks.abort('ended')
        expect(signalOf(options).aborted).toBe(true)
        return Promise.reject(aborted)
      })
    await expect(outcome(true)).resolves.toMatchObject({ pass: false })
    await expect(outcome(false)).resolves.toMatchObject({ pass: true })
    expect(checks.size).toBe(0)
  })

  test('track: any other failure rejects, and the check ends', async () => {
    const checks = new RunningChecks()
    const failure = new Error('subject threw')
    await expect(checks.track({}, 'running', true, () => Promise.reject(failure))).rejects.toBe(failure)
    const verdict = { pass: false, message: () => 'no leak' }
    await expect(checks.track(undefined, 'running', true, () => Promise.resolve(verdict))).resolves.toBe(verdict)
    expect(checks.size).toBe(0)
  })

  test("testEnded: aborts the test's checks; a passing test that left one running did not await it", () => {
    const checks = new RunningChecks()
    const running = checks.begin({}, 'passed')
    expect(() => checks.testEnded('passed', false)).toThrow(LeakproofUsageError)
    expect(signalOf(running.options).aborted).toBe(true)
    checks.begin({}, 'failed')
    expect(() => checks.testEnded('failed', true)).not.toThrow() // it failed already: a timeout, say
    expect(() => checks.testEnded('nothing running', false)).not.toThrow()
    expect(() => {
      checks.begin({}, 'passed again')
      checks.testEnded('passed again', false)
    }).toThrow(/toLeak\(\) was not awaited/)
  })

  test('testEnded: a toBeCollected() still waiting when its test passed was not awaited; settled ones are forgotten', async () => {
    const checks = new RunningChecks()
    checks.watch(new Promise(() => {}), 'passed', 'toBeCollected')
    expect(() => checks.testEnded('other test', false)).not.toThrow()
    expect(() => checks.testEnded('passed', false)).toThrow(/toBeCollected\(\) was not awaited/)
    expect(() => checks.testEnded('passed', false)).not.toThrow() // reported once
    const awaited = checks.watch(Promise.resolve({ pass: true, message: () => '' }), 'awaited', 'toBeCollected')
    await awaited
    expect(() => checks.testEnded('awaited', false)).not.toThrow()
    checks.watch(new Promise(() => {}), 'timed out', 'toBeCollected')
    expect(() => checks.testEnded('timed out', true)).not.toThrow()
  })
})

describe('the test timeout the setup files set', () => {
  test("twice the engine's timeout, at least 60 s", () => {
    expect(testTimeoutFor()).toBe(2 * defaultOptions.timeout)
    expect(testTimeoutFor(1000)).toBe(60_000)
    expect(testTimeoutFor(90_000)).toBe(180_000)
  })

  test("raised only from the framework's default", () => {
    expect(raisedTestTimeout(5000, 5000)).toBe(testTimeoutFor())
    expect(raisedTestTimeout(5000, 5000, 90_000)).toBe(180_000)
    expect(raisedTestTimeout(10_000, 5000)).toBeUndefined() // configured longer: kept
    expect(raisedTestTimeout(2000, 5000)).toBeUndefined() // configured shorter: kept
    expect(raisedTestTimeout(200_000, 200_000)).toBeUndefined() // a default that is long enough
  })
})
