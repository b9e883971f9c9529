// Overhead of startAllocationSampling: time per call of a workload with and without V8's
// sampling heap profiler running, at several sampling intervals, and what stop() returns.
//
//   node bench/heap/build.mjs && node --expose-gc bench/heap/experiments/sampling-overhead.mjs
//
// Each configuration runs in a fresh child process: warm-up, then the timed calls.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const CALLS = 20_000

if (process.env.LP_SAMPLING_CHILD) {
  const { startAllocationSampling } = await import('../.build/heap.mjs')
  const interval = Number(process.env.LP_SAMPLING_CHILD)
  class Entry { constructor(i) { this.id = i; this.name = 'entry-' + i; this.tags = [i % 3, i % 5] } }
  const kept = []
  // A mixed workload: mostly temporaries (JSON, arrays, strings) and one retained object per call.
  const work = (i) => {
    const o = { i, list: Array.from({ length: 20 }, (_, k) => ({ k, s: 'v' + k })) }
    const text = JSON.stringify(o)
    kept.push(new Entry(i))
    return JSON.parse(text).list.length
  }
  let sink = 0
  for (let i = 0; i < 5000; i++) sink += work(i)
  kept.length = 0
  gc()
  const sampling = interval > 0 ? await startAllocationSampling(interval) : undefined
  const t0 = performance.now()
  for (let i = 0; i < CALLS; i++) sink += work(i)
  const ms = performance.now() - t0
  gc()
  const t1 = performance.now()
  const sites = sampling ? await sampling.stop(CALLS, []) : []
  const stopMs = performance.now() - t1
  process.send({ usPerCall: (ms * 1000) / CALLS, stopMs, sites: sites.slice(0, 2).map((s) => `${s.functionName} ${s.line}:${s.column} ${s.bytesPerIteration.toFixed(1)} B/call`), sink })
  process.exit(0)
}

const run = (interval) =>
  new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, LP_SAMPLING_CHILD: String(interval) }, execArgv: ['--expose-gc'] })
    child.on('message', resolve)
    child.on('exit', (code) => (code ? reject(new Error(`exit ${code}`)) : undefined))
  })

const rows = []
for (const interval of [0, 128, 256, 512, 1024, 4096, 32768]) {
  const best = []
  for (let r = 0; r < 5; r++) best.push(await run(interval))
  best.sort((a, b) => a.usPerCall - b.usPerCall)
  rows.push({ interval, ...best[0] })
}
const base = rows[0].usPerCall
console.log(`| sampling interval | µs/call (best of 5) | slowdown | stop() ms | top sites |\n|---|---|---|---|---|`)
for (const r of rows) {
  console.log(`| ${r.interval === 0 ? 'off' : r.interval + ' B'} | ${r.usPerCall.toFixed(2)} | ${(r.usPerCall / base).toFixed(2)}× | ${r.interval === 0 ? '—' : r.stopMs.toFixed(0)} | ${r.sites.join('; ') || '—'} |`)
}
