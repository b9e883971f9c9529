// Classification experiment: which node types / names grow between three snapshots, and how
// leakproof's internal-node rules classify that growth.
//
//   node bench/heap/build.mjs && node bench/heap/experiments/classify.mjs [calls=200]
//
// Each workload runs in a fresh child process: 20 warm-up calls, snapshot A, N calls, snapshot B,
// N calls, snapshot C. For clean workloads every user-classified type should be flat (or grow
// only once); for leaky ones the leaked objects must be user data growing in both intervals.
import v8 from 'node:v8'
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as W from './workloads.mjs'

const N = Number(process.argv[2] ?? 200)

if (process.env.LP_CLASSIFY_CHILD) {
  const w = W[process.env.LP_CLASSIFY_CHILD]()
  const dir = mkdtempSync(join(tmpdir(), 'lp-classify-'))
  const files = new Array(3)
  for (let i = 0; i < 20; i++) w.call()
  for (let k = 0; k < 3; k++) {
    gc()
    files[k] = v8.writeHeapSnapshot(join(dir, `${k}.heapsnapshot`))
    if (k < 2) for (let i = 0; i < N; i++) w.call()
  }
  process.send({ name: w.name, dir, files })
  await new Promise((r) => process.on('message', r))
  process.exit(0)
}

const { parseHeapSnapshot, classifyNodes, internalRules, reasonName, typeKey } = await import('../.build/heap.mjs')

async function analyse(file) {
  const s = await parseHeapSnapshot(file)
  const c = classifyNodes(s)
  // Histogram by reason and type key, plus nodes unreachable from the root even via weak edges.
  const byKey = new Map()
  for (let i = 0; i < s.nodeCount; i++) {
    const key = `${reasonName(c.reason[i])}\t${typeKey(s, i)}`
    const v = byKey.get(key) ?? [0, 0]
    v[0]++
    v[1] += s.selfSize(i)
    byKey.set(key, v)
  }
  const seen = new Uint8Array(s.nodeCount)
  const q = [0]
  seen[0] = 1
  while (q.length) {
    const i = q.pop()
    for (let e = s.firstEdge[i]; e < s.firstEdge[i + 1]; e++) {
      const j = s.edgeTo[e]
      if (!seen[j]) { seen[j] = 1; q.push(j) }
    }
  }
  let unreachable = 0
  for (let i = 0; i < s.nodeCount; i++) if (!seen[i]) unreachable++
  return { byKey, unreachable, user: c.userBytes, internal: c.internalBytes }
}

function fmt(n) { return (n > 0 ? '+' : '') + n }

const results = []
for (const group of ['clean', 'leaky']) {
  for (const make of W[group]) {
    const child = fork(fileURLToPath(import.meta.url), [String(N)], {
      env: { ...process.env, LP_CLASSIFY_CHILD: make.name },
      execArgv: ['--expose-gc'],
    })
    const msg = await new Promise((r) => child.once('message', r))
    child.send('done')
    const snaps = []
    for (const f of msg.files) snaps.push(await analyse(f))
    rmSync(msg.dir, { recursive: true, force: true })
    const keys = new Set(snaps.flatMap((x) => [...x.byKey.keys()]))
    const rows = []
    const perReason = new Map()
    for (const key of keys) {
      const [a, b, c] = snaps.map((x) => x.byKey.get(key) ?? [0, 0])
      const reason = key.split('\t')[0]
      const r = perReason.get(reason) ?? [0, 0]
      r[0] += b[1] - a[1]
      r[1] += c[1] - b[1]
      perReason.set(reason, r)
      if (b[0] !== a[0] || c[0] !== b[0] || b[1] !== a[1] || c[1] !== b[1]) {
        rows.push({ key, dc1: b[0] - a[0], dc2: c[0] - b[0], db1: b[1] - a[1], db2: c[1] - b[1] })
      }
    }
    rows.sort((x, y) => Math.abs(y.db1) + Math.abs(y.db2) - Math.abs(x.db1) - Math.abs(x.db2))
    console.log(`\n## ${group}: ${msg.name} (N=${N}; unreachable nodes A/B/C: ${snaps.map((x) => x.unreachable).join('/')})`)
    console.log('growth by reason (bytes A→B, B→C): ' + [...perReason].filter(([, v]) => v[0] || v[1]).map(([k, v]) => `${k} ${fmt(v[0])}/${fmt(v[1])}`).join(', '))
    console.log('| reason | type | count A→B | count B→C | bytes A→B | bytes B→C |\n|---|---|---|---|---|---|')
    const user = rows.filter((r) => r.key.startsWith('user\t'))
    const shown = [...user.slice(0, 8), ...rows.filter((r) => !r.key.startsWith('user\t')).slice(0, 10)]
    for (const r of shown) {
      const [reason, type] = r.key.split('\t')
      console.log(`| ${reason} | ${type.slice(0, 50)} | ${fmt(r.dc1)} | ${fmt(r.dc2)} | ${fmt(r.db1)} | ${fmt(r.db2)} |`)
    }
    results.push({ group, name: msg.name, user })
  }
}
console.log('\nrules:\n' + internalRules.map((r, k) => `${k + 1}. ${r.id}: ${r.why}`).join('\n'))
