// Heap snapshot benchmark: leakproof's streaming parser and three-snapshot analysis vs memlab's.
//
//   cd bench/heap && PUPPETEER_SKIP_DOWNLOAD=1 npm install   (once: memlab, not a workspace)
//   node generate.mjs            (once: writes .snapshots/{small,large}-{A,B,C}.heapsnapshot)
//   node build.mjs               (compiles packages/core/src/{heap,explain} alone with esbuild)
//   node run.mjs [--runs 3] [--sizes small,large] [--skip-memlab-diff]
//
// Every measurement runs in its own child process (so peak RSS is that task's alone, read from
// process.resourceUsage().maxRSS), `runs` times, interleaving leakproof and memlab so both see the
// same machine load; the table shows the fastest run and the largest peak RSS.
import { fork } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const snapshots = join(here, '.snapshots')

// ------------------------------------------------------------------ child: one measurement
if (process.env.LP_BENCH_TASK) {
  const task = process.env.LP_BENCH_TASK
  const args = JSON.parse(process.env.LP_BENCH_ARGS)
  const require = createRequire(import.meta.url)
  const quiet = () => {
    // memlab prints progress to stdout; keep the parent's JSON channel clean.
    process.stdout.write = () => true
    process.stderr.write = () => true
  }
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  let detail = ''
  if (task === 'ours-parse') {
    const { parseHeapSnapshot } = await import('./.build/heap.mjs')
    const s = await parseHeapSnapshot(args.file)
    detail = `${s.nodeCount} nodes, ${s.edgeCount} edges`
  } else if (task === 'ours-diff') {
    const { analyzeSnapshots } = await import('./.build/heap.mjs')
    const r = await analyzeSnapshots({ files: args.files, callsBetween: [args.calls, args.calls], showStrings: false, ignoreTypes: [], explain: true })
    const top = r.retainedTypes[0]
    detail = `top ${top?.name} ×${top?.retainedCount}; ${r.retainerPaths[0]?.text ?? ''}`
  } else if (task === 'memlab-parse') {
    quiet()
    const { utils } = require('@memlab/core')
    const s = await utils.getSnapshotFromFile(args.file, { buildNodeIdIndex: true })
    detail = `${s.nodes.length} nodes, ${s.edges.length} edges`
  } else if (task === 'memlab-heap') {
    quiet()
    const { getFullHeapFromFile } = require('@memlab/heap-analysis')
    const s = await getFullHeapFromFile(args.file)
    detail = `${s.nodes.length} nodes (with shortest paths and retained sizes)`
  } else if (task === 'memlab-diff') {
    quiet()
    const { findLeaksBySnapshotFilePaths } = require('@memlab/api')
    const workDir = mkdtempSync(join(tmpdir(), 'memlab-bench-'))
    try {
      const leaks = await findLeaksBySnapshotFilePaths(...args.files, { workDir })
      detail = `${leaks.length} leak trace clusters`
    } finally {
      rmSync(workDir, { recursive: true, force: true })
    }
  } else {
    throw new Error(`unknown task ${task}`)
  }
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(c0)
  process.send({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024, detail })
  process.exit(0)
}

// ------------------------------------------------------------------ parent
function option(name, fallback) {
  const k = process.argv.indexOf(`--${name}`)
  return k > 0 ? process.argv[k + 1] : fallback
}
const runs = Number(option('runs', '3'))
const sizes = option('sizes', 'small,large').split(',')
const skipMemlabDiff = process.argv.includes('--skip-memlab-diff')

if (!existsSync(join(here, '.build', 'heap.mjs'))) throw new Error('run `node build.mjs` first')
if (!existsSync(join(here, 'node_modules', '@memlab', 'heap-analysis'))) throw new Error('run `PUPPETEER_SKIP_DOWNLOAD=1 npm install` in bench/heap first')

function measure(task, args) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, LP_BENCH_TASK: task, LP_BENCH_ARGS: JSON.stringify(args) },
      execArgv: ['--max-old-space-size=8192'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    })
    let err = ''
    let result
    child.stderr.on('data', (d) => (err += d))
    child.on('message', (m) => (result = m))
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`${task} exited ${code}: ${err.slice(-2000)}`))))
  })
}

function callsBetween(size) {
  // generate.mjs leaks max(100, scale / 100) sessions per interval; read it back from its log.
  const log = join(snapshots, 'calls.json')
  if (existsSync(log)) return JSON.parse(readFileSync(log, 'utf8'))[size]
  return size === 'small' ? 100 : 750
}

const rows = []
for (const size of sizes) {
  const files = ['A', 'B', 'C'].map((t) => join(snapshots, `${size}-${t}.heapsnapshot`))
  if (!files.every(existsSync)) throw new Error(`missing ${size} snapshots: run \`node generate.mjs\``)
  const mb = statSync(files[0]).size / 1e6
  const tasks = [
    ['parse', 'ours-parse', 'memlab-parse', { file: files[0] }],
    ['parse + shortest paths / dominators', null, 'memlab-heap', { file: files[0] }],
    ['3-snapshot leak analysis', 'ours-diff', skipMemlabDiff ? null : 'memlab-diff', { files, calls: callsBetween(size) }],
  ]
  for (const [what, ours, theirs, args] of tasks) {
    const best = { ours: null, theirs: null }
    for (let r = 0; r < runs; r++) {
      for (const [side, task] of [['ours', ours], ['theirs', theirs]]) {
        if (!task) continue
        const m = await measure(task, args)
        const b = best[side]
        best[side] = b ? { ms: Math.min(b.ms, m.ms), cpuMs: Math.min(b.cpuMs, m.cpuMs), maxRssMB: Math.max(b.maxRssMB, m.maxRssMB), detail: m.detail } : m
        process.stderr.write(`${size} ${task} run ${r + 1}: ${m.ms.toFixed(0)} ms (CPU ${m.cpuMs.toFixed(0)} ms), ${m.maxRssMB.toFixed(0)} MB peak RSS — ${m.detail}\n`)
      }
    }
    rows.push({ size, mb, what, ...best })
  }
}

const fmtMs = (x) => (x ? `${(x.ms / 1000).toFixed(2)} s` : '—')
const fmtCpu = (x) => (x ? `${(x.cpuMs / 1000).toFixed(2)} s` : '—')
const fmtRss = (x, mb) => (x ? `${x.maxRssMB.toFixed(0)} MB (${(x.maxRssMB / mb).toFixed(2)}×)` : '—')
const ratio = (a, b) => (a && b ? `${(b / a).toFixed(1)}×` : '—')
const { loadavg, cpus } = await import('node:os')
console.log(`\nNode ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')}; ${runs} run(s) each: fastest wall time, lowest CPU time (user + system), largest peak RSS (ratio to the file size).\n`)
console.log('| snapshot | task | leakproof wall | memlab wall | speed-up (wall) | leakproof CPU | memlab CPU | speed-up (CPU) | leakproof peak RSS | memlab peak RSS |')
console.log('|---|---|---|---|---|---|---|---|---|---|')
for (const r of rows) {
  console.log(
    `| ${r.size} (${r.mb.toFixed(1)} MB) | ${r.what} | ${fmtMs(r.ours)} | ${fmtMs(r.theirs)} | ${ratio(r.ours?.ms, r.theirs?.ms)} | ` +
      `${fmtCpu(r.ours)} | ${fmtCpu(r.theirs)} | ${ratio(r.ours?.cpuMs, r.theirs?.cpuMs)} | ${fmtRss(r.ours, r.mb)} | ${fmtRss(r.theirs, r.mb)} |`,
  )
}
