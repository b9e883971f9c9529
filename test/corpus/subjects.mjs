// The verdict corpus: subjects that must be reported as leaks, and subjects that must pass.
// Each entry's `make()` builds fresh state and returns { run, cleanup?, holder?, type? }:
//   run      the subject handed to measureLeak
//   cleanup  releases what a leaky subject left behind (intervals, listeners) after the verdict
//   holder   for leaky subjects, the name the retainer path must mention (issue: explain)
//   type     for leaky subjects, the retained type the report should rank first
// Plain JavaScript so that Vitest tests, Jest fixtures, bench scripts and the stability
// script can all import it without a TypeScript toolchain.
import { EventEmitter, once } from 'node:events'
import { createServer } from 'node:http'

const tick = () => new Promise((resolve) => setImmediate(resolve))

class Session {
  constructor(id) {
    this.id = id
    this.user = { name: 'user' + id }
  }
}

/** @type {{ name: string, make: () => { run: () => unknown, cleanup?: () => void, holder?: string, type?: string } }[]} */
export const leaky = [
  {
    name: 'unbounded Map cache of sessions',
    make() {
      const sessions = new Map()
      let id = 0
      return { holder: 'sessions', type: 'Session', run: () => { id++; sessions.set('s' + id, new Session(id)) } }
    },
  },
  {
    name: 'one empty object per call in an array',
    make() {
      const keep = []
      return { holder: 'keep', type: 'Object', run: () => { keep.push({}) } }
    },
  },
  {
    name: 'Set of objects',
    make() {
      const seen = new Set()
      return { holder: 'seen', type: 'Object', run: () => { seen.add({ at: 1 }) } }
    },
  },
  {
    name: 'one number per call in an array',
    make() {
      const numbers = []
      let i = 0
      return { holder: 'numbers', run: () => { numbers.push(i++) } }
    },
  },
  {
    name: 'one double per call in an array',
    make() {
      const readings = []
      let i = 0
      return { holder: 'readings', run: () => { readings.push(i++ + 0.5) } }
    },
  },
  {
    name: 'one string per call',
    make() {
      const lines = []
      let i = 0
      return { holder: 'lines', run: () => { lines.push('k' + i++) } }
    },
  },
  {
    name: 'Map with string keys and number values',
    make() {
      const counts = new Map()
      let i = 0
      return { holder: 'counts', run: () => { counts.set('key:' + i, i++) } }
    },
  },
  {
    name: 'Map with number keys (step-shaped growth)',
    make() {
      const byId = new Map()
      let i = 0
      return { holder: 'byId', run: () => { byId.set(i, i++) } }
    },
  },
  {
    name: 'closure capturing a large scope kept in a list',
    make() {
      const handlers = []
      return {
        holder: 'handlers',
        run: () => {
          const big = new Array(64).fill(7)
          handlers.push(() => big.length)
        },
      }
    },
  },
  {
    name: 'small closure per call',
    make() {
      const callbacks = []
      let i = 0
      return { holder: 'callbacks', run: () => { const n = i++; callbacks.push(() => n) } }
    },
  },
  {
    name: 'EventEmitter listener never removed',
    make() {
      const bus = new EventEmitter()
      bus.setMaxListeners(0)
      return { holder: 'bus', run: () => { bus.on('data', () => {}) }, cleanup: () => bus.removeAllListeners() }
    },
  },
  {
    name: 'EventEmitter once listener never fired',
    make() {
      const bus = new EventEmitter()
      bus.setMaxListeners(0)
      return { holder: 'bus', run: () => { bus.once('never', () => {}) }, cleanup: () => bus.removeAllListeners() }
    },
  },
  {
    name: 'EventTarget listener never removed',
    make() {
      const target = new EventTarget()
      return { holder: 'target', run: () => { target.addEventListener('ping', () => {}) } }
    },
  },
  {
    name: 'AbortSignal listener never removed',
    make() {
      const controller = new AbortController()
      return { holder: 'controller', run: () => { controller.signal.addEventListener('abort', () => {}) } }
    },
  },
  {
    name: 'setInterval never cleared',
    make() {
      const timers = []
      return {
        run: () => { timers.push(setInterval(() => {}, 1e7)) },
        cleanup: () => timers.forEach(clearInterval),
      }
    },
  },
  {
    name: 'unref()ed setInterval never cleared',
    make() {
      const timers = []
      return {
        run: () => { timers.push(setInterval(() => {}, 1e7).unref()) },
        cleanup: () => timers.forEach(clearInterval),
      }
    },
  },
  {
    name: 'setTimeout far in the future never cleared',
    make() {
      const timers = []
      return {
        run: () => { timers.push(setTimeout(() => {}, 1e7)) },
        cleanup: () => timers.forEach(clearTimeout),
      }
    },
  },
  {
    name: 'Buffer kept per call',
    make() {
      const chunks = []
      return { holder: 'chunks', run: () => { chunks.push(Buffer.alloc(256)) } }
    },
  },
  {
    name: 'ArrayBuffer kept per call',
    make() {
      const buffers = []
      return { holder: 'buffers', run: () => { buffers.push(new ArrayBuffer(1024)) } }
    },
  },
  {
    name: 'large off-heap Buffer kept per call',
    make() {
      const frames = []
      return { holder: 'frames', run: () => { frames.push(Buffer.allocUnsafeSlow(64 * 1024)) } }
    },
  },
  {
    name: 'memoization without eviction',
    make() {
      const memo = new Map()
      const square = (n) => {
        if (!memo.has(n)) memo.set(n, { value: n * n })
        return memo.get(n).value
      }
      let i = 0
      return { holder: 'memo', run: () => square(i++) }
    },
  },
  {
    name: 'class registry of instances',
    make() {
      class Widget {
        static all = []
        constructor() { Widget.all.push(this) }
      }
      return { type: 'Widget', holder: 'all', run: () => { new Widget() } }
    },
  },
  {
    name: 'callbacks chained on a promise that never settles',
    make() {
      const never = new Promise(() => {})
      return { run: () => { never.then(() => {}) } }
    },
  },
  {
    name: 'async: awaits, then caches the result',
    make() {
      const results = new Map()
      let i = 0
      return {
        holder: 'results',
        run: async () => {
          await null
          results.set(i++, { ok: true })
        },
      }
    },
  },
  {
    name: 'async: macrotask, then keeps a record',
    make() {
      const log = []
      return {
        holder: 'log',
        run: async () => {
          await tick()
          log.push({ at: 1 })
        },
      }
    },
  },
  {
    name: 'property on globalThis used as a cache',
    make() {
      const key = '__leakproofCorpusCache' + Math.random().toString(36).slice(2)
      globalThis[key] = []
      return {
        holder: key,
        run: () => { globalThis[key].push({ id: 1 }) },
        cleanup: () => { delete globalThis[key] },
      }
    },
  },
  {
    name: 'Map keyed by request objects instead of a WeakMap',
    make() {
      const meta = new Map()
      return { holder: 'meta', run: () => { const req = { url: '/' }; meta.set(req, 1) } }
    },
  },
  {
    name: 'Uint8Array on the JS heap per call',
    make() {
      const views = []
      return { holder: 'views', run: () => { views.push(new Uint8Array(32)) } }
    },
  },
  {
    name: 'string appended to a growing log',
    make() {
      const state = { log: '' }
      let i = 0
      return { holder: 'log', run: () => { state.log += 'line ' + i++ + '\n' } }
    },
  },
  {
    name: 'nested objects per call',
    make() {
      const tree = []
      return { holder: 'tree', run: () => { tree.push({ a: { b: { c: [] } } }) } }
    },
  },
  {
    name: 'Date per call',
    make() {
      const stamps = []
      return { holder: 'stamps', run: () => { stamps.push(new Date()) } }
    },
  },
  {
    name: 'Error with stack per call',
    make() {
      const errors = []
      return { holder: 'errors', run: () => { errors.push(new Error('failed')) } }
    },
  },
  {
    name: 'resolved promise per call',
    make() {
      const pending = []
      let i = 0
      return { holder: 'pending', run: () => { pending.push(Promise.resolve(i++)) } }
    },
  },
  {
    name: 'three-number tuple per call',
    make() {
      const points = []
      let i = 0
      return { holder: 'points', run: () => { points.push([i, i + 1, i++ + 2]) } }
    },
  },
  {
    name: 'Symbol per call',
    make() {
      const symbols = []
      return { holder: 'symbols', run: () => { symbols.push(Symbol('id')) } }
    },
  },
  {
    name: 'regex match results kept',
    make() {
      const matches = []
      let i = 0
      return { holder: 'matches', run: () => { matches.push(/id-(\d+)/.exec('id-' + i++)) } }
    },
  },
]

class Point {
  constructor(x, y) {
    this.x = x
    this.y = y
  }
  length() {
    return Math.hypot(this.x, this.y)
  }
}

/** A small LRU: fills to `max`, then evicts the least recently used entry. */
function lru(max) {
  const map = new Map()
  return {
    get(key) {
      if (!map.has(key)) return undefined
      const value = map.get(key)
      map.delete(key)
      map.set(key, value)
      return value
    },
    set(key, value) {
      map.delete(key)
      map.set(key, value)
      if (map.size > max) map.delete(map.keys().next().value)
    },
  }
}

/** @type {{ name: string, make: () => { run: () => unknown, cleanup?: () => void } }[]} */
export const clean = [
  {
    name: 'object temporaries',
    make: () => ({ run: () => { const o = { a: 1, b: [1, 2, 3], c: { d: 'x' } }; return o.b.length } }),
  },
  {
    name: 'array churn: map, filter, sort',
    make: () => ({ run: () => [5, 3, 9, 1, 7].map((n) => n * 2).filter((n) => n > 4).sort((a, b) => a - b).length }),
  },
  {
    name: 'JSON.parse / JSON.stringify churn',
    make() {
      const doc = { users: [{ id: 1, name: 'ada', tags: ['a', 'b'] }, { id: 2, name: 'bob', tags: [] }] }
      return { run: () => JSON.parse(JSON.stringify(doc)).users.length }
    },
  },
  {
    name: 'regex building and matching',
    make() {
      let i = 0
      return { run: () => new RegExp('^item-' + (i++ % 7) + '$').test('item-3') }
    },
  },
  {
    name: 'string building',
    make() {
      let i = 0
      return { run: () => ['a', i++, 'b', i * 2].join('-').toUpperCase().split('-').length }
    },
  },
  {
    name: 'class instances created and dropped',
    make: () => ({ run: () => new Point(3, 4).length() }),
  },
  {
    name: 'two-object cycle dropped',
    make: () => ({ run: () => { const a = {}; const b = { a }; a.b = b; return b } }),
  },
  {
    name: 'large cyclic graph dropped',
    make: () => ({
      run: () => {
        const nodes = Array.from({ length: 50 }, (_, i) => ({ i, next: null, prev: null }))
        nodes.forEach((n, i) => { n.next = nodes[(i + 1) % 50]; n.prev = nodes[(i + 49) % 50] })
        return nodes.length
      },
    }),
  },
  {
    name: 'cycle through a closure dropped',
    make: () => ({ run: () => { const self = { fn: null }; self.fn = () => self; return self.fn() } }),
  },
  {
    name: 'bounded LRU (100) at its bound',
    make() {
      const cache = lru(100)
      let i = 0
      return { run: () => { cache.set('k' + i, { i }); i++; return cache.get('k' + (i - 5)) } }
    },
  },
  {
    name: 'bounded LRU (1000) filling, then evicting',
    make() {
      const cache = lru(1000)
      let i = 0
      return { run: () => { cache.set('k' + i, { value: i }); i++ } }
    },
  },
  {
    name: 'WeakMap cache keyed by per-call objects',
    make() {
      const meta = new WeakMap()
      return { run: () => { const req = {}; meta.set(req, { seen: true }); return meta.has(req) } }
    },
  },
  {
    name: 'WeakRef cache',
    make() {
      const refs = new Map()
      let i = 0
      return {
        run: () => {
          const key = i++ % 10
          let value = refs.get(key)?.deref()
          if (!value) { value = { key }; refs.set(key, new WeakRef(value)) }
          return value.key
        },
      }
    },
  },
  {
    name: 'lazy singleton created on first call',
    make() {
      let instance
      return { run: () => { instance ??= { table: new Array(10_000).fill(0), created: Date.now() }; return instance.table.length } }
    },
  },
  {
    name: 'lazy lookup table built on first call',
    make() {
      let table
      return {
        run: () => {
          if (!table) { table = new Map(); for (let i = 0; i < 5000; i++) table.set('code' + i, { i }) }
          return table.get('code42').i
        },
      }
    },
  },
  {
    name: 'interval set and cleared',
    make: () => ({ run: () => { const t = setInterval(() => {}, 1000); clearInterval(t) } }),
  },
  {
    name: 'timeout set and cleared',
    make: () => ({ run: () => { const t = setTimeout(() => {}, 1000); clearTimeout(t) } }),
  },
  {
    name: 'listener added then removed',
    make() {
      const bus = new EventEmitter()
      return { run: () => { const fn = () => {}; bus.on('data', fn); bus.emit('data'); bus.off('data', fn) } }
    },
  },
  {
    name: 'once listener that fires',
    make() {
      const bus = new EventEmitter()
      return { run: () => { bus.once('ready', () => {}); bus.emit('ready') } }
    },
  },
  {
    name: 'EventTarget listener added then removed',
    make() {
      const target = new EventTarget()
      return { run: () => { const fn = () => {}; target.addEventListener('x', fn); target.removeEventListener('x', fn) } }
    },
  },
  {
    name: 'AbortController per call with a listener',
    make: () => ({ run: () => { const c = new AbortController(); c.signal.addEventListener('abort', () => {}); c.abort() } }),
  },
  {
    // A closed handle is released in the event loop's close phase, after the calls of a round:
    // snapshots taken before that phase saw every closed server of the interval as retained.
    name: 'http server listened on and closed per call',
    make: () => ({
      run: async () => {
        const server = createServer()
        server.listen(0, '127.0.0.1')
        await once(server, 'listening')
        await new Promise((resolve) => server.close(resolve))
      },
    }),
  },
  {
    // The WeakSet's table keeps its capacity after its keys die (Node's isTrustedSet does this).
    name: 'module WeakSet tagging per-call objects',
    make() {
      const seen = new WeakSet()
      return { run: () => { for (let k = 0; k < 4; k++) seen.add({ k }) } }
    },
  },
  {
    name: 'async function awaiting promises',
    make: () => ({ run: async () => { const a = await Promise.resolve(1); const b = await new Promise((r) => queueMicrotask(() => r(2))); return a + b } }),
  },
  {
    name: 'async: Promise.all of several',
    make: () => ({ run: async () => (await Promise.all([1, 2, 3].map(async (n) => n * 2))).length }),
  },
  {
    name: 'async: awaits a macrotask',
    make: () => ({ run: async () => { await tick(); return 1 } }),
  },
  {
    name: 'Map used as a per-call temporary',
    make: () => ({ run: () => { const m = new Map(); for (let i = 0; i < 20; i++) m.set('k' + i, i); return m.size } }),
  },
  {
    name: 'interned string keys',
    make() {
      const counts = { get: 0, post: 0, put: 0 }
      const methods = ['get', 'post', 'put']
      let i = 0
      return { run: () => { counts[methods[i++ % 3]]++ } }
    },
  },
  {
    name: 'Buffer temporaries',
    make: () => ({ run: () => Buffer.from('hello world ' + Math.random()).toString('base64').length }),
  },
  {
    name: 'ArrayBuffer temporaries',
    make: () => ({ run: () => new Float64Array(new ArrayBuffer(4096)).fill(1).length }),
  },
  {
    name: 'closures created and dropped',
    make: () => ({ run: () => [1, 2, 3].map((n) => () => n).reduce((s, f) => s + f(), 0) }),
  },
  {
    name: 'generator iteration',
    make() {
      function* range(n) { for (let i = 0; i < n; i++) yield i }
      return { run: () => { let s = 0; for (const v of range(20)) s += v; return s } }
    },
  },
  {
    name: 'error thrown and caught inside the subject',
    make: () => ({ run: () => { try { throw new TypeError('bad') } catch (e) { return e.message } } }),
  },
  {
    name: 'TextEncoder / TextDecoder churn',
    make() {
      const enc = new TextEncoder()
      const dec = new TextDecoder()
      return { run: () => dec.decode(enc.encode('héllo wörld')).length }
    },
  },
  {
    name: 'structuredClone churn',
    make: () => ({ run: () => structuredClone({ a: [1, 2, { b: new Date(0) }] }).a.length }),
  },
  {
    name: 'ring buffer overwritten in place',
    make() {
      const ring = new Array(256).fill(null)
      let i = 0
      return { run: () => { ring[i++ % 256] = { at: i } } }
    },
  },
  {
    name: 'object pool: acquire and release',
    make() {
      const pool = Array.from({ length: 16 }, () => ({ busy: false, data: new Array(8) }))
      return { run: () => { const o = pool.find((p) => !p.busy); o.busy = true; o.data[0] = 1; o.busy = false } }
    },
  },
  {
    name: 'polymorphic shapes through one function',
    make() {
      const shapes = [{ a: 1 }, { b: 1, a: 2 }, { c: 3, a: 3 }, { d: 4, e: 5, a: 4 }]
      const read = (o) => o.a
      let i = 0
      return { run: () => read(shapes[i++ % 4]) + read({ ...shapes[i % 4] }) }
    },
  },
  {
    name: 'Intl.NumberFormat created per call',
    make: () => ({ run: () => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(12.5) }),
  },
  {
    name: 'Set add and delete of the same values',
    make() {
      const active = new Set()
      let i = 0
      return { run: () => { const k = i++ % 32; active.add(k); if (active.size > 16) active.delete((k + 16) % 32) } }
    },
  },
]
