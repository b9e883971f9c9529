// Runs the verdict corpus many times and prints false-positive and detection rates.
//   node bench/stability.mjs [--passes 30] [--kind all|clean|leaky] [--load] [--node /path/to/node]
// Each pass runs in a fresh Node process (cold JIT, cold engine), one measurement per subject at
// default options. --load keeps both cores busy with another process while measuring.
import { spawn, fork } from 'node:child_process'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    passes: { type: 'string', default: '10' },
    kind: { type: 'string', default: 'all' },
    load: { type: 'boolean', default: false },
    node: { type: 'string', default: process.execPath },
    worker: { type: 'boolean', default: false },
    filter: { type: 'string', default: '' },
  },
})

if (values.worker) {
  // LEAKPROOF_CORE=/path/to/dist/index.js measures a copy of the engine (keep soaking while rebuilding).
  const { measureLeak } = await import(process.env.LEAKPROOF_CORE ?? '@leakproof/core')
  const { leaky, clean } = await import('../test/corpus/subjects.mjs')
  const sets = values.kind === 'leaky' ? { leaky } : values.kind === 'clean' ? { clean } : { leaky, clean }
  for (const [kind, list] of Object.entries(sets)) {
    for (const entry of list) {
      if (values.filter && !entry.name.includes(values.filter)) continue
      const subject = entry.make()
      const t = performance.now()
      let result
      try {
        const r = await measureLeak(subject.run)
        result = { kind, name: entry.name, leaked: r.leaked, ms: performance.now() - t, confirmed: r.decision.some((d) => d.stage === 'confirm'), bpi: r.bytesPerIteration }
      } catch (error) {
        result = { kind, name: entry.name, error: String(error), ms: performance.now() - t }
      } finally {
        subject.cleanup?.()
      }
      process.stdout.write(JSON.stringify(result) + '\n')
    }
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
  for (let pass = 0; pass < Number(values.passes); pass++) {
    const child = spawn(values.node, ['--expose-gc', self, '--worker', '--kind', values.kind, '--filter', values.filter], { stdio: ['ignore', 'pipe', 'inherit'] })
    let buffered = ''
    child.stdout.on('data', (chunk) => { buffered += chunk })
    await new Promise((resolve) => child.on('exit', resolve))
    for (const line of buffered.split('\n')) if (line.trim()) results.push(JSON.parse(line))
    process.stderr.write(`pass ${pass + 1}/${values.passes} done (${results.length} verdicts)\n`)
  }
} finally {
  for (const l of loaders) l.kill()
}

const pct = (a, b) => (b ? ((100 * a) / b).toFixed(2) + '%' : '-')
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : 0 }
const rows = []
for (const kind of ['clean', 'leaky']) {
  const rs = results.filter((r) => r.kind === kind)
  if (!rs.length) continue
  const wrong = rs.filter((r) => r.error || (kind === 'clean' ? r.leaked : !r.leaked))
  rows.push({ kind, rs, wrong })
}
console.log(`\nNode ${values.node === process.execPath ? process.version : values.node}, ${values.passes} passes (fresh process each), load: ${values.load ? `${loaders.length} busy processes` : 'idle'}, ${((performance.now() - started) / 1000).toFixed(0)} s\n`)
console.log('| corpus | verdicts | wrong | rate | confirmed by snapshots | median ms | p95 ms |')
console.log('|---|---|---|---|---|---|---|')
for (const { kind, rs, wrong } of rows) {
  const rate = kind === 'clean' ? `false positives ${pct(wrong.length, rs.length)}` : `detection ${pct(rs.length - wrong.length, rs.length)}`
  const ms = rs.map((r) => r.ms)
  console.log(`| ${kind} | ${rs.length} | ${wrong.length} | ${rate} | ${pct(rs.filter((r) => r.confirmed).length, rs.length)} | ${quantile(ms, 0.5).toFixed(0)} | ${quantile(ms, 0.95).toFixed(0)} |`)
}
const wrongAll = rows.flatMap((r) => r.wrong)
if (wrongAll.length) {
  console.log('\nWrong verdicts:')
  for (const w of wrongAll) console.log(`- ${w.kind}: ${w.name}: ${w.error ?? `leaked=${w.leaked} (${w.bpi} B/call)`}`)
}
