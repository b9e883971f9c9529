#!/usr/bin/env node
// Prints every non-clean record of a leakproof run report (per-test mode) with the evidence
// needed to classify it: verdict, bytes/call, decision steps, top retained types, retainer paths,
// allocation sites, error text.
//
//   node bench/real-suites/summarize.mjs <report.json> [--all]
import { readFileSync } from 'node:fs'

const [file, flag] = process.argv.slice(2)
const rep = JSON.parse(readFileSync(file, 'utf8'))
const tests = rep.tests ?? []
const by = {}
for (const t of tests) by[t.verdict] = (by[t.verdict] ?? 0) + 1
console.log(`${file}: ${rep.run?.framework} ${rep.run?.frameworkVersion}, node ${rep.run?.node}`)
console.log(`records: ${tests.length}  verdicts: ${JSON.stringify(by)}`)
for (const t of tests) {
  if (t.verdict === 'clean' && flag !== '--all') continue
  const r = t.report
  console.log(`\n[${t.verdict}] ${t.file}:${t.line ?? '?'} > ${t.name}  (source ${t.source})`)
  if (t.error) console.log(`  error: ${t.error.split('\n').slice(0, 6).join('\n         ')}`)
  if (!r) continue
  console.log(
    `  ${r.bytesPerIteration?.toFixed(1)} B/call over ${r.iterations} calls (+${r.warmupIterations} warm-up), ${(r.durationMs / 1000).toFixed(1)} s; kinds ${JSON.stringify(r.kinds)}`,
  )
  if (r.inconclusive) console.log(`  inconclusive: ${JSON.stringify(r.inconclusive)}`)
  for (const d of r.decision ?? []) console.log(`  decision ${d.stage}/${d.outcome} (${d.iterations} calls, ${d.bytesPerIteration?.toFixed(1)} B/call): ${d.note}`)
  for (const ty of (r.retainedTypes ?? []).slice(0, 5))
    console.log(`  type ${ty.name} (${ty.nodeType}) ${ty.countPerIteration?.toFixed(2)}/call ${ty.bytesPerIteration?.toFixed(1)} B/call alive ${ty.retainedCount}`)
  for (const p of (r.retainerPaths ?? []).slice(0, 4)) console.log(`  path (${p.count}): ${p.text}`)
  for (const s of (r.allocationSites ?? []).slice(0, 5))
    console.log(`  site ${s.functionName} (${s.file}:${s.line}:${s.column}) ${s.bytesPerIteration?.toFixed(1)} B/call  <- ${(s.stack ?? []).slice(0, 3).join(' <- ')}`)
  for (const x of r.resources ?? []) console.log(`  resource ${JSON.stringify(x).slice(0, 200)}`)
  for (const x of r.listeners ?? []) console.log(`  listener ${JSON.stringify(x).slice(0, 200)}`)
}
