import { EventEmitter as NodeEventEmitter } from 'node:events'
import EventsDefault from 'events'
import http from 'node:http'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { watchListeners, watchResources } from '../../src/resources/index.js'
import { measure, noop } from './helpers.js'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

describe('AbortSignal', () => {
  it("reports an 'abort' listener added per call to a long-lived signal", async () => {
    const controller = new AbortController()
    const { listeners } = await measure(() => {
      controller.signal.addEventListener('abort', () => {})
    })
    expect(listeners).toEqual([{ target: 'AbortSignal', event: 'abort', countPerIteration: 1, retainedCount: 20 }])
  })

  it('does not report listeners that are removed again (removeEventListener, { signal }, once + abort)', async () => {
    const controller = new AbortController()
    const removed = await measure(() => {
      const onAbort = () => {}
      controller.signal.addEventListener('abort', onAbort)
      controller.signal.removeEventListener('abort', onAbort)
    })
    expect(removed.listeners).toEqual([])

    const viaSignal = await measure(() => {
      const scope = new AbortController()
      controller.signal.addEventListener('abort', () => {}, { signal: scope.signal })
      scope.abort()
    })
    expect(viaSignal.listeners).toEqual([])

    // the same listener added again is not added twice (EventTarget semantics)
    const same = () => {}
    const duplicate = await measure(() => controller.signal.addEventListener('abort', same))
    expect(duplicate.listeners).toEqual([])
  })

  it('does not report a per-call signal that is dropped', async () => {
    const { listeners } = await measure(() => {
      const c = new AbortController()
      c.signal.addEventListener('abort', () => {})
    })
    expect(listeners).toEqual([])
  })
})

describe('EventEmitter', () => {
  it('reports a listener added per call and kept', async () => {
    const bus = new NodeEventEmitter()
    bus.setMaxListeners(0)
    const { listeners } = await measure(() => {
      bus.on('message', noop.bind(null))
    })
    expect(listeners).toEqual([{ target: 'EventEmitter', event: 'message', countPerIteration: 1, retainedCount: 20 }])
  })

  it('counts every add method: prependListener, addListener, once that never fires, symbols', async () => {
    const bus = new NodeEventEmitter()
    bus.setMaxListeners(0)
    const tick = Symbol('tick')
    const { listeners } = await measure(() => {
      bus.prependListener('a', () => {})
      bus.addListener('a', () => {})
      bus.once('b', () => {})
      bus.on(tick, () => {})
    })
    expect(listeners).toEqual(
      expect.arrayContaining([
        { target: 'EventEmitter', event: 'a', countPerIteration: 2, retainedCount: 40 },
        { target: 'EventEmitter', event: 'b', countPerIteration: 1, retainedCount: 20 },
        { target: 'EventEmitter', event: 'Symbol(tick)', countPerIteration: 1, retainedCount: 20 },
      ]),
    )
    expect(listeners).toHaveLength(3)
  })

  it('does not report listeners removed with off / removeListener / removeAllListeners', async () => {
    const bus = new NodeEventEmitter()
    const off = await measure(() => {
      const fn = () => {}
      bus.on('x', fn)
      bus.off('x', fn)
    })
    expect(off.listeners).toEqual([])
    const all = await measure(() => {
      bus.on('y', () => {})
      bus.on('y', () => {})
      bus.removeAllListeners('y')
    })
    expect(all.listeners).toEqual([])
  })

  it('does not report `once` listeners that fired', async () => {
    const bus = new NodeEventEmitter()
    const { listeners } = await measure(() => {
      bus.once('done', () => {})
      bus.prependOnceListener('done', () => {})
      bus.emit('done')
    })
    expect(listeners).toEqual([])
    expect(bus.listenerCount('done')).toBe(0)
  })

  it('does not report listeners on a per-call emitter that is dropped', async () => {
    const { listeners } = await measure(() => {
      const e = new NodeEventEmitter()
      e.on('data', () => {})
      e.on('data', () => {})
    })
    expect(listeners).toEqual([])
  })

  it('does not report a growing emitter that is garbage by the time the measurement ends', async () => {
    let bus: NodeEventEmitter | undefined = new NodeEventEmitter()
    bus.setMaxListeners(0)
    const watch = watchListeners([])
    watch.begin()
    watch.checkpoint(0)
    for (let i = 1; i <= 20; i++) {
      bus!.on('grow', () => {})
      if (i === 10) watch.checkpoint(10)
    }
    watch.checkpoint(20)
    bus = undefined // the only reference: a GC collects it
    expect(await watch.finish()).toEqual([])

    // The same, still referenced, is reported: what decided it above was the collection.
    const kept = new NodeEventEmitter()
    kept.setMaxListeners(0)
    const again = watchListeners([])
    again.begin()
    again.checkpoint(0)
    for (let i = 1; i <= 20; i++) {
      kept.on('grow', () => {})
      if (i === 10) again.checkpoint(10)
    }
    again.checkpoint(20)
    expect(await again.finish()).toEqual([{ target: 'EventEmitter', event: 'grow', countPerIteration: 1, retainedCount: 20 }])
  })

  it("works with the 'events' module and subclasses (http.Server, streams)", async () => {
    class Bus extends EventsDefault {}
    const bus = new Bus()
    bus.setMaxListeners(0)
    const server = http.createServer()
    server.setMaxListeners(0)
    const stream = new PassThrough()
    stream.setMaxListeners(0)
    const { listeners } = await measure(() => {
      bus.on('tick', () => {})
      server.on('request', () => {})
      stream.on('end', () => {})
    })
    expect(listeners).toEqual(
      expect.arrayContaining([
        { target: 'Bus', event: 'tick', countPerIteration: 1, retainedCount: 20 },
        { target: 'Server', event: 'request', countPerIteration: 1, retainedCount: 20 },
        { target: 'PassThrough', event: 'end', countPerIteration: 1, retainedCount: 20 },
      ]),
    )
    expect(listeners).toHaveLength(3)
  })

  it('aggregates targets of the same type and event', async () => {
    const a = new NodeEventEmitter()
    const b = new NodeEventEmitter()
    const { listeners } = await measure(() => {
      a.on('x', () => {})
      b.on('x', () => {})
    })
    expect(listeners).toEqual([{ target: 'EventEmitter', event: 'x', countPerIteration: 2, retainedCount: 40 }])
  })

  it('listeners that existed before begin() and one-off listeners are not reported', async () => {
    const bus = new NodeEventEmitter()
    bus.setMaxListeners(0)
    for (let i = 0; i < 50; i++) bus.on('old', () => {})
    const { listeners } = await measure((call) => {
      if (call === 1) for (let i = 0; i < 5; i++) bus.on('lazy', () => {})
      bus.removeListener('old', bus.listeners('old')[0] as () => void)
    })
    expect(listeners).toEqual([])
  })
})

describe('ignoreListeners', () => {
  it("matches `Target 'event'` text by substring or RegExp", async () => {
    const signal = new AbortController().signal
    const bus = new NodeEventEmitter()
    bus.setMaxListeners(0)
    const subject = () => {
      signal.addEventListener('abort', () => {})
      bus.on('data', () => {})
    }
    const some = await measure(subject, { ignoreListeners: ["AbortSignal 'abort'"] })
    expect(some.listeners.map((l) => l.target)).toEqual(['EventEmitter'])
    const all = await measure(subject, { ignoreListeners: [/AbortSignal|EventEmitter/] })
    expect(all.listeners).toEqual([])
  })
})

describe('prototype wrapping', () => {
  const emitterKeys = ['addListener', 'on', 'prependListener', 'once', 'prependOnceListener', 'removeListener', 'off', 'removeAllListeners'] as const
  const snapshot = () => ({
    emitter: emitterKeys.map((k) => NodeEventEmitter.prototype[k]),
    descriptors: emitterKeys.map((k) => Object.getOwnPropertyDescriptor(NodeEventEmitter.prototype, k)),
    add: EventTarget.prototype.addEventListener,
    remove: EventTarget.prototype.removeEventListener,
    addDescriptor: Object.getOwnPropertyDescriptor(EventTarget.prototype, 'addEventListener'),
  })

  it('wraps only while watching and restores the originals on finish and on dispose', async () => {
    const before = snapshot()
    expect(NodeEventEmitter.prototype.on).toBe(NodeEventEmitter.prototype.addListener)

    const watch = watchResources({ ignoreResources: [], ignoreListeners: [], ignoreSites: [] })
    expect(snapshot()).toEqual(before) // nothing installed before begin()
    watch.begin()
    expect(NodeEventEmitter.prototype.on).not.toBe(before.emitter[1])
    expect(EventTarget.prototype.addEventListener).not.toBe(before.add)
    watch.checkpoint(0)
    await watch.finish()
    const after = snapshot()
    expect(after.emitter.every((fn, i) => fn === before.emitter[i])).toBe(true)
    expect(after).toEqual(before)
    expect(EventTarget.prototype.addEventListener).toBe(before.add)

    const aborted = watchResources({ ignoreResources: [], ignoreListeners: [], ignoreSites: [] })
    aborted.begin()
    aborted.dispose()
    aborted.dispose() // idempotent
    expect(snapshot()).toEqual(before)
    expect(NodeEventEmitter.prototype.once).toBe(before.emitter[3])
  })

  it('two overlapping watches share one installation and restore when the last ends', async () => {
    const original = NodeEventEmitter.prototype.on
    const first = watchListeners([])
    const second = watchListeners([])
    first.begin()
    second.begin()
    first.dispose()
    expect(NodeEventEmitter.prototype.on).not.toBe(original)
    await second.finish()
    expect(NodeEventEmitter.prototype.on).toBe(original)
  })

  it('the wrappers keep the original behaviour and return values', async () => {
    const watch = watchListeners([])
    watch.begin()
    try {
      const bus = new NodeEventEmitter()
      expect(bus.on('a', noop)).toBe(bus)
      expect(NodeEventEmitter.prototype.on.name).toBe('addListener')
      let received: unknown
      bus.once('a', (v: unknown) => (received = v))
      bus.emit('a', 42)
      expect(received).toBe(42)
      const target = new EventTarget()
      let calls = 0
      target.addEventListener('e', () => calls++, { once: true })
      target.dispatchEvent(new Event('e'))
      target.dispatchEvent(new Event('e'))
      expect(calls).toBe(1)
    } finally {
      watch.dispose()
    }
  })
})
