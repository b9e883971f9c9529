// The console text of a verdict: no zero-count rows, a note on sites that are the subject itself.
import { describe, expect, test } from 'vitest'
import { resolveOptions } from '../../src/options.js'
import { countedTypes, formatSummary, shownSites, siteNote, storeTypes } from '../../src/report/summary.js'
import type { AllocationSite, LeakReport, RetainedType } from '../../src/report/types.js'
import { leakReport } from './leak-report.js'

const leak = leakReport

const type = (name: string, count: number, bytes: number): RetainedType => ({
  name,
  nodeType: 'object',
  countPerIteration: count,
  bytesPerIteration: bytes,
  retainedCount: Math.round(count * 400),
  retainedBytes: Math.round(bytes * 400),
})
const site = (functionName: string, bytes: number, extra: Partial<AllocationSite> = {}): AllocationSite => ({
  functionName,
  file: 'src/a.ts',
  line: 1,
  column: 1,
  bytesPerIteration: bytes,
  stack: [],
  ...extra,
})

describe('retained types', () => {
  const types = [type('Session', 1, 40), type('(object elements)', 0.0008635578583765112, 7.75), type('Gone', 0.001, 0.01)]

  test('a count that prints as 0 is not a row; stores are named on one line under the table', () => {
    expect(countedTypes(types).map((t) => t.name)).toEqual(['Session'])
    expect(storeTypes(types).map((t) => t.name)).toEqual(['(object elements)'])
    const text = formatSummary(leak({ retainedTypes: types }), resolveOptions())
    const table = text.split('\n').filter((l) => /^ {2}\S/.test(l))
    expect(table).toEqual([expect.stringMatching(/^ {2}type +count\/call/), expect.stringMatching(/^ {2}Session +1 +40 B +400$/)])
    expect(text).not.toMatch(/\s0\s+[\d.]+ B\s+\d+$/m)
    expect(text).toContain('Growing in size without new objects (backing stores): (object elements) 7.8 B/call.')
    expect(text).not.toContain('Gone')
  })

  test('only stores: no table, the line alone', () => {
    const text = formatSummary(leak({ retainedTypes: [type('(object elements)', 0, 800)] }), resolveOptions())
    expect(text).not.toContain('Retained types')
    expect(text).toContain('(backing stores): (object elements) 800 B/call.')
  })
})

describe('allocation sites', () => {
  test('sites of 0 B/call are not rows', () => {
    const sites = [site('big', 120), site('tiny', 0.01)]
    expect(shownSites(sites).map((s) => s.functionName)).toEqual(['big'])
    const text = formatSummary(leak({ allocationSites: sites }), resolveOptions())
    expect(text).toContain('big (src/a.ts:1:1)  120 B/call')
    expect(text).not.toContain('tiny')
  })

  test('a site that is the subject itself says the allocation may be inlined into it', () => {
    const subject = site('(anonymous)', 120, { file: 'test/api.test.ts', line: 12, column: 24, subject: true })
    expect(siteNote(site('make', 1))).toBeUndefined()
    expect(siteNote(subject)).toMatch(/^\(allocation inlined into the subject/)
    const text = formatSummary(leak({ allocationSites: [subject, site('make', 60)] }), resolveOptions())
    const lines = text.split('\n')
    const at = lines.findIndex((l) => l.includes('(anonymous) (test/api.test.ts:12:24)'))
    expect(at).toBeGreaterThan(0)
    expect(lines[at + 1]).toMatch(/^ {6}\(allocation inlined into the subject/)
    const make = lines.findIndex((l) => l.includes('make (src/a.ts:1:1)'))
    expect(lines[make + 1] ?? '').not.toContain('inlined')
  })
})
