// How many runs a per-test check makes (pure: no Vitest import, unit-tested).
import type { LeakOptions } from '@leakproof/core'

/** Time the calls of a per-test check may take before the heap is first judged (warm-up + screen). */
const screenBudgetMs = 4000
/** The engine's default warm-up + screening calls (200 + at least 400). */
const engineRuns = 600
const minRuns = 60

/**
 * Unless the options say otherwise, fit the number of runs to the test's cost: a test as cheap as a
 * typical `toLeak()` subject gets the engine's defaults (including its adaptive screening window);
 * a slower one (its first run, hooks included, took `firstRunMs`) fewer runs, and a timeout long
 * enough for them, so that checking it stays within seconds.
 */
export function fitToTest(options: LeakOptions, firstRunMs: number): LeakOptions {
  const perRun = Math.max(firstRunMs, 0.01)
  const fitted: LeakOptions = { ...options }
  const runs = Math.floor(screenBudgetMs / perRun)
  if (options.warmup === undefined && options.iterations === undefined && runs < engineRuns) {
    const total = Math.max(minRuns, runs)
    fitted.iterations = Math.max(10, Math.round((total * 2) / 3))
    fitted.warmup = total - fitted.iterations
  }
  // Screening plus two confirmation intervals of at least 50 runs, twice over.
  const expectedRuns = (fitted.warmup ?? 200) + (fitted.iterations ?? 400) + 200
  fitted.timeout ??= Math.max(30_000, Math.ceil(perRun * expectedRuns * 2))
  return fitted
}
