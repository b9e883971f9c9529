import { afterAll, describe, expect, test } from 'vitest'
import { analyzeSnapshots, type SnapshotAnalysisInput } from '../../src/explain/three-snapshots.js'
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
    const texts = redacted.retainerPaths.filter((p) => p.type === '(string)').map((p) => p.text)
    expect(texts).toContainEqual(expect.stringMatching(/^\(module scope\) → accounts \(Array\) → \[\d+\] \(Account\) → apiKey → \(string, 2\d chars\)$/))
    // Opting in shows them (a cons string's text is read from its parts).
    const shown = await analyze(files, { showStrings: true })
    accounts.length = 0
    expect(shown.retainerPaths.map((p) => p.text)).toContainEqual(expect.stringMatching(/apiKey → "sk_live_SECRET123-\d+"$/))
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
