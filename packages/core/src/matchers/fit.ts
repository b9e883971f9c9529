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

/**
 * Bytes per run a group screen must see unless the options set a threshold: half the smallest
 * object a test can keep per run (an object with one field is 32 B with its header and a slot in
 * the array that holds it), so one retained object per run of any test in the group shows.
 */
export const groupThreshold = 16
/** Runs of a group screen, unless the options set them: see fitToGroup. */
export const groupWarmup = 50
export const groupCalls = 100

/**
 * Options for screening a group of tests as one subject (`groupRunMs`: one run of every test in
 * it). The evidence is object-level (sampled survivors of the runs), so the runs are what that
 * evidence needs, not the thousands a heap-total reading did: a test that keeps one object per run
 * leaves `groupCalls` of them, ~13 expected samples at the finest interval used (128 B) and at
 * least 8 whatever the group allocates (see run/screen-stage.ts). The warm-up covers one-time
 * state and the first compilations.
 */
export function fitToGroup(options: LeakOptions, groupRunMs: number, minTimeout: number = defaultOptions.timeout): LeakOptions {
  const perRun = Math.max(groupRunMs, 0.01)
  const fitted: LeakOptions = withCurrentNames(options)
  fitted.threshold ??= groupThreshold
  fitted.warmup ??= groupWarmup
  fitted.calls ??= groupCalls
  // Screening calls come in rounds of at least one call each: a second window and the sampling
  // add up to about 3x the calls.
  fitted.timeout ??= Math.max(minTimeout, Math.ceil(perRun * (fitted.warmup + 3 * fitted.calls) * 2))
  return fitted
}
