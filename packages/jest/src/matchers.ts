// The matchers as Jest registers them: core's, with the running test's name and line, its abort
// at test end and per-test mode's bookkeeping. '@leakproof/jest/setup' registers them.
import { LeakproofUsageError } from '@leakproof/core'
import { leakMatchers, type MatcherResult } from '@leakproof/core/adapter'
import { findController } from './each-test/controller.js'
import { declarationLine, fullName, runningTest } from './each-test/circus.js'
import { runningChecks } from './running-checks.js'

/** Anything with an `extend` like Jest's global `expect` or the `expect` package's. */
export interface ExtendableExpect {
  extend(matchers: Record<string, unknown>): void
}

/**
 * Register `toLeak` and `toBeCollected` on an `expect` (the `expect` package under node:test, or
 * Jest's own when you do not use '@leakproof/jest/setup').
 */
export function registerLeakMatchers(expect: ExtendableExpect): void {
  if (!expect || typeof expect.extend !== 'function') {
    throw new LeakproofUsageError('registerLeakMatchers needs an expect with .extend(), e.g. `import { expect } from "expect"`')
  }
  expect.extend(jestLeakMatchers)
}

type MatcherFn = (this: unknown, received: unknown, ...args: unknown[]) => Promise<MatcherResult>

/**
 * Abort the toLeak measurements started by a test (jest-circus's test object), or every one still
 * running in this test file without an argument. '@leakproof/jest/setup' calls it for the running
 * test after each test. (`test` has a default so that the function's length stays 0: Jest takes a
 * hook function with a parameter, as in `afterEach(abortLeakChecks)`, for one that calls `done`.)
 */
export function abortLeakChecks(test: unknown = undefined): number {
  return runningChecks.abort(test)
}

/**
 * The matcher context with the running test as `describe > test` (the run report's naming; Jest's
 * own `currentTestName` joins the titles with spaces) and the line of its declaration (core
 * records the line of the `expect(...)` call in the test file, and this one when the call is in a
 * helper file).
 */
function withRunningTest(context: unknown): unknown {
  const test = runningTest()
  if (!test || typeof context !== 'object' || context === null) return context
  const testPath = (context as { testPath?: unknown }).testPath
  return Object.create(context, {
    currentTestName: { value: fullName(test), enumerable: true },
    // Read only when needed (core asks when the expect(...) call is not in the test file).
    testLine: { get: () => (typeof testPath === 'string' ? declarationLine(test, testPath) : undefined), enumerable: true },
  })
}

function tellController(name: string, matcher: MatcherFn, abortable = false): MatcherFn {
  // A test that measures memory itself is not also repeated by per-test mode.
  const named = {
    async [name](this: unknown, received: unknown, ...args: unknown[]) {
      findController()?.measuresItself(name)
      if (!abortable) return runningChecks.watch(Promise.resolve(matcher.call(this, received, ...args)), runningTest(), name)
      const isNot = (this as { isNot?: boolean }).isNot === true
      const context = withRunningTest(this)
      return runningChecks.track(args[0], runningTest(), isNot, (options) => matcher.call(context, received, options, ...args.slice(1)))
    },
  }
  return named[name]!
}

/** The matchers as registered in Jest: core's, plus the per-test mode bookkeeping. */
export const jestLeakMatchers = {
  toLeak: tellController('toLeak', leakMatchers.toLeak as MatcherFn, true),
  toBeCollected: tellController('toBeCollected', leakMatchers.toBeCollected as MatcherFn),
}
