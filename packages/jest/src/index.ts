// @leakproof/jest: what test files import. Matchers are registered by '@leakproof/jest/setup'
// (setupFilesAfterEnv); this entry holds their types, the per-test mode controls and
// `registerLeakMatchers` for the standalone `expect` package.

import { LeakproofUsageError, resolveOptions, type CollectionCheckOptions, type LeakOptions } from '@leakproof/core'
import type { LeakMatchers } from '@leakproof/core/adapter'
// Loads expect's types so that the `declare module 'expect'` augmentation below has a target.
import type {} from 'expect'
import { findController, noLeakCheckMark } from './each-test/controller.js'

export { leakMatchers } from '@leakproof/core/adapter'
export { registerLeakMatchers, abortLeakChecks, jestLeakMatchers } from './matchers.js'
export type { ExtendableExpect } from './matchers.js'
// The engine's user API (measureLeak, trackCollection, the errors, the report types...), so that
// tests import from one package. The same in @leakproof/vitest.
export * from '@leakproof/core'

/** Options of `toBeCollected`. */
export type CollectionOptions = CollectionCheckOptions

/**
 * Per-test mode: opt the running test out of the leak check. Call it in the test body (the body
 * runs once; it is not repeated). Does nothing outside per-test mode.
 */
export function skipLeakCheck(reason?: string): void {
  if (reason !== undefined && typeof reason !== 'string') {
    throw new LeakproofUsageError('skipLeakCheck(reason) takes a string, like skipLeakCheck("talks to a real server")')
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
  if (typeof fn !== 'function') {
    throw new LeakproofUsageError("noLeakCheck(fn) takes the test function: test('name', noLeakCheck(async () => { ... }))")
  }
  Object.defineProperty(fn, noLeakCheckMark, { value: true })
  return fn
}

/** True while per-test mode runs this test file. */
export function isLeakCheckedRun(): boolean {
  return findController() !== undefined
}

declare module 'expect' {
  // For `import { expect } from '@jest/globals'` and the standalone `expect` package.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<R extends void | Promise<void>, T = unknown> extends LeakMatchers<R> {}
}

declare global {
  // For the global `expect` typed by @types/jest.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Matchers<R, T = {}> extends LeakMatchers<R> {}
  }
}
