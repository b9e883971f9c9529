import { describe, expect, test } from 'vitest'
import { measureLeak } from '../../packages/core/src/index.js'
import { clean, leaky, patterns, perPattern } from './subjects.mjs'

describe('corpus shape', () => {
  test('every subject has a known pattern, every pattern has leaky and clean subjects, names are unique', () => {
    const known = Object.keys(patterns)
    for (const entry of [...leaky, ...clean]) expect(known, entry.name).toContain(entry.pattern)
    for (const pattern of known) {
      expect(leaky.some((e) => e.pattern === pattern), `leaky ${pattern}`).toBe(true)
      expect(clean.some((e) => e.pattern === pattern), `clean ${pattern}`).toBe(true)
    }
    const names = [...leaky, ...clean].map((e) => e.name)
    expect(new Set(names).size).toBe(names.length)
    const picked = perPattern()
    expect(picked.leaky).toHaveLength(known.length)
    expect(picked.clean).toHaveLength(known.length)
    expect(picked.leaky.map((n) => leaky.find((e) => e.name === n)!.pattern)).toEqual(known)
    expect(picked.clean.map((n) => clean.find((e) => e.name === n)!.pattern)).toEqual(known)
  })
})

// At default options: the verdict is the assertion. A failure prints the report's summary so a
// regression shows what the engine saw. Every clean subject (a clean verdict costs one forced GC);
// one leaky subject per pattern (a leak verdict costs three heap snapshots: the whole leaky corpus
// took 10 minutes of a loaded run of npm test). LEAKPROOF_FULL=1 (`npm run test:corpus`, the
// matrix) takes every leaky subject; the stability bench soaks them all.
const full = process.env.LEAKPROOF_FULL === '1'
const leakySample = new Set(perPattern().leaky)
describe('leaky corpus: every subject is reported as a leak, and explained', () => {
  for (const entry of leaky.filter((e) => full || leakySample.has(e.name))) {
    test(entry.name, async () => {
      const subject = entry.make()
      try {
        const report = await measureLeak(subject.run)
        const seen = { decision: report.decision, iteration: report.samples.iteration, heapUsed: report.samples.heapUsed }
        expect(report.leaked, report.summary + '\n' + JSON.stringify(seen)).toBe(true)
        const paths = report.retainerPaths.map((p) => p.text).join('\n')
        // The holder the subject really uses appears on a retainer path.
        if (subject.holder) expect(paths, report.summary).toContain(subject.holder)
        // The object the subject keeps is the top retained type.
        if (subject.type) expect(report.retainedTypes[0]?.name, report.summary).toBe(subject.type)
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
