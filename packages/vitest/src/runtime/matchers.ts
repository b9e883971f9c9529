// Registration of core's matchers (the matcher logic lives in @leakproof/core, once).
import { leakMatchers, type LeakOptions } from '@leakproof/core'
import { mergeOptions } from '../config.js'
import { workerSettings } from './settings.js'
import { expect } from './vitest-api.js'

type MatcherThis = ThisParameterType<typeof leakMatchers.toLeak>

let leakAssertions = 0

/** How many leak assertions (toLeak / toBeCollected) this module has run: per-test mode skips tests that make their own. */
export function leakAssertionCount(): number {
  return leakAssertions
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
      return leakMatchers.toLeak.call(this, received, merged)
    },
    // Not async and captures nothing: the received object must not be kept alive by this frame.
    toBeCollected(this: MatcherThis, received: unknown, options?: { timeout?: number }) {
      leakAssertions++
      return leakMatchers.toBeCollected.call(this, received, options)
    },
  })
}
