// The verdict corpus: subjects that must be reported as leaks, and subjects that must pass.
// Each entry has a `pattern` (one of `patterns` below: the kind of code it stands for) and a
// `make()` that builds fresh state and returns { run, cleanup?, holder?, type? }:
//   run      the subject handed to measureLeak
//   cleanup  releases what a leaky subject left behind (intervals, listeners) after the verdict
//   holder   for leaky subjects, the name the retainer path must mention (issue: explain)
//   type     for leaky subjects, the retained type the report should rank first
// Plain JavaScript so that Vitest tests, Jest fixtures, bench scripts and the stability
// script can all import it without a TypeScript toolchain.
import { EventEmitter, once } from 'node:events'
import { createServer } from 'node:http'

const tick = () => new Promise((resolve) => setImmediate(resolve))

/**
 * The patterns the corpus covers, each with leaky and clean subjects. Integration runs that cannot
 * afford the whole corpus (other pools, other framework majors) take `perPattern()`.
 */
export const patterns = {
  cache: 'Maps and caches: unbounded vs bounded, evicting, temporary',
  objects: 'objects, arrays, numbers and class instances kept vs dropped (cycles included)',
  strings: 'strings kept or appended vs built, interned and dropped',
  closures: 'closures kept vs created and dropped',
  listeners: 'EventEmitter, EventTarget and AbortSignal listeners never removed vs removed',
  handles: 'timers and servers left open vs cleared and closed',
  external: 'Buffers and ArrayBuffers (external memory) kept vs temporary',
  async: 'promises and async functions keeping results vs settling',
  globals: 'globals used as caches vs lazy singletons',
  weak: 'strong Maps keyed by per-call objects vs WeakMap, WeakRef and WeakSet',
}

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
    pattern: 'cache',
    make() {
      const sessions = new Map()
      let id = 0
      return { holder: 'sessions', type: 'Session', run: () => { id++; sessions.set('s' + id, new Session(id)) } }
    },
  },
  {
    name: 'one empty object per call in an array',
    pattern: 'objects',
    make() {
      const keep = []
      return { holder: 'keep', type: 'Object', run: () => { keep.push({}) } }
    },
  },
  {
    name: 'Set of objects',
    pattern: 'objects',
    make() {
      const seen = new Set()
      return { holder: 'seen', type: 'Object', run: () => { seen.add({ at: 1 }) } }
    },
  },
  {
    name: 'one number per call in an array',
    pattern: 'objects',
    make() {
      const numbers = []
      let i = 0
      return { holder: 'numbers', run: () => { numbers.push(i++) } }
    },
  },
  {
    name: 'one double per call in an array',
    pattern: 'objects',
    make() {
      const readings = []
      let i = 0
      return { holder: 'readings', run: () => { readings.push(i++ + 0.5) } }
    },
  },
  {
    name: 'one string per call',
    pattern: 'strings',
    make() {
      const lines = []
      let i = 0
      return { holder: 'lines', run: () => { lines.push('k' + i++) } }
    },
  },
  {
    name: 'Map with string keys and number values',
    pattern: 'cache',
    make() {
      const counts = new Map()
      let i = 0
      return { holder: 'counts', run: () => { counts.set('key:' + i, i++) } }
    },
  },
  {
    name: 'Map with number keys (step-shaped growth)',
    pattern: 'cache',
    make() {
      const byId = new Map()
      let i = 0
      return { holder: 'byId', run: () => { byId.set(i, i++) } }
    },
  },
  {
    name: 'closure capturing a large scope kept in a list',
    pattern: 'closures',
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
    pattern: 'closures',
    make() {
      const callbacks = []
      let i = 0
      return { holder: 'callbacks', run: () => { const n = i++; callbacks.push(() => n) } }
    },
  },
  {
    name: 'EventEmitter listener never removed',
    pattern: 'listeners',
    make() {
      const bus = new EventEmitter()
      bus.setMaxListeners(0)
      return { holder: 'bus', run: () => { bus.on('data', () => {}) }, cleanup: () => bus.removeAllListeners() }
    },
  },
  {
    name: 'EventEmitter once listener never fired',
    pattern: 'listeners',
    make() {
      const bus = new EventEmitter()
      bus.setMaxListeners(0)
      return { holder: 'bus', run: () => { bus.once('never', () => {}) }, cleanup: () => bus.removeAllListeners() }
    },
  },
  {
    name: 'EventTarget listener never removed',
    pattern: 'listeners',
    make() {
      const target = new EventTarget()
      return { holder: 'target', run: () => { target.addEventListener('ping', () => {}) } }
    },
  },
  {
    name: 'AbortSignal listener never removed',
    pattern: 'listeners',
    make() {
      const controller = new AbortController()
      return { holder: 'controller', run: () => { controller.signal.addEventListener('abort', () => {}) } }
    },
  },
  {
    name: 'setInterval never cleared',
    pattern: 'handles',
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
    pattern: 'handles',
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
    pattern: 'handles',
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
    pattern: 'external',
    make() {
      const chunks = []
      return { holder: 'chunks', run: () => { chunks.push(Buffer.alloc(256)) } }
    },
  },
  {
    name: 'ArrayBuffer kept per call',
    pattern: 'external',
    make() {
      const buffers = []
      return { holder: 'buffers', run: () => { buffers.push(new ArrayBuffer(1024)) } }
    },
  },
  {
    name: 'large off-heap Buffer kept per call',
    pattern: 'external',
    make() {
      const frames = []
      return { holder: 'frames', run: () => { frames.push(Buffer.allocUnsafeSlow(64 * 1024)) } }
    },
  },
  {
    name: 'memoization without eviction',
    pattern: 'cache',
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
    pattern: 'objects',
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
    pattern: 'async',
    make() {
      const never = new Promise(() => {})
      return { run: () => { never.then(() => {}) } }
    },
  },
  {
    name: 'async: awaits, then caches the result',
    pattern: 'async',
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
    pattern: 'async',
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
    pattern: 'globals',
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
    pattern: 'weak',
    make() {
      const meta = new Map()
      return { holder: 'meta', run: () => { const req = { url: '/' }; meta.set(req, 1) } }
    },
  },
  {
    name: 'Uint8Array on the JS heap per call',
    pattern: 'external',
    make() {
      const views = []
      return { holder: 'views', run: () => { views.push(new Uint8Array(32)) } }
    },
  },
  {
    name: 'string appended to a growing log',
    pattern: 'strings',
    make() {
      const state = { log: '' }
      let i = 0
      return { holder: 'log', run: () => { state.log += 'line ' + i++ + '\n' } }
    },
  },
  {
    name: 'nested objects per call',
    pattern: 'objects',
    make() {
      const tree = []
      return { holder: 'tree', run: () => { tree.push({ a: { b: { c: [] } } }) } }
    },
  },
  {
    name: 'Date per call',
    pattern: 'objects',
    make() {
      const stamps = []
      return { holder: 'stamps', run: () => { stamps.push(new Date()) } }
    },
  },
  {
    name: 'Error with stack per call',
    pattern: 'objects',
    make() {
      const errors = []
      return { holder: 'errors', run: () => { errors.push(new Error('failed')) } }
    },
  },
  {
    name: 'resolved promise per call',
    pattern: 'async',
    make() {
      const pending = []
      let i = 0
      return { holder: 'pending', run: () => { pending.push(Promise.resolve(i++)) } }
    },
  },
  {
    name: 'three-number tuple per call',
    pattern: 'objects',
    make() {
      const points = []
      let i = 0
      return { holder: 'points', run: () => { points.push([i, i + 1, i++ + 2]) } }
    },
  },
  {
    name: 'Symbol per call',
    pattern: 'objects',
    make() {
      const symbols = []
      return { holder: 'symbols', run: () => { symbols.push(Symbol('id')) } }
    },
  },
  {
    name: 'regex match results kept',
    pattern: 'strings',
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
    pattern: 'objects',
    make: () => ({ run: () => { const o = { a: 1, b: [1, 2, 3], c: { d: 'x' } }; return o.b.length } }),
  },
  {
    name: 'array churn: map, filter, sort',
    pattern: 'objects',
    make: () => ({ run: () => [5, 3, 9, 1, 7].map((n) => n * 2).filter((n) => n > 4).sort((a, b) => a - b).length }),
  },
  {
    name: 'JSON.parse / JSON.stringify churn',
    pattern: 'strings',
    make() {
      const doc = { users: [{ id: 1, name: 'ada', tags: ['a', 'b'] }, { id: 2, name: 'bob', tags: [] }] }
      return { run: () => JSON.parse(JSON.stringify(doc)).users.length }
    },
  },
  {
    name: 'regex building and matching',
    pattern: 'strings',
    make() {
      let i = 0
      return { run: () => new RegExp('^item-' + (i++ % 7) + '$').test('item-3') }
    },
  },
  {
    name: 'string building',
    pattern: 'strings',
    make() {
      let i = 0
      return { run: () => ['a', i++, 'b', i * 2].join('-').toUpperCase().split('-').length }
    },
  },
  {
    name: 'class instances created and dropped',
    pattern: 'objects',
    make: () => ({ run: () => new Point(3, 4).length() }),
  },
  {
    name: 'two-object cycle dropped',
    pattern: 'objects',
    make: () => ({ run: () => { const a = {}; const b = { a }; a.b = b; return b } }),
  },
  {
    name: 'large cyclic graph dropped',
    pattern: 'objects',
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
    pattern: 'closures',
    make: () => ({ run: () => { const self = { fn: null }; self.fn = () => self; return self.fn() } }),
  },
  {
    name: 'bounded LRU (100) at its bound',
    pattern: 'cache',
    make() {
      const cache = lru(100)
      let i = 0
      return { run: () => { cache.set('k' + i, { i }); i++; return cache.get('k' + (i - 5)) } }
    },
  },
  {
    name: 'bounded LRU (1000) filling, then evicting',
    pattern: 'cache',
    make() {
      const cache = lru(1000)
      let i = 0
      return { run: () => { cache.set('k' + i, { value: i }); i++ } }
    },
  },
  {
    name: 'WeakMap cache keyed by per-call objects',
    pattern: 'weak',
    make() {
      const meta = new WeakMap()
      return { run: () => { const req = {}; meta.set(req, { seen: true }); return meta.has(req) } }
    },
  },
  {
    name: 'WeakRef cache',
    pattern: 'weak',
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
    pattern: 'globals',
    make() {
      let instance
      return { run: () => { instance ??= { table: new Array(10_000).fill(0), created: Date.now() }; return instance.table.length } }
    },
  },
  {
    name: 'lazy lookup table built on first call',
    pattern: 'globals',
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
    pattern: 'handles',
    make: () => ({ run: () => { const t = setInterval(() => {}, 1000); clearInterval(t) } }),
  },
  {
    name: 'timeout set and cleared',
    pattern: 'handles',
    make: () => ({ run: () => { const t = setTimeout(() => {}, 1000); clearTimeout(t) } }),
  },
  {
    name: 'listener added then removed',
    pattern: 'listeners',
    make() {
      const bus = new EventEmitter()
      return { run: () => { const fn = () => {}; bus.on('data', fn); bus.emit('data'); bus.off('data', fn) } }
    },
  },
  {
    name: 'once listener that fires',
    pattern: 'listeners',
    make() {
      const bus = new EventEmitter()
      return { run: () => { bus.once('ready', () => {}); bus.emit('ready') } }
    },
  },
  {
    name: 'EventTarget listener added then removed',
    pattern: 'listeners',
    make() {
      const target = new EventTarget()
      return { run: () => { const fn = () => {}; target.addEventListener('x', fn); target.removeEventListener('x', fn) } }
    },
  },
  {
    name: 'AbortController per call with a listener',
    pattern: 'listeners',
    make: () => ({ run: () => { const c = new AbortController(); c.signal.addEventListener('abort', () => {}); c.abort() } }),
  },
  {
    // A closed handle is released in the event loop's close phase, after the calls of a round:
    // snapshots taken before that phase saw every closed server of the interval as retained.
    name: 'http server listened on and closed per call',
    pattern: 'handles',
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
    pattern: 'weak',
    make() {
      const seen = new WeakSet()
      return { run: () => { for (let k = 0; k < 4; k++) seen.add({ k }) } }
    },
  },
  {
    name: 'async function awaiting promises',
    pattern: 'async',
    make: () => ({ run: async () => { const a = await Promise.resolve(1); const b = await new Promise((r) => queueMicrotask(() => r(2))); return a + b } }),
  },
  {
    name: 'async: Promise.all of several',
    pattern: 'async',
    make: () => ({ run: async () => (await Promise.all([1, 2, 3].map(async (n) => n * 2))).length }),
  },
  {
    name: 'async: awaits a macrotask',
    pattern: 'async',
    make: () => ({ run: async () => { await tick(); return 1 } }),
  },
  {
    name: 'Map used as a per-call temporary',
    pattern: 'cache',
    make: () => ({ run: () => { const m = new Map(); for (let i = 0; i < 20; i++) m.set('k' + i, i); return m.size } }),
  },
  {
    name: 'interned string keys',
    pattern: 'strings',
    make() {
      const counts = { get: 0, post: 0, put: 0 }
      const methods = ['get', 'post', 'put']
      let i = 0
      return { run: () => { counts[methods[i++ % 3]]++ } }
    },
  },
  {
    name: 'Buffer temporaries',
    pattern: 'external',
    make: () => ({ run: () => Buffer.from('hello world ' + Math.random()).toString('base64').length }),
  },
  {
    name: 'ArrayBuffer temporaries',
    pattern: 'external',
    make: () => ({ run: () => new Float64Array(new ArrayBuffer(4096)).fill(1).length }),
  },
  {
    name: 'closures created and dropped',
    pattern: 'closures',
    make: () => ({ run: () => [1, 2, 3].map((n) => () => n).reduce((s, f) => s + f(), 0) }),
  },
  {
    name: 'generator iteration',
    pattern: 'objects',
    make() {
      function* range(n) { for (let i = 0; i < n; i++) yield i }
      return { run: () => { let s = 0; for (const v of range(20)) s += v; return s } }
    },
  },
  {
    name: 'error thrown and caught inside the subject',
    pattern: 'objects',
    make: () => ({ run: () => { try { throw new TypeError('bad') } catch (e) { return e.message } } }),
  },
  {
    name: 'TextEncoder / TextDecoder churn',
    pattern: 'external',
    make() {
      const enc = new TextEncoder()
      const dec = new TextDecoder()
      return { run: () => dec.decode(enc.encode('héllo wörld')).length }
    },
  },
  {
    name: 'structuredClone churn',
    pattern: 'objects',
    make: () => ({ run: () => structuredClone({ a: [1, 2, { b: new Date(0) }] }).a.length }),
  },
  {
    name: 'ring buffer overwritten in place',
    pattern: 'cache',
    make() {
      const ring = new Array(256).fill(null)
      let i = 0
      return { run: () => { ring[i++ % 256] = { at: i } } }
    },
  },
  {
    name: 'object pool: acquire and release',
    pattern: 'cache',
    make() {
      const pool = Array.from({ length: 16 }, () => ({ busy: false, data: new Array(8) }))
      return { run: () => { const o = pool.find((p) => !p.busy); o.busy = true; o.data[0] = 1; o.busy = false } }
    },
  },
  {
    name: 'polymorphic shapes through one function',
    pattern: 'objects',
    make() {
      const shapes = [{ a: 1 }, { b: 1, a: 2 }, { c: 3, a: 3 }, { d: 4, e: 5, a: 4 }]
      const read = (o) => o.a
      let i = 0
      return { run: () => read(shapes[i++ % 4]) + read({ ...shapes[i % 4] }) }
    },
  },
  {
    name: 'Intl.NumberFormat created per call',
    pattern: 'objects',
    make: () => ({ run: () => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(12.5) }),
  },
  {
    name: 'Set add and delete of the same values',
    pattern: 'cache',
    make() {
      const active = new Set()
      let i = 0
      return { run: () => { const k = i++ % 32; active.add(k); if (active.size > 16) active.delete((k + 16) % 32) } }
    },
  },
]

/** One leaky and one clean subject per pattern (the first of each in the lists above), by name. */
export function perPattern() {
  const first = (list, pattern) => list.find((e) => e.pattern === pattern).name
  const names = Object.keys(patterns)
  return { leaky: names.map((p) => first(leaky, p)), clean: names.map((p) => first(clean, p)) }
}

/**
 * Half of `perPattern()`: the leaky subject of every other pattern and the clean one of the rest,
 * so each pattern is still tried once. For the second cells of a framework (another pool, another
 * major) in the default run, where the first cell already has the whole `perPattern()` subset;
 * `offset` 1 takes the other half (two cells with offsets 0 and 1 cover `perPattern()` together).
 */
export function alternatePatterns(offset = 0) {
  const { leaky, clean } = perPattern()
  return { leaky: leaky.filter((_, i) => (i + offset) % 2 === 0), clean: clean.filter((_, i) => (i + offset) % 2 === 1) }
}
