// How many runs a per-test check makes, fitted to the test's cost (pure: unit-tested).
import { defaultOptions, withCurrentNames, type LeakOptions } from '../options.js'

/** Time the calls of a per-test check may take before the heap is first judged (warm-up + screen). */
const screenBudgetMs = 4000
/** The engine's default warm-up + (least) screening calls. */
const engineRuns = defaultOptions.warmup + defaultOptions.iterations
const minRuns = 60
/** Calls a confirmation can add to the screening (two intervals, with an escalation): an estimate. */
const confirmRuns = 200

/**
 * Unless the options say otherwise, fit the number of runs to the test's cost: a test as cheap as a
 * typical `toLeak()` subject gets the engine's defaults (including its adaptive screening window);
 * a slower one (its first run, hooks included, took `firstRunMs`) fewer runs, and a timeout long
 * enough for them, so that checking it stays within seconds. The timeout is never below
 * `minTimeout` (the engine's default unless the adapter wants a longer floor).
 */
export function fitToTest(options: LeakOptions, firstRunMs: number, minTimeout: number = defaultOptions.timeout): LeakOptions {
  const perRun = Math.max(firstRunMs, 0.01)
  const fitted: LeakOptions = withCurrentNames(options)
  const runs = Math.floor(screenBudgetMs / perRun)
  if (fitted.warmup === undefined && fitted.calls === undefined && runs < engineRuns) {
    const total = Math.max(minRuns, runs)
    fitted.calls = Math.max(10, Math.round((total * 2) / 3))
    fitted.warmup = total - fitted.calls
  }
  const expectedRuns = (fitted.warmup ?? defaultOptions.warmup) + (fitted.calls ?? defaultOptions.iterations) + confirmRuns
  fitted.timeout ??= Math.max(minTimeout, Math.ceil(perRun * expectedRuns * 2))
  return fitted
}
