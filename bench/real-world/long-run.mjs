// Long runs without the engine: is a workload really flat once warm?
//
//   node --expose-gc bench/real-world/long-run.mjs [--set fixed|leaky|clean|all] [--filter text]
//        [--calls 30000] [--every 1000] [--max-seconds 240] [--json out.jsonl]
//
// For each workload: one process, `calls` calls, and every `every` calls a settled heap sample
// (full GC, a real macrotask, full GC; heapUsed less the code spaces, as the engine reads it, and
// `external`). Prints the growth in B/call over the first 5k calls, the second half (least
// squares) and the last quarter. A fixed version is a fair must-pass case only if its second half
// is flat (|slope| well under the engine's 4 B/call threshold).
import { spawn } from 'node:child_process'
import { appendFileSync } from 'node:fs'
import v8 from 'node:v8'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'fixed' },
    filter: { type: 'string', default: '' },
    calls: { type: 'string', default: '30000' },
    every: { type: 'string', default: '1000' },
    'max-seconds': { type: 'string', default: '240' },
    json: { type: 'string', default: '' },
    worker: { type: 'string', default: '' },
  },
})

const { clean, knownLeaks, versionOf } = await import('../../test/real-world/workloads.mjs')

function jobs() {
  const out = []
  if (values.set === 'all' || values.set === 'clean') {
    for (const w of clean) out.push({ id: `clean:${w.name}`, set: 'clean', name: w.name, library: w.library, make: () => w.make() })
  }
  for (const k of knownLeaks) {
    for (const variant of ['leaky', 'fixed']) {
      if (values.set !== 'all' && values.set !== variant) continue
      out.push({ id: `${variant}:${k.name}`, set: variant, name: k.name, library: `${k.package}@${versionOf(k[variant])}`, make: () => k.make(variant) })
    }
  }
  return out.filter((j) => !values.filter || `${j.name} ${j.library}`.includes(values.filter))
}

const codeSpaces = new Set([
  'code_space',
  'code_large_object_space',
  'trusted_space',
  'trusted_large_object_space',
  'shared_trusted_space',
  'shared_trusted_large_object_space',
])
function readHeap() {
  const usage = process.memoryUsage()
  let code = 0
  for (const s of v8.getHeapSpaceStatistics()) if (codeSpaces.has(s.space_name)) code += s.space_used_size
  return { heap: usage.heapUsed - code, external: usage.external }
}
async function settle() {
  globalThis.gc()
  await new Promise((resolve) => setImmediate(resolve))
  globalThis.gc()
}

/** Least-squares slope of y over x. */
function slope(points, key) {
  const n = points.length
  if (n < 2) return NaN
  const mx = points.reduce((s, p) => s + p.calls, 0) / n
  const my = points.reduce((s, p) => s + p[key], 0) / n
  let num = 0
  let den = 0
  for (const p of points) {
    num += (p.calls - mx) * (p[key] - my)
    den += (p.calls - mx) ** 2
  }
  return num / den
}

if (values.worker) {
  const job = jobs().find((j) => j.id === values.worker)
  const calls = Number(values.calls)
  const every = Number(values.every)
  const deadline = performance.now() + Number(values['max-seconds']) * 1000
  const instance = await job.make()
  const points = []
  await settle()
  points.push({ calls: 0, ...readHeap() })
  const started = performance.now()
  let made = 0
  for (let i = 1; i <= calls; i++) {
    await instance.run()
    made = i
    if (i % every === 0) {
      await settle()
      points.push({ calls: i, ...readHeap() })
      if (performance.now() > deadline) break
    }
  }
  const ms = performance.now() - started
  await instance.cleanup?.()
  const last = points[points.length - 1]
  const at = (n) => points.find((p) => p.calls >= n) ?? last
  const half = points.filter((p) => p.calls >= last.calls / 2)
  const quarter = points.filter((p) => p.calls >= (last.calls * 3) / 4)
  const first5k = at(5000)
  const result = {
    set: job.set,
    library: job.library,
    name: job.name,
    calls: made,
    usPerCall: Math.round((ms * 1000) / made),
    first5kBytesPerCall: +((first5k.heap - points[0].heap) / Math.max(1, first5k.calls)).toFixed(1),
    secondHalfBytesPerCall: +slope(half, 'heap').toFixed(2),
    lastQuarterBytesPerCall: +slope(quarter, 'heap').toFixed(2),
    secondHalfExternalBytesPerCall: +slope(half, 'external').toFixed(2),
    totalGrowthKB: Math.round((last.heap - points[0].heap) / 1024),
    heapKB: points.map((p) => [p.calls, Math.round(p.heap / 1024)]),
  }
  process.stdout.write(JSON.stringify(result) + '\n')
  process.exit(0)
}

const self = fileURLToPath(import.meta.url)
const rows = []
for (const job of jobs()) {
  const args = ['--expose-gc', self, '--worker', job.id, '--set', values.set, '--calls', values.calls, '--every', values.every, '--max-seconds', values['max-seconds']]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout.on('data', (c) => (out += c))
  child.stderr.on('data', (c) => (err += c))
  const code = await new Promise((resolve) => child.on('exit', resolve))
  if (code !== 0 || !out.trim()) {
    process.stderr.write(`${job.id}: exit ${code}\n${err.slice(-2000)}\n`)
    continue
  }
  const r = JSON.parse(out.trim().split('\n').pop())
  rows.push(r)
  if (values.json) appendFileSync(values.json, JSON.stringify(r) + '\n')
  process.stderr.write(`${r.set} ${r.library}: ${r.calls} calls, second half ${r.secondHalfBytesPerCall} B/call, last quarter ${r.lastQuarterBytesPerCall} B/call\n`)
}
console.log('\n| set | library | workload | calls | µs/call | first 5k B/call | 2nd half B/call | last quarter B/call | 2nd half external B/call | total KB |')
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
for (const r of rows) {
  console.log(
    `| ${r.set} | ${r.library} | ${r.name} | ${r.calls} | ${r.usPerCall} | ${r.first5kBytesPerCall} | ${r.secondHalfBytesPerCall} | ${r.lastQuarterBytesPerCall} | ${r.secondHalfExternalBytesPerCall} | ${r.totalGrowthKB} |`,
  )
}
