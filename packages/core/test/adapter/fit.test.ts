// Per-test mode's run count, fitted to the cost of a test (both adapters use it).
import { describe, expect, test } from 'vitest'
import { defaultOptions } from '../../src/index.js'
import { fitToTest } from '../../src/adapter/index.js'

describe('per-test mode: runs fitted to the cost of a test', () => {
  test('a cheap test gets the engine defaults (adaptive screening, core\'s timeout)', () => {
    const fitted = fitToTest({}, 0.5)
    expect(fitted.warmup).toBeUndefined()
    expect(fitted.calls).toBeUndefined()
    expect(fitted.timeout).toBe(defaultOptions.timeout)
  })

  test('fitting starts where the engine\'s default runs would take longer than the budget', () => {
    const engineRuns = defaultOptions.warmup + defaultOptions.iterations
    // The default runs in a little over the 4 s budget: fitted; a little under: engine defaults.
    expect(fitToTest({}, (4000 / engineRuns) * 1.01).calls).toBeDefined()
    expect(fitToTest({}, (4000 / engineRuns) * 0.99).calls).toBeUndefined()
  })

  test('a slow test gets fewer runs, at least 60, and a longer timeout', () => {
    const slow = fitToTest({}, 40)
    expect(slow.warmup! + slow.calls!).toBe(100)
    expect(slow.calls).toBe(67)
    const slower = fitToTest({}, 500)
    expect(slower.warmup! + slower.calls!).toBe(60)
    expect(slower.timeout).toBeGreaterThan(60 * 500)
  })

  test('an adapter can raise the floor of the timeout (Jest: twice the engine default)', () => {
    expect(fitToTest({}, 0.5, 120_000).timeout).toBe(120_000)
    expect(fitToTest({}, 500, 120_000).timeout).toBeGreaterThan(120_000)
  })

  test('explicit options are kept', () => {
    expect(fitToTest({ iterations: 50, timeout: 5000 }, 500)).toEqual({ calls: 50, timeout: 5000 })
  })
})
