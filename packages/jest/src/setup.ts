// setupFilesAfterEnv: ['@leakproof/jest/setup'] registers toLeak and toBeCollected on Jest's global
// expect. Runs inside each test file's realm, after the test framework is installed.

import { LeakproofUsageError } from '@leakproof/core'
import { registerLeakMatchers, type ExtendableExpect } from './index.js'

const globalExpect = (globalThis as { expect?: ExtendableExpect }).expect

if (!globalExpect || typeof globalExpect.extend !== 'function') {
  throw new LeakproofUsageError(
    '@leakproof/jest/setup found no global `expect`. List it in Jest\'s `setupFilesAfterEnv` (not ' +
      '`setupFiles`, which runs before expect exists). Outside Jest, register the matchers yourself: ' +
      "`import { expect } from 'expect'; import { registerLeakMatchers } from '@leakproof/jest'; registerLeakMatchers(expect)`.",
  )
}

registerLeakMatchers(globalExpect)
