// setupFilesAfterEnv: ['@leakproof/jest/setup'] registers toLeak and toBeCollected on Jest's global
// expect, aborts the checks of a test when it ends, and gives leak checks a test timeout they fit
// in. Runs inside each test file's realm, after the test framework is installed.

import { LeakproofUsageError } from '@leakproof/core'
import { raisedTestTimeout } from '@leakproof/core/adapter'
import { circusState, runningTest } from './each-test/circus.js'
import { registerLeakMatchers, type ExtendableExpect } from './matchers.js'
import { runningChecks } from './running-checks.js'

const globalExpect = (globalThis as { expect?: ExtendableExpect }).expect

if (!globalExpect || typeof globalExpect.extend !== 'function') {
  throw new LeakproofUsageError(
    '@leakproof/jest/setup found no global `expect`. List it in Jest\'s `setupFilesAfterEnv` (not ' +
      '`setupFiles`, which runs before expect exists). Outside Jest, register the matchers yourself: ' +
      "`import { expect } from 'expect'; import { registerLeakMatchers } from '@leakproof/jest'; registerLeakMatchers(expect)`.",
  )
}

registerLeakMatchers(globalExpect)

// A test that timed out leaves its measurement running; stop it so the next test can measure. A
// test that passed with its check still running never awaited it: it fails here, not the next
// test with "another leak measurement is already running".
const globalAfterEach = (globalThis as { afterEach?: (fn: () => void) => void }).afterEach
if (typeof globalAfterEach === 'function') {
  globalAfterEach(() => {
    const test = runningTest() as { errors?: unknown[] } | undefined
    runningChecks.testEnded(test, (test?.errors?.length ?? 0) > 0)
  })
}

/** Jest's default `testTimeout`. */
const jestDefaultTestTimeout = 5_000
/** Where `jest.setTimeout()` keeps its value (Jest 29 and 30: on the test file's global). */
const timeoutSymbol = Symbol.for('TEST_TIMEOUT_SYMBOL')

// The `jest` object: a parameter of the wrapper Jest puts around every CommonJS module it loads.
declare const jest: { setTimeout?: (timeout: number) => unknown } | undefined

// Jest's 5 s default would cut a verdict short (forced GCs, heap snapshots: seconds, more on a busy
// machine or in a big worker heap). Raised for this test file while the project has the default:
// a configured testTimeout (or --testTimeout), or a jest.setTimeout() in an earlier setup file,
// is kept; a later jest.setTimeout() (a setup file after this one, the test file) wins over this.
function raiseTestTimeout(): void {
  const configured = circusState()?.testTimeout // Jest's default or the config's, set before setup files run
  if (typeof configured !== 'number') return
  if ((globalThis as Record<symbol, unknown>)[timeoutSymbol] !== undefined) return
  const raised = raisedTestTimeout(configured, jestDefaultTestTimeout)
  if (raised === undefined) return
  const jestObject = typeof jest === 'undefined' ? undefined : jest
  if (typeof jestObject?.setTimeout === 'function') jestObject.setTimeout(raised)
  // Loaded as an ES module (no module wrapper, so no `jest` here): what jest.setTimeout() does.
  else (globalThis as Record<symbol, unknown>)[timeoutSymbol] = raised
}
raiseTestTimeout()
