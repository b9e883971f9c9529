import { describe, expect, test } from 'vitest'
import { measureLeak } from '../../packages/core/src/index.js'
import { clean, leaky } from './subjects.mjs'

// Every subject at default options: the verdict is the assertion. A failure prints the report's
// summary so a regression shows what the engine saw.
describe('leaky corpus: every subject is reported as a leak', () => {
  for (const entry of leaky) {
    test(entry.name, async () => {
      const subject = entry.make()
      try {
        const report = await measureLeak(subject.run)
        expect(report.leaked, report.summary).toBe(true)
      } finally {
        subject.cleanup?.()
      }
    })
  }
})

describe('clean corpus: no subject is reported as a leak', () => {
  for (const entry of clean) {
    test(entry.name, async () => {
      const subject = entry.make()
      try {
        const report = await measureLeak(subject.run)
        expect(report.leaked, report.summary + '\n' + JSON.stringify(report.decision, null, 1)).toBe(false)
      } finally {
        subject.cleanup?.()
      }
    })
  }
})
