// Raw growth by node type/name between three snapshots, no classification.
// Usage: node --expose-gc raw-growth.mjs <workload-name> [calls]
import v8 from 'node:v8'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as W from './workloads.mjs'
import { parseHeapSnapshot } from '../.build/heap.mjs'

const [name, callsArg] = process.argv.slice(2)
const N = Number(callsArg ?? 200)
const w = W[name]()
const dir = mkdtempSync(join(tmpdir(), 'lp-raw-'))
for (let i = 0; i < 20; i++) w.call()
const files = []
for (const tag of ['A', 'B', 'C']) {
  gc()
  files.push(v8.writeHeapSnapshot(join(dir, tag + '.heapsnapshot')))
  if (tag !== 'C') for (let i = 0; i < N; i++) w.call()
}
const hist = []
for (const f of files) {
  const s = await parseHeapSnapshot(f)
  const h = new Map()
  for (let i = 0; i < s.nodeCount; i++) {
    const t = s.nodeTypeName(i)
    const nm = t.includes('string') ? '(str)' : t === 'regexp' ? '(re)' : s.nodeNameOf(i).slice(0, 48)
    const k = t + ' | ' + nm
    const v = h.get(k) ?? [0, 0]
    v[0]++
    v[1] += s.selfSize(i)
    h.set(k, v)
  }
  hist.push(h)
}
rmSync(dir, { recursive: true })
const keys = new Set(hist.flatMap((h) => [...h.keys()]))
const rows = []
for (const k of keys) {
  const [a, b, c] = hist.map((h) => h.get(k) ?? [0, 0])
  if (a[0] !== b[0] || b[0] !== c[0] || a[1] !== c[1]) rows.push([k, b[0] - a[0], c[0] - b[0], b[1] - a[1], c[1] - b[1]])
}
rows.sort((x, y) => Math.abs(y[3]) + Math.abs(y[4]) - Math.abs(x[3]) - Math.abs(x[4]))
console.log(`# ${w.name} (N=${N})\n  dCount AB  dCount BC  dBytes AB  dBytes BC  type | name`)
for (const r of rows.slice(0, 40)) console.log(`  ${String(r[1]).padStart(9)}  ${String(r[2]).padStart(9)}  ${String(r[3]).padStart(9)}  ${String(r[4]).padStart(9)}  ${r[0]}`)
