// setupFilesAfterEnv: ['@leakproof/jest/setup'] registers toLeak and toBeCollected on Jest's global
// expect. Runs inside each test file's realm, after the test framework is installed.

import { LeakproofUsageError } from '@leakproof/core'
import { runningTest } from './each-test/circus.js'
import { abortLeakChecks, registerLeakMatchers, type ExtendableExpect } from './index.js'

const globalExpect = (globalThis as { expect?: ExtendableExpect }).expect

if (!globalExpect || typeof globalExpect.extend !== 'function') {
  throw new LeakproofUsageError(
    '@leakproof/jest/setup found no global `expect`. List it in Jest\'s `setupFilesAfterEnv` (not ' +
      '`setupFiles`, which runs before expect exists). Outside Jest, register the matchers yourself: ' +
      "`import { expect } from 'expect'; import { registerLeakMatchers } from '@leakproof/jest'; registerLeakMatchers(expect)`.",
  )
}

registerLeakMatchers(globalExpect)

// A test that timed out leaves its measurement running; stop it so the next test can measure.
const globalAfterEach = (globalThis as { afterEach?: (fn: () => void) => void }).afterEach
if (typeof globalAfterEach === 'function') globalAfterEach(() => abortLeakChecks(runningTest()))
