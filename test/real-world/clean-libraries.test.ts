// Published libraries in leak-free versions, each exercised the way its users call it, measured at
// default options: the engine must report no leak. The default run covers the subset in suite.ts;
// LEAKPROOF_REAL_WORLD=full runs all of them, and bench/real-world/run.mjs repeats them for rates.
import { describe, expect, test } from 'vitest'
import { measureLeak } from '@leakproof/core'
import { clean } from './workloads.mjs'
import { detail, inDefaultSuite } from './suite.js'

describe('real-world clean libraries: no leak at default options', () => {
  for (const workload of clean.filter((w) => inDefaultSuite(w.name))) {
    test(`${workload.library}: ${workload.name}`, async () => {
      const instance = await workload.make()
      try {
        const report = await measureLeak(instance.run)
        expect(report.leaked, detail(report)).toBe(false)
      } finally {
        await instance.cleanup?.()
      }
    })
  }
})
