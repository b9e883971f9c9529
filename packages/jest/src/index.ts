// @leakproof/jest: what test files import. Matchers are registered by '@leakproof/jest/setup'
// (setupFilesAfterEnv); this entry holds their types, the per-test mode controls and
// `registerLeakMatchers` for the standalone `expect` package.

import { RunningChecks, leakMatchers, resolveOptions, type LeakOptions } from '@leakproof/core'
// Loads expect's types so that the `declare module 'expect'` augmentation below has a target.
import type {} from 'expect'
import { findController, noLeakCheckMark } from './each-test/controller.js'
import { declarationLine, fullName, runningTest } from './each-test/circus.js'

export {
  leakMatchers,
  trackCollection,
  measureLeak,
  assertNoLeak,
  formatBytes,
  formatSummary,
  formatRecordsTable,
  LeakError,
  LeakproofUsageError,
  SubjectError,
  LeakTimeoutError,
  LeakAbortError,
} from '@leakproof/core'
export type { CollectionTracker, LeakOptions, LeakReport, TestLeakRecord, RunReport } from '@leakproof/core'

/** Options of `toBeCollected`. */
export interface CollectionOptions {
  /** Give up after this many milliseconds of forced GCs. Default 2000. */
  timeout?: number
}

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
    throw new TypeError('registerLeakMatchers needs an expect with .extend(), e.g. `import { expect } from "expect"`')
  }
  expect.extend(jestLeakMatchers)
}

type MatcherFn = (this: unknown, received: unknown, ...args: unknown[]) => Promise<unknown>

// toLeak() checks still running when their test ends (Jest moved on after a test timeout): the
// afterEach hook '@leakproof/jest/setup' registers aborts them, so the next test's check can start.
const runningChecks = new RunningChecks()

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
      if (!abortable) return matcher.call(this, received, ...args)
      const check = runningChecks.begin(args[0], runningTest())
      try {
        return await matcher.call(withRunningTest(this), received, check.options, ...args.slice(1))
      } catch (error) {
        // Stopped because its test ended: that test has failed already (a timeout, or not awaited).
        const isNot = (this as { isNot?: boolean }).isNot === true
        if (check.abortedAtTestEnd) return { pass: !isNot, message: () => 'the leak check was stopped: its test had ended' }
        throw error
      } finally {
        check.end()
      }
    },
  }
  return named[name]!
}

function isTracker(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { isCollected?: unknown }).isCollected === 'function'
}

const jestHint =
  'In Jest, expect(value) keeps `value` alive until the assertion settles, so pass a tracker ' +
  'instead: `const tracked = trackCollection(value); value = undefined; await expect(tracked).toBeCollected()`.'

async function toBeCollected(this: unknown, received: unknown, ...args: unknown[]) {
  const result = (await (leakMatchers.toBeCollected as MatcherFn).call(this, received, ...args)) as {
    pass: boolean
    message: () => string
  }
  if (result.pass || isTracker(received)) return result
  const message = result.message
  return { pass: false, message: () => `${message()}\n\n${jestHint}` }
}

/** The matchers as registered in Jest: core's, plus the per-test mode bookkeeping. */
export const jestLeakMatchers = {
  toLeak: tellController('toLeak', leakMatchers.toLeak as MatcherFn, true),
  toBeCollected: tellController('toBeCollected', toBeCollected),
}

/**
 * Per-test mode: opt the running test out of the leak check. Call it in the test body (the body
 * runs once; it is not repeated). Does nothing outside per-test mode.
 */
export function skipLeakCheck(reason?: string): void {
  if (reason !== undefined && typeof reason !== 'string') {
    throw new TypeError('skipLeakCheck(reason) takes a string')
  }
  findController()?.skip(reason)
}

/**
 * Per-test mode: leak options for the running test (over the project's `testEnvironmentOptions`).
 * Call it in the test body. Validated now; does nothing outside per-test mode.
 */
export function leakCheckOptions(options: LeakOptions): void {
  resolveOptions(options)
  findController()?.configure(options)
}

/**
 * Per-test mode: a test function that is never repeated, declared where the test is:
 * `test('uses a real server', noLeakCheck(async () => { ... }))`. Marks and returns `fn` itself.
 */
export function noLeakCheck<F extends (...args: never[]) => unknown>(fn: F): F {
  if (typeof fn !== 'function') throw new TypeError('noLeakCheck(fn) takes the test function')
  Object.defineProperty(fn, noLeakCheckMark, { value: true })
  return fn
}

/** True while per-test mode runs this test file. */
export function isLeakCheckedRun(): boolean {
  return findController() !== undefined
}

interface LeakMatchersOf<R> {
  /**
   * Calls the received function repeatedly (warm-up, then sampled rounds with forced GC) and
   * passes when memory is retained per call. Use as `await expect(fn).not.toLeak()`.
   */
  toLeak(options?: LeakOptions): Promise<R>
  /**
   * Passes when the object is garbage-collected after forced GC. In Jest pass a tracker:
   * `await expect(trackCollection(obj)).toBeCollected()`.
   */
  toBeCollected(options?: CollectionOptions): Promise<R>
}

declare module 'expect' {
  // For `import { expect } from '@jest/globals'` and the standalone `expect` package.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<R extends void | Promise<void>, T = unknown> extends LeakMatchersOf<R> {}
}

declare global {
  // For the global `expect` typed by @types/jest.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Matchers<R, T = {}> extends LeakMatchersOf<R> {}
  }
}
