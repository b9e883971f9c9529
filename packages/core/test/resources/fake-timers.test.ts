import { EventEmitter } from 'node:events'
import fs from 'node:fs'
import os from 'node:os'
import http from 'node:http'
import net from 'node:net'
import { once } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { trackCollection } from '../../src/resources/index.js'
import { activeCount, measure } from './helpers.js'

const realSetImmediate = globalThis.setImmediate
const cleanups: (() => unknown)[] = []

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(async () => {
  vi.useRealTimers()
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

class Session {}

describe('with fake timers installed', () => {
  it('the fakes are really installed (setImmediate, setTimeout, performance)', () => {
    expect(vi.isFakeTimers()).toBe(true)
    expect(globalThis.setImmediate).not.toBe(realSetImmediate)
    expect((globalThis.setTimeout as unknown as { clock?: unknown }).clock).toBeDefined()
  })

  it('reports servers left listening and not closed ones, without hanging', { timeout: 10_000 }, async () => {
    const leaky = await measure(async () => {
      const server = http.createServer().listen(0, '127.0.0.1')
      await once(server, 'listening')
      cleanups.push(() => server.close())
    })
    expect(leaky.resources).toMatchObject([{ type: 'TCPServerWrap', countPerIteration: 1, retainedCount: 20 }])
    // the settling backoff ran on real timers: it took real time, which the fake clock did not see
    expect(leaky.ms).toBeGreaterThan(100)

    const clean = await measure(async () => {
      const server = http.createServer().listen(0, '127.0.0.1')
      await once(server, 'listening')
      server.close()
      await once(server, 'close')
    })
    expect(clean.resources).toEqual([])
  })

  it('settles watchers that close asynchronously after the last call', { timeout: 10_000 }, async () => {
    let openAtEnd = 0
    const { resources } = await measure((call) => {
      // closed once an fs request completes on the thread pool: real I/O, no timers
      const watcher = fs.watch(os.tmpdir())
      fs.stat(os.tmpdir(), () => watcher.close())
      if (call === 20) openAtEnd = activeCount('FSEventWrap')
    })
    expect(openAtEnd).toBeGreaterThanOrEqual(20)
    expect(resources).toEqual([])
  })

  it('reports listener growth (the GC pass needs a real macrotask)', { timeout: 10_000 }, async () => {
    const bus = new EventEmitter()
    bus.setMaxListeners(0)
    let dropped: EventEmitter | undefined = new EventEmitter()
    dropped.setMaxListeners(0)
    const { listeners } = await measure((call) => {
      bus.on('tick', () => {})
      dropped?.on('tick', () => {})
      if (call === 20) dropped = undefined
    })
    expect(listeners).toEqual([{ target: 'EventEmitter', event: 'tick', countPerIteration: 1, retainedCount: 20 }])
  })

  it('trackCollection sees collection and retention', { timeout: 10_000 }, async () => {
    const kept: Session[] = []
    const make = (keep: boolean) => {
      const s = new Session()
      if (keep) kept.push(s)
      return trackCollection(s)
    }
    expect(await make(false).isCollected()).toBe(true)
    const retained = await make(true).check()
    expect(retained.collected).toBe(false)
    expect(retained.retainerPath).toMatch(/kept \(Array\) → \[0\] → Session$/)
  })

  it('works when the fakes were installed before leakproof was imported', { timeout: 10_000 }, async () => {
    vi.resetModules()
    const fresh = await import('../../src/resources/index.js')
    const tracker = fresh.trackCollection(new Session())
    expect(await tracker.isCollected()).toBe(true)
    const watch = fresh.watchResources({ ignoreResources: [], ignoreListeners: [], ignoreSites: [] })
    const servers: net.Server[] = []
    watch.begin()
    watch.checkpoint(0)
    for (let i = 1; i <= 10; i++) {
      const server = net.createServer().listen(0, '127.0.0.1')
      servers.push(server)
      await once(server, 'listening')
      if (i === 5) watch.checkpoint(5)
    }
    watch.checkpoint(10)
    const started = performance.now() // the fake clock
    const { resources } = await watch.finish()
    cleanups.push(() => servers.forEach((s) => s.close()))
    expect(resources).toMatchObject([{ type: 'TCPServerWrap', countPerIteration: 1, retainedCount: 10 }])
    expect(performance.now()).toBe(started) // the fake clock did not move: the waits were real
  })
})
