// Sensitivity curve: detection rate of measureLeak at DEFAULT options vs the size of the leak per
// call, from a fraction of a byte to kilobytes.
//   node bench/sensitivity.mjs [--runs 5] [--filter obj] [--node /path/to/node]
// Each run is a fresh `node --expose-gc` process that measures every size once (the order is
// reversed on every other run), using the built @leakproof/core. After each measurement the
// worker calibrates the leak: it calls a fresh copy of the subject N times, and the heap + external
// memory freed by dropping what it kept, divided by N, is the true retained bytes per call. Between
// sizes (and around the calibration) what the last subject kept is dropped and the heap settled
// with a few full GCs, so one measurement does not start while the previous one's garbage goes.
import { spawn } from 'node:child_process'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    filter: { type: 'string', default: '' },
    node: { type: 'string', default: process.execPath },
    worker: { type: 'boolean', default: false },
    reverse: { type: 'boolean', default: false },
  },
})

/** A leak that keeps what `keep(i)` returns on the calls where it returns something. */
const keeping = (keep) => () => {
  const kept = []
  let i = 0
  return {
    run: () => {
      i++
      const value = keep(i)
      if (value !== undefined) kept.push(value)
    },
    drop: () => {
      kept.length = 0
    },
  }
}
/** A new flat one-byte string of n chars per call (padStart or + would make cons strings that share parts). */
const stringOf = (n) => {
  const template = Buffer.alloc(n, 'x')
  return (i) => {
    template.write(String(i))
    return template.toString('latin1')
  }
}

// payload: bytes the test author would say leak per call (before V8's headers and the array slot).
const sizes = [
  { id: 'clean', what: 'clean control: a temporary object, nothing kept', objects: 0, payload: 0, make: () => ({ run: () => ({ id: Math.random(), tags: ['a'] }), drop() {} }) },
  ...[64, 32, 16, 8, 4, 2, 1].map((k) => ({
    id: `obj/${k}`,
    what: k === 1 ? 'one small object `{ id }` every call' : `one small object \`{ id }\` every ${k} calls`,
    objects: 1 / k,
    payload: undefined,
    make: keeping((i) => (i % k === 0 ? { id: i } : undefined)),
  })),
  { id: 'number', what: 'one number (small integer) per call pushed to an array', objects: 0, payload: undefined, make: keeping((i) => i) },
  ...[8, 32, 128, 1024].map((n) => ({ id: `string/${n}`, what: `a new ${n}-byte string per call`, objects: 1, payload: n, make: keeping(stringOf(n)) })),
  ...[16, 256, 4096].map((n) => ({ id: `buffer/${n}`, what: `a new ${n}-byte Buffer (Buffer.alloc) per call`, objects: 1, payload: n, make: keeping(() => Buffer.alloc(n)) })),
]

if (values.worker) {
  const { measureLeak } = await import('@leakproof/core')
  const heap = () => {
    globalThis.gc()
    globalThis.gc()
    const m = process.memoryUsage()
    return m.heapUsed + m.external
  }
  /** True retained bytes per call: what dropping the kept values frees, over N calls. */
  const calibrate = (size) => {
    const calls = size.objects > 0 && size.objects < 1 ? 200_000 : size.id === 'number' ? 500_000 : size.id === 'clean' ? 100_000 : 20_000
    const subject = size.make()
    for (let i = 0; i < calls; i++) subject.run()
    const full = heap()
    subject.drop()
    const empty = heap()
    return (full - empty) / calls
  }
  const list = sizes.filter((s) => !values.filter || s.id.includes(values.filter))
  if (values.reverse) list.reverse()
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      heap()
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  for (const size of list) {
    await settle()
    const subject = size.make()
    const t = performance.now()
    let result
    try {
      const r = await measureLeak(subject.run)
      result = {
        id: size.id,
        leaked: r.leaked,
        ms: performance.now() - t,
        bpi: r.bytesPerIteration,
        ext: r.externalBytesPerIteration,
        calls: r.iterations + r.warmupIterations,
        confirmed: r.decision.some((d) => d.stage === 'confirm'),
        decision: r.decision.map((d) => `${d.stage} ${d.outcome} ${d.bytesPerIteration.toFixed(1)} B/call over ${d.iterations}${d.note ? ` (${d.note})` : ''}`),
      }
    } catch (error) {
      result = { id: size.id, error: String(error), ms: performance.now() - t }
    } finally {
      subject.drop()
    }
    await settle()
    result.trueBpc = calibrate(size)
    process.stdout.write(JSON.stringify(result) + '\n')
  }
  process.exit(0)
}

const self = fileURLToPath(import.meta.url)
const runs = Number(values.runs)
const results = []
const loads = [loadavg()[0]]
const started = performance.now()
for (let run = 0; run < runs; run++) {
  const args = ['--expose-gc', self, '--worker', '--filter', values.filter, ...(run % 2 ? ['--reverse'] : [])]
  const child = spawn(values.node, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  let buffered = ''
  child.stdout.on('data', (chunk) => (buffered += chunk))
  const code = await new Promise((resolve) => child.on('exit', resolve))
  const before = results.length
  for (const line of buffered.split('\n')) if (line.trim()) results.push(JSON.parse(line))
  loads.push(loadavg()[0])
  process.stderr.write(`run ${run + 1}/${runs}: ${results.length - before} verdicts, exit ${code}, ${((performance.now() - started) / 1000).toFixed(0)} s, load ${loadavg()[0].toFixed(2)}\n`)
}
const elapsed = (performance.now() - started) / 1000

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (!s.length) return NaN
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const bytes = (x) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2)) : '-')
const objects = (x) => (x === 0 ? '0' : x >= 1 ? String(x) : `1/${Math.round(1 / x)}`)

console.log(
  `\nNode ${values.node === process.execPath ? process.version : values.node}, measureLeak at default options, ${runs} runs per size ` +
    `(a fresh node --expose-gc process per run, all sizes in it), ${elapsed.toFixed(0)} s in all; ` +
    `1-min load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}\n`,
)
console.log('| leak per call | objects/call | true retained B/call (calibrated, median) | detected | reported heap B/call (median) | reported external B/call (median) | needed snapshots | median ms per verdict | errors |')
console.log('|---|---|---|---|---|---|---|---|---|')
const rows = []
for (const size of sizes) {
  const rs = results.filter((r) => r.id === size.id)
  if (!rs.length) continue
  const ok = rs.filter((r) => !r.error)
  const detected = ok.filter((r) => r.leaked).length
  const row = { size, rs, detected, trueBpc: median(rs.map((r) => r.trueBpc)) }
  rows.push(row)
  const rate = size.id === 'clean' ? `${detected}/${rs.length} (false positives)` : `${detected}/${rs.length}`
  console.log(
    `| ${size.what} | ${objects(size.objects)} | ${bytes(row.trueBpc)} | ${rate} | ${bytes(median(ok.map((r) => r.bpi)))} | ${bytes(median(ok.map((r) => r.ext)))} | ${ok.filter((r) => r.confirmed).length}/${ok.length} | ${median(rs.map((r) => r.ms)).toFixed(0)} | ${rs.length - ok.length} |`,
  )
}

// Smallest leak caught every time, with every larger leak (by true retained bytes) also caught every time.
const leaks = rows.filter((r) => r.size.id !== 'clean').sort((a, b) => a.trueBpc - b.trueBpc)
let smallest
for (let i = leaks.length - 1; i >= 0 && leaks[i].detected === leaks[i].rs.length; i--) smallest = leaks[i]
const smallestObject = rows
  .filter((r) => r.size.id.startsWith('obj/'))
  .sort((a, b) => a.size.objects - b.size.objects)
  .find((r, i, all) => all.slice(i).every((x) => x.detected === x.rs.length))
console.log('')
console.log(
  smallest
    ? `Smallest leak detected in every run (and every larger one too): ${smallest.size.what}, ${bytes(smallest.trueBpc)} B/call retained (${objects(smallest.size.objects)} objects/call).`
    : 'No leak size was detected in every run.',
)
console.log(
  smallestObject
    ? `Objects: ${smallestObject.size.what} (${objects(smallestObject.size.objects)} objects/call, ${bytes(smallestObject.trueBpc)} B/call) is the smallest rate detected in every run with every higher rate also detected every time.`
    : 'No object rate was detected in every run.',
)
for (const r of results.filter((x) => x.error)) console.log(`error (${r.id}): ${r.error.slice(0, 300)}`)
// How the misses (and false positives) were decided: sizes caught in some runs but not all.
const odd = results.filter((r) => !r.error && (r.id === 'clean' ? r.leaked : !r.leaked && rows.find((x) => x.size.id === r.id).detected > 0))
if (odd.length) {
  console.log('\nRuns that went the other way for a size detected in other runs (or a false positive), with the decision steps:\n')
  for (const r of odd) console.log(`- ${r.id}: ${r.leaked ? 'leak' : 'clean'}; ${r.decision.slice(1).join('; ')}`)
}
