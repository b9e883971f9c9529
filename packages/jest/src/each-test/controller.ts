// The bridge between a test file and the per-test leak mode. The environment (Jest's outer realm)
// puts a controller on the test file's global; code in the test file (its own realm, its own copy
// of this package) finds it through a registered symbol, which all realms share.

import type { LeakOptions } from '@leakproof/core'

export const controllerKey = Symbol.for('leakproof.jest.eachTest')
/** Marks a test function that per-test mode must not repeat (see noLeakCheck). */
export const noLeakCheckMark = Symbol.for('leakproof.jest.noLeakCheck')

export interface EachTestController {
  /** Opt the running test out of the leak check. */
  skip(reason?: string): void
  /** Leak options for the running test, over the project's. */
  configure(options: LeakOptions): void
  /** The running test measures memory itself (toLeak / toBeCollected): it is not repeated. */
  measuresItself(matcher: string): void
}

export function findController(): EachTestController | undefined {
  const found = (globalThis as Record<symbol, unknown>)[controllerKey]
  return typeof found === 'object' && found !== null ? (found as EachTestController) : undefined
}
