// `setupFiles: ['@leakproof/vitest/setup']` alone, as the Vitest README's minimal set-up: no
// plugin, so no --expose-gc for the workers. The matchers must still register and measure.
import { beforeAll, describe, expect, test } from 'vitest'
import { digest, runVitest, vitest4, type RunResult } from './harness.js'

describe('Vitest 4 with only the setup file', () => {
  let run: RunResult
  beforeAll(async () => {
    run = await runVitest(vitest4, 'setup-only', { timeoutMs: 300_000 })
  }, 300_000)

  test('the leak fails with the report, the clean function and the gc check pass', () => {
    const context = digest(run)
    expect(run.exitCode, context).toBe(1)
    expect(run.tests.get('gc came from the runtime fallback, not from --expose-gc')?.status, context).toBe('passed')
    expect(run.tests.get('a clean function passes')?.status, context).toBe('passed')
    const leak = run.tests.get('a leaky function fails with the report')
    expect(leak?.status, context).toBe('failed')
    expect(leak!.failure).toMatch(/Leak: the subject retained [\d.]+ [KM]?B\/call/)
    expect(leak!.failure).toMatch(/\n\s+Order\s+[\d.]+\s/)
    expect(leak!.failure).toMatch(/orders \(Array\)/)
  })

  test('tests with test.extend fixtures run: the setup file\'s hooks destructure their context', () => {
    const context = digest(run)
    const extended = run.tests.get('a test with a test.extend fixture runs and measures')
    expect(extended?.failure, context).toBe('')
    expect(extended?.status, context).toBe('passed')
  })
})
