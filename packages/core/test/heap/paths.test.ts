import { afterAll, describe, expect, test } from 'vitest'
import { analyzeSnapshots } from '../../src/explain/three-snapshots.js'
import { tempDir, threeSnapshots } from './helpers.js'

const tmp = tempDir()
afterAll(() => {
  tmp.cleanup()
  delete (globalThis as { leakproofCache?: unknown }).leakproofCache
})

class Widget {
  constructor(public id: number) {}
}

class Link {
  next: Link | undefined = undefined
  constructor(public id: number) {}
}

describe('retainer paths', () => {
  test('a globalThis property is named, and paths differing only by index are one cluster', async () => {
    const cache = { items: [] as Widget[] }
    ;(globalThis as { leakproofCache?: unknown }).leakproofCache = cache
    const files = threeSnapshots(tmp.dir, (i) => {
      cache.items.push(new Widget(i))
    }, 150)
    const result = await analyzeSnapshots({ files, callsBetween: [150, 150], showStrings: false, ignoreTypes: [], explain: true, maxPaths: 2 })
    expect(result.retainedTypes[0]?.name).toBe('Widget')
    expect(result.retainerPaths.length).toBeLessThanOrEqual(2)
    const path = result.retainerPaths.find((p) => p.type === 'Widget')!
    expect(path.text).toMatch(/^\(global\) → leakproofCache \(Object\) → items \(Array\) → \[\d+\] → Widget$/)
    expect(path.count).toBe(150)
    expect(path.steps.map((s) => s.edge).slice(0, 2)).toEqual(['leakproofCache', 'items'])
    expect(path.steps.at(-1)).toMatchObject({ edgeType: 'element', name: 'Widget', nodeType: 'object' })
    // Without explain, the same types and no paths.
    const quiet = await analyzeSnapshots({ files, callsBetween: [150, 150], showStrings: false, ignoreTypes: [], explain: false })
    expect(quiet.retainedTypes).toEqual(result.retainedTypes)
    expect(quiet.retainerPaths).toEqual([])
  })

  test('a linked list is one cause: the repeated link is folded into one step with a count', async () => {
    const chain: { head: Link | undefined } = { head: undefined }
    ;(globalThis as { leakproofChain?: unknown }).leakproofChain = chain
    // Appended at the tail: each new Link sits one step deeper than the last.
    let tail: Link | undefined
    const files = threeSnapshots(tmp.dir, (i) => {
      const link = new Link(i)
      if (tail) tail.next = link
      else chain.head = link
      tail = link
    }, 1500)
    try {
      const result = await analyzeSnapshots({ files, callsBetween: [1500, 1500], showStrings: false, ignoreTypes: [], explain: true, maxPaths: 3 })
      const path = result.retainerPaths.find((p) => p.type === 'Link')!
      expect(path.text).toMatch(/^\(global\) → leakproofChain \(Object\) → head \(Link\) → next ×\d+ \(Link\) → next → Link$/)
      // Every Link of the window shares the one cluster, however deep it sits.
      expect(path.count).toBe(1500)
      const folded = path.steps.find((st) => st.repeat)!
      expect(folded).toMatchObject({ edge: 'next', name: 'Link' })
      expect(folded.repeat).toBeGreaterThanOrEqual(3)
      expect(path.steps.length).toBeLessThan(8)
    } finally {
      delete (globalThis as { leakproofChain?: unknown }).leakproofChain
    }
  })
})
