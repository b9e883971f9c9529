import { afterAll, describe, expect, test } from 'vitest'
import v8 from 'node:v8'
import { join } from 'node:path'
import { parseHeapSnapshot } from '../../src/heap/parser.js'
import { classifyNodes, internalRules, reasonName, type NodeRule } from '../../src/heap/filters/index.js'
import { summarizeSnapshot, type SnapshotSummary } from '../../src/heap/summary.js'
import { fullGc, tempDir, threeSnapshots } from './helpers.js'

const N = 200
const tmp = tempDir()
afterAll(() => tmp.cleanup())

function nodeRule(id: string): NodeRule {
  const rule = internalRules.find((r) => r.id === id)
  if (!rule || rule.kind !== 'node') throw new Error(`no node rule ${id}`)
  return rule
}

describe('node rules', () => {
  test('classify by V8 type and name', () => {
    expect(nodeRule('code').isInternal('code', 'system / BytecodeArray')).toBe(true)
    expect(nodeRule('code').isInternal('object', 'Object')).toBe(false)
    expect(nodeRule('object-shape').isInternal('object shape', 'system / Map')).toBe(true)
    expect(nodeRule('synthetic').isInternal('synthetic', '(GC roots)')).toBe(true)
    const hidden = nodeRule('hidden')
    expect(hidden.isInternal('hidden', 'system / WeakArrayList')).toBe(true)
    expect(hidden.isInternal('hidden', 'system / FunctionTemplateInfo')).toBe(true)
    expect(hidden.isInternal('hidden', 'system / PropertyArray')).toBe(false)
    expect(hidden.isInternal('hidden', 'system / JSProxy')).toBe(false)
    const native = nodeRule('native')
    expect(native.isInternal('native', 'system / JSArrayBufferData')).toBe(false)
    expect(native.isInternal('native', 'Node / IsolateData')).toBe(true)
    const named = nodeRule('system-named')
    expect(named.isInternal('object', '(system)')).toBe(true)
    expect(named.isInternal('array', '(prototype transitions)')).toBe(true)
    expect(named.isInternal('array', '(object elements)')).toBe(false)
    expect(named.isInternal('array', '')).toBe(false)
  })
})

describe('classification of real heaps', () => {
  test('a leaky workload is user data; code warm-up in the same run is internal', async () => {
    const objects: object[] = []
    const strings: string[] = []
    const numbers: number[] = []
    const closures: Array<() => number> = []
    const buffers: Buffer[] = []
    const fns = Array.from({ length: 200 }, (_, k) => new Function('a', `return a * ${k} + ${k % 7}`) as (a: number) => number)
    let sink = 0
    const files = threeSnapshots(tmp.dir, (i) => {
      objects.push({})
      strings.push('k' + i)
      numbers.push(i, i + 0.5)
      const captured = { i }
      closures.push(() => captured.i)
      buffers.push(Buffer.alloc(256))
      for (let k = 0; k < Math.min(fns.length, i >> 1); k += 3) sink += fns[k]!(i)
    })
    const sums: SnapshotSummary[] = []
    for (const f of files) sums.push(summarizeSnapshot(await parseHeapSnapshot(f)))
    const growth = (key: string, field: 'count' | 'bytes') =>
      [1, 2].map((k) => (sums[k]!.histogram.get(key)?.[field] ?? 0) - (sums[k - 1]!.histogram.get(key)?.[field] ?? 0))
    for (const g of growth('object:Object', 'count')) expect(g).toBeGreaterThanOrEqual(2 * N) // {} and captured
    for (const g of growth('string:(string)', 'count')) expect(g).toBeGreaterThanOrEqual(N)
    for (const g of growth('closure:(anonymous function)', 'count')) expect(g).toBe(N)
    for (const g of growth('object:system / Context', 'count')) expect(g).toBe(N)
    for (const g of growth('object:Buffer', 'count')) expect(g).toBe(N)
    for (const g of growth('native:system / JSArrayBufferData', 'bytes')) expect(g).toBe(256 * N)
    expect(growth('array:(object elements)', 'bytes').reduce((a, b) => a + b)).toBeGreaterThan(0)
    // Compiled code for the functions warming up grew, and none of it counts as user data.
    expect(sums[2]!.internalBytes).toBeGreaterThan(sums[0]!.internalBytes)
    for (const s of sums) {
      for (const key of s.histogram.keys()) expect(key).not.toMatch(/^(code|object shape|synthetic):/)
    }
    expect(sink).not.toBe(0)
    expect(objects.length + strings.length + numbers.length + closures.length + buffers.length).toBeGreaterThan(0)
  })

  test('object-literal boilerplates and code-held strings are internal; every node is live', async () => {
    // Object literals in a function that ran a few times get a boilerplate held by an AllocationSite.
    const make = (i: number) => ({ leakproofBoilerplateField: i, other: 'x' })
    let total = 0
    for (let i = 0; i < 50; i++) total += make(i).leakproofBoilerplateField
    fullGc()
    const s = await parseHeapSnapshot(v8.writeHeapSnapshot(join(tmp.dir, 'boilerplate.heapsnapshot')))
    const c = classifyNodes(s)
    const r = s.retainers()
    const code = s.nodeTypeIndex('code')
    const shape = s.nodeTypeIndex('object shape')
    const weak = s.edgeTypeIndex('weak')
    let heldByCodeOnly = 0
    for (let i = 0; i < s.nodeCount; i++) {
      const type = s.nodeTypeName(i)
      if (type !== 'object' && type !== 'string') continue
      let strong = 0
      let internal = 0
      for (let k = r.firstRetainer[i]!; k < r.firstRetainer[i + 1]!; k++) {
        if (s.edgeType[r.retainerEdge[k]!] === weak) continue
        strong++
        const h = s.nodeType[r.retainerNode[k]!]
        if (h === code || h === shape) internal++
      }
      if (strong > 0 && strong === internal) {
        heldByCodeOnly++
        expect(reasonName(c.reason[i]!)).not.toBe('user')
      }
    }
    expect(heldByCodeOnly).toBeGreaterThan(10)
    // V8 writes only live objects: all user data is reachable from the root (weak edges included).
    const seen = new Uint8Array(s.nodeCount)
    const stack = [0]
    seen[0] = 1
    while (stack.length) {
      const i = stack.pop()!
      for (let e = s.firstEdge[i]!; e < s.firstEdge[i + 1]!; e++) {
        const j = s.edgeToNode(e)
        if (!seen[j]) {
          seen[j] = 1
          stack.push(j)
        }
      }
    }
    // (Node 22/24 also write 8 orphan code nodes for Intl.v8BreakIterator: internal anyway.)
    let unreachable = 0
    for (let i = 0; i < s.nodeCount; i++) {
      if (seen[i]) continue
      unreachable++
      expect(c.reason[i]).not.toBe(0)
    }
    expect(unreachable).toBeLessThan(20)
    expect(c.userCount + c.internalCount).toBe(s.nodeCount)
    expect(total).toBe(1225)
  })
})

describe('weak collection tables', () => {
  test("a WeakMap / WeakSet table is internal (its capacity outlives dead keys); a Map's table and live keys stay user data", async () => {
    class Registry extends WeakMap<object, object> {}
    const weakSet = new WeakSet<object>()
    const registry = new Registry()
    const map = new Map<object, object>()
    const liveKeys: object[] = []
    for (let i = 0; i < 2000; i++) {
      const key = { dead: i }
      weakSet.add(key)
      registry.set(key, { value: i })
    }
    for (let i = 0; i < 3; i++) {
      const key = { live: i }
      liveKeys.push(key)
      registry.set(key, { liveValue: { i } }) // (a Smi alone would not be an edge)
      map.set(key, { mapValue: i })
    }
    const holder = { leakproofWeakHolder: { weakSet, registry, map } }
    ;(globalThis as Record<string, unknown>).leakproofWeakTest = holder
    try {
      fullGc()
      const s = await parseHeapSnapshot(v8.writeHeapSnapshot(join(tmp.dir, 'weak.heapsnapshot')))
      const c = classifyNodes(s)
      const byName = (i: number, edge: string): number => {
        for (let e = s.firstEdge[i]!; e < s.firstEdge[i + 1]!; e++) if (s.edgeName(e) === edge) return s.edgeToNode(e)
        return -1
      }
      let inner = -1
      for (let i = 0; i < s.nodeCount && inner < 0; i++) {
        const j = byName(i, 'leakproofWeakHolder')
        if (j >= 0) inner = j
      }
      expect(inner).toBeGreaterThanOrEqual(0)
      const tableOf = (field: string) => byName(byName(inner, field), 'table')
      for (const field of ['weakSet', 'registry']) {
        const table = tableOf(field)
        expect(s.nodeTypeName(table)).toBe('array')
        // 2000 dead keys left a table far larger than its 3 live entries need.
        expect(s.selfSize(table)).toBeGreaterThan(4096)
        expect(reasonName(c.reason[table]!)).toBe('weak-collection-table')
      }
      expect(reasonName(c.reason[tableOf('map')]!)).toBe('user')
      // Values of live keys are still user data, reached through the (non-barrier) table.
      const registryTable = tableOf('registry')
      const liveValues = new Set<number>()
      for (let e = s.firstEdge[registryTable]!; e < s.firstEdge[registryTable + 1]!; e++) {
        const v = s.edgeToNode(e)
        if (byName(v, 'liveValue') < 0) continue
        liveValues.add(v)
        expect(reasonName(c.reason[v]!)).toBe('user')
      }
      expect(liveValues.size).toBe(3)
    } finally {
      delete (globalThis as Record<string, unknown>).leakproofWeakTest
    }
  })

  test('held values of FinalizationRegistry cells whose target is collected are internal; those of live targets are user data', async () => {
    class HeldForLive {
      constructor(public n: number) {}
    }
    class HeldForDead {
      constructor(public n: number) {}
    }
    const registry = new FinalizationRegistry<object>(() => {})
    const liveTargets = Array.from({ length: 5 }, (_, i) => ({ live: i }))
    liveTargets.forEach((t, i) => registry.register(t, new HeldForLive(i)))
    for (let i = 0; i < 50; i++) registry.register({ dead: i }, new HeldForDead(i))
    ;(globalThis as Record<string, unknown>).leakproofFinalization = { registry, liveTargets }
    try {
      // GC and snapshot in one job: the cleanup callbacks cannot have run, as when Node runs
      // them a turn or more late.
      fullGc()
      const s = await parseHeapSnapshot(v8.writeHeapSnapshot(join(tmp.dir, 'finalization.heapsnapshot')))
      const c = classifyNodes(s)
      const reasons = (name: string) => {
        const out: string[] = []
        for (let i = 0; i < s.nodeCount; i++) if (s.nodeNameOf(i) === name && s.nodeTypeName(i) === 'object') out.push(reasonName(c.reason[i]!))
        return out
      }
      expect(reasons('HeldForDead')).toHaveLength(50)
      expect(new Set(reasons('HeldForDead'))).toEqual(new Set(['only-reachable-through-internals']))
      expect(reasons('HeldForLive')).toEqual(['user', 'user', 'user', 'user', 'user'])
    } finally {
      delete (globalThis as Record<string, unknown>).leakproofFinalization
    }
  })
})
