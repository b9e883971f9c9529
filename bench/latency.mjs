// Verdict latency, measured side by side in one process:
//   clean: measureLeak on a trivial clean subject at default options, against the floor — the
//          same number of full GCs it forced, timed back to back in this process;
//   leaky: measureLeak on a small leak (one object per call in a module Map), explanation on.
//   node --expose-gc bench/latency.mjs [--runs 30]
import { parseArgs } from 'node:util'
import { measureLeak } from '@leakproof/core'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' } } })
const runs = Number(values.runs)
const q = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] }
const gcFloor = (count) => { const t = performance.now(); for (let i = 0; i < count; i++) globalThis.gc(); return performance.now() - t }

const clean = []
const floors = []
const gcs = []
let confirmations = 0
for (let i = 0; i < runs; i++) {
  const t = performance.now()
  const r = await measureLeak(() => ({ id: i, tags: ['a', 'b'] }))
  clean.push(performance.now() - t)
  if (r.leaked) throw new Error('clean subject reported as a leak: ' + r.summary)
  if (r.decision.some((d) => d.stage === 'confirm')) confirmations++
  gcs.push(r.gc.forced)
  floors.push(gcFloor(r.gc.forced))
}

const leaky = []
for (let i = 0; i < Math.max(5, Math.floor(runs / 3)); i++) {
  const sessions = new Map()
  let id = 0
  const t = performance.now()
  const r = await measureLeak(() => { id++; sessions.set(id, { id, user: 'u' + id }) })
  leaky.push(performance.now() - t)
  if (!r.leaked || !r.retainerPaths.length) throw new Error('leak not caught or not explained')
}

const ratio = clean.map((c, i) => c / floors[i])
console.log(`\nNode ${process.version}, ${runs} clean runs, ${leaky.length} leaky runs, one process\n`)
console.log('| verdict | median ms | p95 ms | forced GCs | floor (those GCs back to back) median ms | ratio to floor (median) |')
console.log('|---|---|---|---|---|---|')
console.log(`| clean, trivial subject | ${q(clean, 0.5).toFixed(0)} | ${q(clean, 0.95).toFixed(0)} | ${q(gcs, 0.5)} | ${q(floors, 0.5).toFixed(0)} | ${q(ratio, 0.5).toFixed(2)}× |`)
console.log(`| leak, explained (types, path, allocation site) | ${q(leaky, 0.5).toFixed(0)} | ${q(leaky, 0.95).toFixed(0)} | | | |`)
console.log(`\nClean runs that needed snapshot confirmation: ${confirmations}/${runs}`)
