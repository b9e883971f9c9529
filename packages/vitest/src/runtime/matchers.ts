// Registration of core's matchers (the matcher logic lives in @leakproof/core, once).
import type { LeakOptions } from '@leakproof/core'
import { RunningChecks, leakMatchers, mergeOptions } from '@leakproof/core/adapter'
import { workerSettings } from './settings.js'
import { expect, runningTest, type TaskLike } from './vitest-api.js'

type MatcherThis = ThisParameterType<typeof leakMatchers.toLeak>

let leakAssertions = 0

// toLeak() checks still running, by test: a test that timed out leaves its check running (Vitest
// moves on), and the next test's check would fail with "another leak measurement is already
// running". '@leakproof/vitest/setup' aborts a test's checks in an afterEach hook.
const runningChecks = new RunningChecks()

/**
 * Abort the `toLeak()` checks started by a test — given its task (`context.task`) or its test
 * context — or every running check of this test file without an argument.
 * '@leakproof/vitest/setup' calls it when each test ends: `afterEach(({ task }) => abortLeakChecks(task))`
 * (a hook's first parameter must be destructured in files that use test.extend fixtures).
 */
export function abortLeakChecks(test: unknown = undefined): number {
  const task = typeof test === 'object' && test !== null && 'task' in test ? (test as { task: unknown }).task : test
  return runningChecks.abort(task)
}

/** A test ended ('@leakproof/vitest/setup'): abort its checks; throws when it passed without awaiting one. */
export function leakChecksAtTestEnd(task: unknown, failed: boolean): void {
  runningChecks.testEnded(task, failed)
}

/** How many leak assertions (toLeak / toBeCollected) this module has run: per-test mode skips tests that make their own. */
export function leakAssertionCount(): number {
  return leakAssertions
}

/**
 * The matcher context with the running test's line (Vitest records it with includeTaskLocation,
 * which the plugin turns on): core records the line of the `expect(...)` call in the test file,
 * and this one when the call is in a helper file.
 */
function withTestLine(context: MatcherThis): MatcherThis {
  const task = (context as { task?: TaskLike }).task ?? runningTest()
  const line = task?.location?.line
  if (typeof line !== 'number' || typeof context !== 'object' || context === null) return context
  return Object.create(context, { testLine: { value: line, enumerable: true } }) as MatcherThis
}

function isPlainOptions(value: unknown): value is LeakOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Register `toLeak` and `toBeCollected` on Vitest's `expect` (what `@leakproof/vitest/setup`
 * does). Call it in your own setup file instead of importing the setup module if you want only
 * the matchers, or to give every `toLeak()` in the project default options.
 */
export function registerLeakMatchers(defaults?: LeakOptions, expectInstance: { extend(matchers: Record<string, unknown>): void } = expect): void {
  const base = defaults ?? workerSettings().options
  expectInstance.extend({
    toLeak(this: MatcherThis, received: unknown, options?: LeakOptions) {
      leakAssertions++
      const merged = options === undefined ? base : isPlainOptions(options) ? mergeOptions(base, options) : options
      const test = (this as { task?: TaskLike }).task ?? runningTest()
      const context = withTestLine(this)
      return runningChecks.track(merged, test, this.isNot === true, (withSignal) =>
        leakMatchers.toLeak.call(context, received, withSignal as LeakOptions | undefined),
      )
    },
    // Not async and captures nothing: the received object must not be kept alive by this frame.
    toBeCollected(this: MatcherThis, received: unknown, options?: { timeout?: number }) {
      leakAssertions++
      const test = (this as { task?: TaskLike }).task ?? runningTest()
      return runningChecks.watch(Promise.resolve(leakMatchers.toBeCollected.call(this, received, options)), test, 'toBeCollected')
    },
  })
}
