// Published versions with a documented memory leak, next to the version that fixed it (npm aliases
// in package.json). At default options the leaking version must be reported as a leak and the
// fixed one must pass. References and what each leak retains: workloads.mjs and
// bench/real-world/README.md.
import { describe, expect, test } from 'vitest'
import { measureLeak } from '@leakproof/core'
import { knownLeaks, versionOf } from './workloads.mjs'
import { detail, inDefaultSuite } from './suite.js'

describe('real-world known leaks: the leaking version leaks, the fixed version does not', () => {
  for (const leak of knownLeaks.filter((k) => inDefaultSuite(k.name))) {
    test(`${leak.package}@${versionOf(leak.leaky)} is reported as a leak (${leak.name})`, async () => {
      const instance = await leak.make('leaky')
      try {
        const report = await measureLeak(instance.run)
        expect(report.leaked, detail(report)).toBe(true)
      } finally {
        await instance.cleanup?.()
      }
    })
    test(`${leak.package}@${versionOf(leak.fixed)} (fixed) passes (${leak.name})`, async () => {
      const instance = await leak.make('fixed')
      try {
        const report = await measureLeak(instance.run)
        expect(report.leaked, detail(report)).toBe(false)
      } finally {
        await instance.cleanup?.()
      }
    })
  }
})
