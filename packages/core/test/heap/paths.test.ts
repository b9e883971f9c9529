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
})
