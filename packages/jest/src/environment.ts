// testEnvironment: '@leakproof/jest/environment' turns on per-test mode: Jest's node environment,
// plus a jest-circus event handler that repeats every test with its hooks and fails the ones that
// retain memory. For another base environment (jsdom, a custom one) use createLeakproofEnvironment.

import { createRequire } from 'node:module'
import { join } from 'node:path'
import { LeakproofUsageError, rootEnv } from '@leakproof/core'
import { EachTestMode, parseEachTestOptions, type EachTestOptions } from './each-test/runner.js'
import type { CircusEvent, CircusState } from './each-test/circus.js'
import { requireFromJest } from './jest-install.js'

export type { EachTestOptions }

/** What per-test mode needs from a Jest test environment. */
export interface JestEnvironmentLike {
  global: object
  handleTestEvent?(event: never, state: never): void | Promise<void>
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JestEnvironmentClass = abstract new (...args: any[]) => JestEnvironmentLike

interface EnvironmentConfigLike {
  projectConfig?: { rootDir?: string; testEnvironmentOptions?: Record<string, unknown> }
}

interface EnvironmentContextLike {
  testPath?: string
}

/**
 * Add per-test mode to a test environment class:
 *
 *     // leak-environment.js
 *     const { TestEnvironment } = require('jest-environment-jsdom')
 *     const { createLeakproofEnvironment } = require('@leakproof/jest/environment')
 *     module.exports = createLeakproofEnvironment(TestEnvironment)
 *
 * Options come from `testEnvironmentOptions.leakproof` (leak options, plus `exclude`).
 */
export function createLeakproofEnvironment<T extends JestEnvironmentClass>(Base: T): T {
  if (typeof Base !== 'function') {
    throw new LeakproofUsageError(
      "createLeakproofEnvironment(Base) takes a Jest test environment class, like require('jest-environment-jsdom').TestEnvironment",
    )
  }
  abstract class LeakproofEnvironment extends Base {
    #leakproof: EachTestMode

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      super(...args)
      const config = args[0] as EnvironmentConfigLike | undefined
      const context = args[1] as EnvironmentContextLike | undefined
      // Reports name files relative to the project root (Jest's rootDir), not the worker's cwd.
      const rootDir = config?.projectConfig?.rootDir
      if (typeof rootDir === 'string') process.env[rootEnv] ??= rootDir
      const envOptions = config?.projectConfig?.testEnvironmentOptions
      const raw = envOptions?.leakproof
      const { options, exclude } = parseEachTestOptions(raw)
      // Jest copies testEnvironmentOptions onto the test global; our key is not meant for tests.
      const global = this.global as Record<PropertyKey, unknown>
      if (raw !== undefined && global.leakproof === raw) delete global.leakproof
      this.#leakproof = new EachTestMode({ global, testPath: context?.testPath ?? '', options, exclude, environment: this })
    }

    override async handleTestEvent(event: CircusEvent, state: CircusState): Promise<void> {
      const base = Base.prototype as JestEnvironmentLike
      if (typeof base.handleTestEvent === 'function') {
        await (base.handleTestEvent as (e: CircusEvent, s: CircusState) => void | Promise<void>).call(this, event, state)
      }
      await this.#leakproof.handle(event, state)
    }
  }
  Object.defineProperty(LeakproofEnvironment, 'name', { value: `Leakproof${Base.name || 'Environment'}` })
  return LeakproofEnvironment as unknown as T
}

export function loadNodeEnvironment(): JestEnvironmentClass {
  // The running Jest's jest-environment-node (see jest-install.ts), else the one next to us.
  const mod = requireFromJest<{ TestEnvironment?: JestEnvironmentClass; default?: JestEnvironmentClass }>(
    'jest-environment-node',
    () => createRequire(join(process.cwd(), 'noop.js'))('jest-environment-node'),
  )
  const Base = mod.TestEnvironment ?? mod.default
  if (typeof Base !== 'function') {
    throw new LeakproofUsageError('@leakproof/jest/environment could not load jest-environment-node: install it next to jest (npm install -D jest-environment-node)')
  }
  return Base
}

/** Jest's node environment with per-test leak mode. */
const LeakproofNodeEnvironment = createLeakproofEnvironment(loadNodeEnvironment())
export default LeakproofNodeEnvironment
export { LeakproofNodeEnvironment as TestEnvironment }
