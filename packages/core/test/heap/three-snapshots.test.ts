import { afterAll, describe, expect, test } from 'vitest'
import { analyzeSnapshots, isGrowing, type SnapshotAnalysisInput } from '../../src/explain/three-snapshots.js'
import { tempDir, threeSnapshots } from './helpers.js'

const N = 200
const tmp = tempDir()
afterAll(() => tmp.cleanup())

// Module-level holders, as user code has them. `N` above is a small integer captured by the
// tests' closures: its context slot has no edge in a snapshot, which the variable naming must
// cope with.
class Session {
  constructor(
    public id: number,
    public user: string,
  ) {}
}
const sessions = new Map<number, Session>()

const handlers: Array<() => number> = []

class Account {
  constructor(
    public id: number,
    public apiKey: string,
  ) {}
}
const accounts: Account[] = []

function analyze(files: [string, string, string], extra: Partial<SnapshotAnalysisInput> = {}) {
  return analyzeSnapshots({ files, callsBetween: [N, N], showStrings: false, ignoreTypes: [], explain: true, ...extra })
}

/** Bytes per call of the user heap between A and C. */
function userRate(r: { userBytes: [number, number, number] }): number {
  return (r.userBytes[2] - r.userBytes[0]) / (2 * N)
}

describe('analyzeSnapshots on leaks', () => {
  let sessionFiles: [string, string, string] | undefined

  test('module-level Map leaking Session instances', async () => {
    const files = threeSnapshots(tmp.dir, (i) => {
      sessions.set(i, new Session(i, `user-${i}`))
    })
    sessionFiles = files
    const result = await analyze(files)
    sessions.clear()
    expect(result.retainedTypes[0]?.name).toBe('Session')
    const session = result.retainedTypes[0]!
    expect(session.nodeType).toBe('object')
    expect(session.countPerIteration).toBeGreaterThan(0.95)
    expect(session.countPerIteration).toBeLessThan(1.05)
    expect(session.bytesPerIteration).toBeGreaterThan(16)
    expect(session.retainedCount).toBe(N)
    // The per-call user strings grow too; the Map's table grows in bytes.
    expect(result.retainedTypes.find((t) => t.name === '(string)')?.countPerIteration).toBeCloseTo(1, 1)
    const path = result.retainerPaths.find((p) => p.type === 'Session')!
    expect(path.text).toMatch(/^\(module scope\) → sessions \(Map\) → table → \[\d+\] → Session$/)
    expect(path.count).toBe(N)
    expect(path.steps[0]).toMatchObject({ edge: 'sessions', edgeType: 'context', name: 'Map' })
    expect(result.growingTypes).toBeGreaterThanOrEqual(2)
    expect(userRate(result)).toBeGreaterThan(40)
  })

  test('closure leak: closures and their captured scopes', async () => {
    const files = threeSnapshots(tmp.dir, (i) => {
      const state = { i, data: [i] }
      handlers.push(() => state.i)
    })
    const result = await analyze(files)
    handlers.length = 0
    const closure = result.retainedTypes.find((t) => t.nodeType === 'closure')
    expect(closure?.countPerIteration).toBeCloseTo(1, 1)
    expect(result.retainedTypes.find((t) => t.name === 'system / Context')?.countPerIteration).toBeCloseTo(1, 1)
    expect(result.retainedTypes.find((t) => t.name === 'Object')?.countPerIteration).toBeCloseTo(1, 1)
    const path = result.retainerPaths.find((p) => p.type === closure!.name)!
    expect(path.text).toMatch(/^\(module scope\) → handlers \(Array\) → \[\d+\] → \(anonymous function\)$/)
    expect(path.count).toBe(N)
    const objectPath = result.retainerPaths.find((p) => p.type === 'Object')
    if (objectPath) expect(objectPath.text).toContain('context → state')
  })

  test('string contents never appear unless showStrings', async () => {
    const files = threeSnapshots(tmp.dir, (i) => {
      accounts.push(new Account(i, `sk_live_SECRET123-${i}`))
    })
    const redacted = await analyze(files)
    const text = JSON.stringify(redacted)
    expect(text).not.toContain('sk_live')
    expect(text).not.toContain('SECRET123')
    const strings = redacted.retainedTypes.find((t) => t.nodeType === 'string')!
    expect(strings.name).toBe('(string)')
    expect(strings.countPerIteration).toBeGreaterThan(0.95)
    expect(redacted.retainedTypes.find((t) => t.name === 'Account')?.countPerIteration).toBeCloseTo(1, 1)
    // Template literals make cons strings: the key is held as `apiKey`, its parts as first / second.
    const stringPath = redacted.retainerPaths.find((p) => p.type === '(string)')!
    expect(stringPath.text).toMatch(/^\(module scope\) → accounts \(Array\) → \[\d+\] \(Account\) → apiKey → (?:(?:first|second) → )?\(string, \d+ chars\)$/)
    // Opting in shows them.
    const shown = await analyze(files, { showStrings: true })
    accounts.length = 0
    expect(JSON.stringify(shown)).toContain('sk_live_SECRET123')
  })

  test('ignoreTypes leaves types out', async () => {
    expect(sessionFiles).toBeDefined()
    const some = await analyze(sessionFiles!, { ignoreTypes: ['Session'], explain: false })
    expect(some.retainedTypes.map((t) => t.name)).not.toContain('Session')
    expect(some.retainedTypes.map((t) => t.name)).toContain('(string)')
    const result = await analyze(sessionFiles!, { ignoreTypes: ['Session', /^string:/, /^array:/] })
    expect(result.retainedTypes.map((t) => t.name)).toEqual([])
    expect(result.growingTypes).toBe(0)
    expect(result.retainerPaths).toEqual([])
  })
})

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
