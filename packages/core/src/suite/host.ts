// The worker's registry of test files' worlds, kept in the worker's main realm.
//
// Test files run in their own realms (Jest's vm contexts, Vitest's vm pools), and in a vm pool even
// leakproof's own modules are loaded anew in each file's realm. Anything the registry keeps must
// therefore belong to the worker's main realm: an object made by a file's realm holds that realm's
// native context (through its map), and the registry would then keep alive the very world it
// watches. The registry is built once per worker from source evaluated with vm.runInThisContext
// (the worker's main context) and found again through a registered symbol on that realm's global.
// It holds strings, numbers, plain objects and WeakRefs made there, and functions made there.

import v8 from 'node:v8'
import vm from 'node:vm'
import { LeakproofUsageError } from '../errors.js'

/** Marker class name the heap-snapshot search recognises (resources/retainer-path.ts). */
const HOST_SOURCE = `(function (key) {
  const g = globalThis
  const existing = g[key]
  if (existing) return existing
  class LeakproofCollectionMarker {
    constructor(token, target) { this.token = token; this.ref = new WeakRef(target) }
  }
  const r = {
    version: 1,
    next: 0,
    worlds: [],
    results: [],
    add(file, token, target) {
      const world = { file: String(file), order: r.next++, token: String(token), marker: new LeakproofCollectionMarker(String(token), target), state: 'running', endedAt: 0 }
      r.worlds.push(world)
      return world.order
    },
    ended(order) {
      for (const w of r.worlds) if (w.order === order && w.state === 'running') { w.state = 'pending'; w.endedAt = Date.now() }
    },
    pendingCount() {
      let n = 0
      for (const w of r.worlds) if (w.state === 'pending') n++
      return n
    },
    // One forced GC, then which ended worlds are gone. Call it in a job in which no marker's
    // WeakRef was dereferenced: V8 keeps a target dereferenced in the current job alive.
    gc: typeof g.gc === 'function' ? g.gc : undefined,
    check(at) {
      const gc = r.gc
      const pending = r.worlds.filter((w) => w.state === 'pending')
      if (pending.length === 0) return 0
      // Two full collections: a vm context a file ran in is often still alive after one (measured
      // on a real Jest suite: 5 of 9 files alive after one gc(), all gone after two).
      gc()
      gc()
      const heapUsed = process.memoryUsage().heapUsed
      for (const w of pending) {
        const alive = w.marker.ref.deref() !== undefined
        // Seen alive once: a suspect, looked at again after another GC in a later job (the
        // runner may still have been returning from the file). Alive twice: held.
        if (alive && !w.suspect) {
          w.suspect = true
          continue
        }
        w.state = alive ? 'held' : 'released'
        r.results.push({ file: w.file, order: w.order, released: !alive, heapUsed, at, token: w.token })
      }
      r.worlds = r.worlds.filter((w) => w.state !== 'released')
      return pending.length
    },
    takeResults() {
      const out = r.results
      r.results = []
      return out
    },
    marker(order) {
      for (const w of r.worlds) if (w.order === order) return w.marker
      return undefined
    },
    forget(order) {
      r.worlds = r.worlds.filter((w) => w.order !== order)
    },
  }
  Object.defineProperty(g, key, { value: r, configurable: true, enumerable: false, writable: false })
  return r
})`

export interface HostWorldResult {
  file: string
  order: number
  released: boolean
  heapUsed: number
  /** When the check ran: `next-file` (the next file's start), `idle` (the worker idled), `worker-end`. */
  at: string
  token: string
}

export interface HostRegistry {
  add(file: string, token: string, target: object): number
  ended(order: number): void
  pendingCount(): number
  /** A full GC of the worker, made by its main realm (or a fresh one): never a test file's. */
  gc: (() => void) | undefined
  check(at: string): number
  takeResults(): HostWorldResult[]
  marker(order: number): { token: string; ref: WeakRef<object> } | undefined
  forget(order: number): void
}

const KEY = 'leakproof.suite.worlds.v1'

let cached: HostRegistry | undefined

/** The worker's registry (created on first use). */
export function hostRegistry(): HostRegistry {
  if (cached) return cached
  const make = vm.runInThisContext(HOST_SOURCE) as (key: symbol) => HostRegistry
  const registry = make(Symbol.for(KEY))
  if (typeof registry.gc !== 'function') {
    // No --expose-gc: the flag at run time, and gc from a fresh context (not a test file's realm).
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as unknown
    if (typeof gc !== 'function') {
      throw new LeakproofUsageError('leakproof suite checks cannot force garbage collection: run Node with --expose-gc')
    }
    registry.gc = gc as () => void
  }
  cached = registry
  return cached
}
