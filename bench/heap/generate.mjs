// Write benchmark heap snapshots: a small (~5 MB) and a large (~80-100 MB) one, each followed by
// two more snapshots taken after N further "leaky" calls (for the 3-way diff benchmark).
// Usage: node bench/heap/generate.mjs [outDir]   (default bench/heap/.snapshots)
import v8 from 'node:v8'
import { mkdirSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fork } from 'node:child_process'

const here = dirname(fileURLToPath(import.meta.url))
const out = process.argv[2] ?? join(here, '.snapshots')

if (process.env.LEAKPROOF_BENCH_CHILD) {
  // One size per child process so the small heap is not inside the large one.
  const scale = Number(process.env.LEAKPROOF_BENCH_CHILD)
  const name = process.env.LEAKPROOF_BENCH_NAME
  class Customer { constructor(i) { this.id = i; this.name = 'customer-' + i; this.tags = ['a' + (i % 7), 'b' + (i % 11)]; this.balance = i * 1.5 } }
  class Order { constructor(c, i) { this.customer = c; this.items = [{ sku: 'sku' + i, qty: i % 5 }]; this.total = i + 0.25 } }
  class Session { constructor(i) { this.token = 'tok_' + i.toString(36); this.createdAt = Date.now(); this.data = { n: i } } }
  const world = { customers: new Map(), orders: [], index: {}, handlers: [], blobs: [] }
  for (let i = 0; i < scale; i++) {
    const c = new Customer(i)
    world.customers.set('c' + i, c)
    world.orders.push(new Order(c, i))
    if (i % 3 === 0) world.index['k' + i] = i
    if (i % 5 === 0) { const captured = i; world.handlers.push(() => captured) }
    if (i % 50 === 0) world.blobs.push(Buffer.alloc(64))
  }
  globalThis.__world = world
  const sessions = []
  const leak = (n) => { for (let i = 0; i < n; i++) sessions.push(new Session(sessions.length)) }
  globalThis.__sessions = sessions
  const calls = Math.max(100, Math.round(scale / 100))
  const files = []
  for (const tag of ['A', 'B', 'C']) {
    files.push(v8.writeHeapSnapshot(join(out, `${name}-${tag}.heapsnapshot`)))
    leak(calls)
  }
  process.send?.({ files, calls })
  process.exit(0)
}

mkdirSync(out, { recursive: true })
const sizes = [['small', 1_000], ['large', 75_000]]
const callsBySize = {}
for (const [name, scale] of sizes) {
  const child = fork(fileURLToPath(import.meta.url), [out], {
    env: { ...process.env, LEAKPROOF_BENCH_CHILD: String(scale), LEAKPROOF_BENCH_NAME: name },
    execArgv: ['--max-old-space-size=4096'],
  })
  const msg = await new Promise((resolve, reject) => {
    child.on('message', resolve)
    child.on('exit', (code) => (code ? reject(new Error(`generator exited ${code}`)) : undefined))
  })
  const { statSync } = await import('node:fs')
  for (const f of msg.files) console.log(`${f}  ${(statSync(f).size / 1e6).toFixed(1)} MB  (${msg.calls} calls between)`)
  callsBySize[name] = msg.calls
}
const { writeFileSync } = await import('node:fs')
writeFileSync(join(out, 'calls.json'), JSON.stringify(callsBySize))
