// Real-world workloads at default options, repeated: verdicts, bytes/call, time per verdict,
// snapshot confirmations, false-positive and detection rates.
//
//   node bench/real-world/run.mjs [--passes 5] [--set all|clean|leaky|fixed] [--filter text]
//                                 [--json results.jsonl] [--load]
//
// LEAKPROOF_CORE=/path/to/dist/index.js measures with another build of the engine (default: the
// workspace's @leakproof/core).
// Each pass measures every selected workload once. Workloads run in groups, one fresh Node process
// per group, as the Vitest files do: the clean 'http' workloads, the clean 'library' workloads,
// and per known leak its fixed version then its leaking version. --load keeps both cores busy with another
// process while measuring. Needs `npx turbo run build --filter=@leakproof/core` first.
import { spawn } from 'node:child_process'
import { appendFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    passes: { type: 'string', default: '5' },
    set: { type: 'string', default: 'all' },
    filter: { type: 'string', default: '' },
    json: { type: 'string', default: '' },
    load: { type: 'boolean', default: false },
    worker: { type: 'boolean', default: false },
    group: { type: 'string', default: '' },
  },
})

/**
 * Jobs in groups; each group runs in one process, as each test file does under Vitest:
 * clean 'http' and 'library' workloads, and per known leak the fixed version, then the leaking one.
 */
async function groups() {
  const { clean, knownLeaks, versionOf } = await import('../../test/real-world/workloads.mjs')
  const out = new Map()
  const add = (group, job) => {
    if (values.filter && !`${job.name} ${job.library}`.includes(values.filter)) return
    if (values.set !== 'all' && values.set !== job.set) return
    if (!out.has(group)) out.set(group, [])
    out.get(group).push(job)
  }
  for (const w of clean) add(`clean-${w.group}`, { set: 'clean', name: w.name, library: w.library, make: () => w.make() })
  for (const k of knownLeaks) {
    for (const variant of ['fixed', 'leaky']) {
      add(`leak-${k.package}`, { set: variant, name: k.name, library: `${k.package}@${versionOf(k[variant])}`, make: () => k.make(variant) })
    }
  }
  return out
}

if (values.worker) {
  const { measureLeak } = await import(process.env.LEAKPROOF_CORE ? pathToFileURL(process.env.LEAKPROOF_CORE).href : '@leakproof/core')
  const jobs = (await groups()).get(values.group) ?? []
  for (const job of jobs) {
    const instance = await job.make()
    const t = performance.now()
    let result
    try {
      const r = await measureLeak(instance.run)
      result = {
        set: job.set,
        group: values.group,
        name: job.name,
        library: job.library,
        leaked: r.leaked,
        kinds: r.kinds,
        bytesPerIteration: r.bytesPerIteration,
        externalBytesPerIteration: r.externalBytesPerIteration,
        screenBytesPerIteration: r.decision.find((d) => d.stage === 'screen')?.bytesPerIteration ?? null,
        confirmations: r.decision.filter((d) => d.stage === 'confirm').length,
        iterations: r.iterations,
        warmupIterations: r.warmupIterations,
        ms: Math.round(performance.now() - t),
        decision: r.decision.map((d) => `${d.stage}:${d.outcome} ${d.bytesPerIteration} B/call — ${d.note}`),
        retainedTypes: r.retainedTypes.slice(0, 6).map((t) => `${t.name} (${t.nodeType}) ${t.countPerIteration.toFixed(2)}/call ${t.bytesPerIteration.toFixed(1)} B/call`),
        retainerPaths: r.retainerPaths.slice(0, 3).map((p) => `${p.count}× ${p.text.slice(0, 400)}`),
        listeners: r.listeners.map((l) => `${l.target} '${l.event}' ${l.countPerIteration.toFixed(2)}/call`),
        resources: r.resources.map((x) => `${x.type} ${x.countPerIteration.toFixed(2)}/call`),
        samples: r.samples.heapUsed,
      }
    } catch (error) {
      result = { set: job.set, group: values.group, name: job.name, library: job.library, error: String(error), ms: Math.round(performance.now() - t) }
    } finally {
      await instance.cleanup?.()
    }
    process.stdout.write(JSON.stringify(result) + '\n')
  }
  process.exit(0)
}

const self = fileURLToPath(import.meta.url)
const loaders = values.load
  ? cpus().map(() => spawn(process.execPath, ['-e', 'for(;;){Math.sqrt(Math.random())}'], { stdio: 'ignore' }))
  : []
const results = []
const started = performance.now()
try {
  const groupNames = [...(await groups()).keys()]
  for (let pass = 0; pass < Number(values.passes); pass++) {
    for (const group of groupNames) {
      const child = spawn(process.execPath, ['--expose-gc', self, '--worker', '--group', group, '--set', values.set, '--filter', values.filter], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let buffered = ''
      child.stdout.on('data', (chunk) => {
        buffered += chunk
      })
      child.stderr.on('data', () => {}) // library warnings (deprecations, MaxListeners) are expected
      await new Promise((resolve) => child.on('exit', resolve))
      for (const line of buffered.split('\n')) {
        if (!line.trim()) continue
        const r = JSON.parse(line)
        r.pass = pass + 1
        results.push(r)
        if (values.json) appendFileSync(values.json, JSON.stringify(r) + '\n')
      }
    }
    process.stderr.write(`pass ${pass + 1}/${values.passes} done (${results.length} verdicts, ${Math.round((performance.now() - started) / 1000)} s)\n`)
  }
} finally {
  for (const l of loaders) l.kill()
}

// Summary per workload: verdict rate, median bytes/call and time, confirmations.
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? NaN : s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const byWorkload = new Map()
for (const r of results) {
  const key = `${r.set}\t${r.library}\t${r.name}`
  if (!byWorkload.has(key)) byWorkload.set(key, [])
  byWorkload.get(key).push(r)
}
const rows = []
let falsePositives = 0
let cleanRuns = 0
let detected = 0
let leakyRuns = 0
for (const [key, rs] of byWorkload) {
  const [set, library, name] = key.split('\t')
  const ok = rs.filter((r) => !r.error)
  const leaks = ok.filter((r) => r.leaked).length
  const expectLeak = set === 'leaky'
  if (expectLeak) {
    leakyRuns += ok.length
    detected += leaks
  } else {
    cleanRuns += ok.length
    falsePositives += leaks
  }
  rows.push({
    set,
    library,
    name,
    runs: rs.length,
    errors: rs.length - ok.length,
    leaked: `${leaks}/${ok.length}`,
    verdictOk: ok.length > 0 && (expectLeak ? leaks === ok.length : leaks === 0),
    bytesPerCall: median(ok.map((r) => r.bytesPerIteration)),
    screenBytesPerCall: median(ok.map((r) => r.screenBytesPerIteration ?? NaN)),
    msPerVerdict: median(ok.map((r) => r.ms)),
    confirmed: `${ok.filter((r) => r.confirmations > 0).length}/${ok.length}`,
    kinds: [...new Set(ok.flatMap((r) => r.kinds))].join('+') || '-',
  })
}
console.log('\n| set | library | workload | leaked | B/call (median) | screen B/call | ms/verdict | to snapshots | kinds |')
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
for (const r of rows) {
  console.log(`| ${r.set} | ${r.library} | ${r.name} | ${r.leaked}${r.verdictOk ? '' : ' ✗'} | ${r.bytesPerCall} | ${r.screenBytesPerCall} | ${r.msPerVerdict} | ${r.confirmed} | ${r.kinds} |`)
}
console.log(`\nfalse positives: ${falsePositives}/${cleanRuns} clean+fixed verdicts; detections: ${detected}/${leakyRuns} leaky verdicts; ${Math.round((performance.now() - started) / 1000)} s`)
for (const r of results.filter((r) => r.error)) console.log(`error: ${r.library} ${r.name}: ${r.error}`)
