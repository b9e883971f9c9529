import { describe, expect, test } from 'vitest'
import { confirm, type GrowthEvidence, type IntervalOutcome, type SnapshotPoint } from '../../src/verdict/confirm.js'

/** N growing types accounting for 50 B/call, the growth the cases below give user data. */
const types = (n: number): GrowthEvidence => ({ types: n, bytesPerCall: n > 0 ? 50 : 0 })

/** Three snapshot points, N calls apart, with the given user-data and heap growth per interval. */
function points(user: [number, number], heap: [number, number] = user, external: [number, number] = [0, 0], calls = 1000): SnapshotPoint[] {
  const base = { userBytes: 5e6, heap: 20e6, external: 1e6 }
  return [0, 1, 2].map((k) => ({
    calls: k * calls,
    userBytes: base.userBytes + (k > 0 ? user[0] : 0) + (k > 1 ? user[1] : 0),
    heap: base.heap + (k > 0 ? heap[0] : 0) + (k > 1 ? heap[1] : 0),
    external: base.external + (k > 0 ? external[0] : 0) + (k > 1 ? external[1] : 0),
  }))
}

const suspect = { heap: true, external: true }

describe('confirm: the verdict over three snapshots', () => {
  const cases: Array<[string, SnapshotPoint[], number, IntervalOutcome]> = [
    ['user data grew in both intervals, and a type grew in both: leak', points([50e3, 50e3]), 1, 'leak'],
    ['grew in both, but no type grew in both: unsure (no object-level evidence)', points([50e3, 50e3]), 0, 'unsure'],
    ['grew in the first interval only (a cache reaching its bound): unsure', points([50e3, 0]), 1, 'unsure'],
    ['grew in the second only (a table doubling): unsure', points([0, 50e3]), 1, 'unsure'],
    ['the heap grew but user data did not (code, feedback): clean', points([0, 0], [40e3, 40e3]), 0, 'clean'],
    ['nothing grew: paused (one-off growth over, or between two steps)', points([0, 0], [0, 0]), 0, 'paused'],
    // 3 B/call is below the threshold of 4 in both intervals.
    ['below the threshold per call: paused', points([3e3, 3e3], [0, 0]), 1, 'paused'],
    // 1000 calls at 4 B/call is 4 KB, above the 1 KB floor; 200 calls at 4 B/call is 800 B, below it.
    ['at the threshold but under the absolute floor per interval: not growth', points([800, 800], [0, 0], [0, 0], 200), 1, 'paused'],
  ]
  // Growing types that account for almost none of the growth (a string every 50 calls while user
  // data grows 11 then 20 B/call: Node 22's fetch) do not corroborate it.
  test('grew in both, but the growing types account for under half the threshold per call: unsure', () => {
    expect(confirm(points([11e3, 20e3]), { types: 1, bytesPerCall: 0.7 }, 4, suspect).heap).toBe('unsure')
    expect(confirm(points([11e3, 20e3]), { types: 1, bytesPerCall: 2 }, 4, suspect).heap).toBe('leak')
  })
  for (const [name, pts, growingTypes, heap] of cases) {
    test(name, () => {
      expect(confirm(pts, types(growingTypes), 4, suspect).heap).toBe(heap)
    })
  }

  test('external memory: growth in both intervals is a leak without object-level evidence; flat is clean, never paused', () => {
    expect(confirm(points([0, 0], [0, 0], [500e3, 500e3]), types(0), 4, suspect).external).toBe('leak')
    expect(confirm(points([0, 0], [0, 0], [0, 0]), types(0), 4, suspect).external).toBe('clean')
  })

  test('a side the screen did not suspect is clean whatever the snapshots show', () => {
    expect(confirm(points([50e3, 50e3]), types(1), 4, { heap: false, external: true }).heap).toBe('clean')
  })

  test('rates are user-data growth per call over both intervals, and the note says so', () => {
    const result = confirm(points([40e3, 60e3]), types(1), 4, suspect)
    expect(result.heapRate).toBe(50)
    expect(result.note).toMatch(/^user data grew 40 then 60 B\/call .* over 1000 \+ 1000 calls, 1 type grew in both \(50 B\/call\)/)
  })
})
