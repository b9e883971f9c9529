import { afterAll, describe, expect, test } from 'vitest'
import { analyzeSnapshots, isGrowing, type SnapshotAnalysisInput } from '../../src/explain/three-snapshots.js'
import { tempDir, threeSnapshots } from './helpers.js'

const N = 200
const tmp = tempDir()
afterAll(() => tmp.cleanup())

function analyze(files: [string, string, string], extra: Partial<SnapshotAnalysisInput> = {}) {
  return analyzeSnapshots({ files, callsBetween: [N, N], showStrings: false, ignoreTypes: [], explain: true, ...extra })
}

/** Bytes per call of the user heap between A and C. */
function userRate(r: { userBytes: [number, number, number] }): number {
  return (r.userBytes[2] - r.userBytes[0]) / (2 * N)
}

describe('analyzeSnapshots on clean workloads', () => {
  test('warm-up of many functions, JSON and regexp churn: no growing types', async () => {
    // 300 distinct functions, more of them hot as calls go on: bytecode, feedback and optimized
    // code grow between the snapshots while no user data is kept.
    const fns = Array.from({ length: 300 }, (_, k) => new Function('a', `let s = ${k}; for (let i = 0; i < 20; i++) s += (a * i) % ${k + 3}; return { k: ${k}, s }`) as (a: number) => { s: number })
    let sink = 0
    const files = threeSnapshots(tmp.dir, (i) => {
      const hot = Math.min(fns.length, 1 + (i >> 1))
      for (let k = 0; k < hot; k += 5) sink += fns[k]!(i).s
      const text = JSON.stringify({ i, items: [1, 2, 3].map((x) => ({ x, y: `v${x}` })) })
      sink += JSON.parse(text).items.length + (new RegExp(`^a${i % 8}b$`).test(`a${i % 8}b`) ? 1 : 0)
    })
    const result = await analyze(files)
    expect(sink).toBeGreaterThan(0)
    expect(result.retainedTypes).toEqual([])
    expect(result.growingTypes).toBe(0)
    expect(Math.abs(userRate(result))).toBeLessThan(4)
  })

  test('bounded cache at its bound: no growing types', async () => {
    const cache = new Map<string, { value: number }>()
    const files = threeSnapshots(tmp.dir, (i) => {
      cache.set(`key-${i}`, { value: i })
      if (cache.size > 100) cache.delete(cache.keys().next().value!)
    }, N, 150)
    const result = await analyze(files)
    expect(cache.size).toBe(100)
    expect(result.growingTypes).toBe(0)
    expect(result.retainedTypes).toEqual([])
    expect(Math.abs(userRate(result))).toBeLessThan(4)
  })

  test('retention that is swept at every snapshot is not a growing type, however many it holds', async () => {
    // Like a timer wheel swept on a tick: each snapshot finds more pending objects than the last
    // (the second interval keeps two per call), but never those of the window before.
    class PendingWork {
      constructor(public n: number) {}
    }
    const pending: PendingWork[] = []
    const files = threeSnapshots(tmp.dir, (i) => {
      if (i === 50 || i === 50 + N) pending.length = 0
      pending.push(new PendingWork(i))
      if (i >= 50 + N) pending.push(new PendingWork(-i))
    })
    const result = await analyze(files)
    expect(pending).toHaveLength(2 * N)
    expect(result.retainedTypes.map((t) => t.name)).not.toContain('PendingWork')
    // The list's backing store did grow, but it carries a small share of the growth: no evidence.
    expect(result.growingTypes).toBe(0)
  })

  test('unreachable cycles: no growing types', async () => {
    let made = 0
    const files = threeSnapshots(tmp.dir, () => {
      const a: { b?: unknown; n: number } = { n: made++ }
      const b = { a, payload: new Array(16).fill(made) }
      a.b = b
    })
    const result = await analyze(files)
    expect(made).toBe(2 * N + 50)
    expect(result.growingTypes).toBe(0)
    expect(result.retainedTypes).toEqual([])
  })
})

describe('isGrowing', () => {
  test('needs growth in both intervals, roughly proportional to calls', () => {
    expect(isGrowing({ count: [10, 210, 410], bytes: [0, 0, 0] }, [200, 200])).toBe(true)
    expect(isGrowing({ count: [10, 110, 410], bytes: [0, 0, 0] }, [100, 300])).toBe(true)
    expect(isGrowing({ count: [10, 210, 210], bytes: [0, 0, 0] }, [200, 200])).toBe(false)
    expect(isGrowing({ count: [10, 11, 12], bytes: [0, 0, 0] }, [200, 200])).toBe(false)
    expect(isGrowing({ count: [10, 210, 240], bytes: [0, 0, 0] }, [200, 200])).toBe(false)
    // Backing stores: same count, more bytes in both intervals.
    // A harness keeping two file-name strings per snapshot is not a leak.
    expect(isGrowing({ count: [10, 12, 14], bytes: [500, 600, 700] }, [200, 200])).toBe(false)
    // Backing stores: same count, more bytes in both intervals.
    expect(isGrowing({ count: [1, 1, 1], bytes: [1000, 5000, 9000] }, [200, 200])).toBe(true)
    expect(isGrowing({ count: [1, 1, 1], bytes: [1000, 5000, 5000] }, [200, 200])).toBe(false)
    expect(isGrowing({ count: [1, 1, 1], bytes: [1000, 1100, 1200] }, [200, 200])).toBe(false)
  })
})
