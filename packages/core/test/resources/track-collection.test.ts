import { describe, expect, it } from 'vitest'
import { LeakproofUsageError } from '../../src/errors.js'
import { trackCollection } from '../../src/resources/index.js'

class Widget {
  readonly payload = new Array(100).fill(0)
}

// Module-level holders: what keeps a "retained" widget alive, by name.
const keptWidgets: Widget[] = []
const registry = new Map<string, { widget: Widget }>()

class Link {
  next: Link | undefined = undefined
  value: Widget | undefined = undefined
}
const chain: { head: Link | undefined } = { head: undefined }

class Credentials {
  constructor(readonly apiKey: string) {}
}
const vault = new Map<string, Credentials>()

/** Creates the object inside a function so no local of the test itself references it. */
function trackFresh(keep?: (w: Widget) => void) {
  const widget = new Widget()
  keep?.(widget)
  return trackCollection(widget)
}

describe('trackCollection', () => {
  it('says collected for an object nothing references', async () => {
    const tracker = trackFresh()
    expect(tracker.label).toBe('Widget')
    expect(await tracker.isCollected()).toBe(true)
    expect(await tracker.check()).toEqual({ collected: true })
  })

  it('says collected once the last reference is dropped, not before', async () => {
    let held: Widget | undefined = new Widget()
    const tracker = trackCollection(held, 'the held widget')
    expect(tracker.label).toBe('the held widget')
    expect(await tracker.isCollected({ timeout: 200 })).toBe(false)
    held = undefined
    expect(held).toBeUndefined()
    expect(await tracker.isCollected()).toBe(true)
  })

  it('does not keep the value alive itself (functions and arrays too)', async () => {
    const make = () => {
      const fn = () => 1
      const arr = [1, 2, 3]
      return [trackCollection(fn), trackCollection(arr)] as const
    }
    const [fnTracker, arrTracker] = make()
    expect(fnTracker.label).toBe('function fn')
    expect(arrTracker.label).toBe('Array')
    expect(await fnTracker.isCollected()).toBe(true)
    expect(await arrTracker.isCollected()).toBe(true)
  })

  it('reports a retained object with the path through the holding variable', async () => {
    const tracker = trackFresh((w) => keptWidgets.push(w))
    const result = await tracker.check()
    expect(result.collected).toBe(false)
    expect(result.retainerPath).toMatch(/keptWidgets \(Array\) → \[0\] → Widget$/)
    keptWidgets.length = 0
    expect(await tracker.isCollected()).toBe(true)
  })

  it('names the property path of a retained object', async () => {
    const tracker = trackFresh((w) => registry.set('session-1', { widget: w }))
    const result = await tracker.check()
    expect(result.collected).toBe(false)
    expect(result.retainerPath).toContain('registry (Map)')
    expect(result.retainerPath).toMatch(/widget → Widget$/)
    registry.clear()
    expect(await tracker.isCollected()).toBe(true)
  })

  it('finds an object held from a global property', async () => {
    const g = globalThis as { leakproofTestHolder?: unknown }
    const tracker = trackFresh((w) => (g.leakproofTestHolder = { inner: w }))
    try {
      const { collected, retainerPath } = await tracker.check()
      expect(collected).toBe(false)
      expect(retainerPath).toMatch(/leakproofTestHolder \(Object\) → inner → Widget$/)
    } finally {
      delete g.leakproofTestHolder
    }
  })

  it('folds the repeated link of a linked list the object sits deep in', async () => {
    const tracker = trackFresh((w) => {
      let link = (chain.head = new Link())
      for (let i = 0; i < 500; i++) link = link.next = new Link()
      link.value = w
    })
    try {
      const { collected, retainerPath } = await tracker.check()
      expect(collected).toBe(false)
      expect(retainerPath).toMatch(/^\(module scope\) → chain \(Object\) → head \(Link\) → next ×500 \(Link\) → value → Widget$/)
    } finally {
      chain.head = undefined
    }
    expect(await tracker.isCollected()).toBe(true)
  })

  it('never shows string contents on the path', async () => {
    const secret = `sk_live_${'S3CRET'.repeat(4)}`
    const make = () => {
      const credentials = new Credentials(`${secret}-value`)
      vault.set(`${secret}-key`, credentials)
      return trackCollection(credentials)
    }
    const tracker = make()
    try {
      const { collected, retainerPath } = await tracker.check()
      expect(collected).toBe(false)
      expect(retainerPath).toContain('vault (Map)')
      expect(retainerPath).toMatch(/→ Credentials$/)
      expect(retainerPath).not.toContain('S3CRET')
    } finally {
      vault.clear()
    }
  })

  it('rejects primitives with a usage error naming the value', () => {
    const bad = (v: unknown) => () => trackCollection(v as object)
    expect(bad(5)).toThrow(LeakproofUsageError)
    expect(bad(5)).toThrow('toBeCollected needs an object, got number 5')
    expect(bad('text')).toThrow('toBeCollected needs an object, got the string "text"')
    expect(bad(null)).toThrow('got null')
    expect(bad(undefined)).toThrow('got undefined undefined')
    expect(bad(Symbol('s'))).toThrow(LeakproofUsageError)
    expect(() => trackCollection({}, 42 as unknown as string)).toThrow(LeakproofUsageError)
  })

  it('rejects a bad timeout option', async () => {
    const tracker = trackFresh()
    await expect(tracker.isCollected({ timeout: -1 })).rejects.toThrow(LeakproofUsageError)
  })
})
