#!/usr/bin/env node
// First-pass classification of the non-clean records of a per-test run, as Markdown table rows.
// Rules (checked by hand against the reports and test sources, see README.md):
//   path through `__vitest_worker__ → current → onFinished`  -> Vitest async-assertion bookkeeping
//   path through `snapshotState`                             -> Vitest snapshot-state bookkeeping
//   no path (inconclusive) and the test body awaits `.resolves` / `.rejects` -> same as the first
//   otherwise -> needs a look (printed as '?')
//
//   node bench/real-suites/classify.mjs <suite dir> <report.json | records.jsonl ...>
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const [dir, ...inputs] = process.argv.slice(2)
const records = []
for (const f of inputs) {
  const text = readFileSync(f, 'utf8')
  if (f.endsWith('.jsonl')) for (const l of text.trim().split('\n')) records.push(JSON.parse(l))
  else records.push(...JSON.parse(text).tests)
}
const bodyOf = (file, line) => {
  const src = readFileSync(join(dir, file), 'utf8').split('\n')
  const start = line - 1
  const indent = src[start].match(/^\s*/)[0]
  let end = start + 1
  while (end < src.length && !new RegExp(`^${indent}\\S`).test(src[end])) end++
  return src.slice(start, end + 1).join('\n')
}
for (const t of records) {
  if (t.verdict === 'clean') continue
  const r = t.report ?? {}
  const path = r.retainerPaths?.[0]?.text ?? ''
  const body = t.line ? bodyOf(t.file, t.line) : ''
  let cls = '?'
  if (/→ current \(Object\) → onFinished/.test(path)) cls = 'A'
  else if (/snapshotState/.test(path)) cls = 'B'
  else if (/\.(resolves|rejects)\b/.test(body)) cls = 'A?'
  const evidence = path
    ? path.replace(/^.*?(__vitest_worker__|snapshotState)/, '… $1').slice(0, 110)
    : (r.decision ?? []).at(-1)?.note?.slice(0, 110) ?? t.error?.split('\n')[0] ?? ''
  console.log(
    `| ${t.file}:${t.line} | ${t.name.split(' > ').slice(-1)[0]} | ${t.verdict} | ${r.bytesPerIteration?.toFixed(0) ?? ''} | ${((r.durationMs ?? 0) / 1000).toFixed(0)} | ${cls} | ${evidence.replace(/\|/g, '\\|')} |`,
  )
}
