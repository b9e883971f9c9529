// The HTML report's suite-level section: the worker's heap after a forced GC, test file by test
// file (one line per worker), the files whose world stayed reachable marked, and what holds them.
// The picture users otherwise build by hand from `jest --logHeapUsage` (which reads the heap
// without a GC).
import type { SuiteFileRecord } from '@leakproof/core'
import { niceByteAxis, stepDecimals } from '../stats.js'
import { formatBytes } from './common.js'

/** Escape text for HTML (the same rules as html.ts's `esc`). */
function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** Records of one worker in the order it ran its files. */
export function byWorker(files: readonly SuiteFileRecord[]): Map<string, SuiteFileRecord[]> {
  const out = new Map<string, SuiteFileRecord[]>()
  for (const f of files) {
    const list = out.get(f.worker) ?? []
    list.push(f)
    out.set(f.worker, list)
  }
  for (const list of out.values()) list.sort((a, b) => a.order - b.order)
  return out
}

/** One SVG line per worker: heap after GC (y) by file (x); held files are red dots. */
export function suiteHeapPlot(files: readonly SuiteFileRecord[]): string {
  const workers = [...byWorker(files)].map(([w, list]) => [w, list.filter((f) => f.heapUsedAfterGc !== undefined)] as const).filter(([, l]) => l.length)
  if (!workers.length) return ''
  const W = 720
  const H = 260
  const left = 70
  const right = 16
  const top = 16
  const bottom = 40
  const values = workers.flatMap(([, l]) => l.map((f) => f.heapUsedAfterGc!))
  const maxFiles = Math.max(...workers.map(([, l]) => l.length))
  const axis = niceByteAxis(Math.min(...values), Math.max(...values), 4)
  const x = (i: number) => left + (maxFiles <= 1 ? 0 : (i / (maxFiles - 1)) * (W - left - right))
  const y = (v: number) => top + (1 - (v - axis.min) / (axis.max - axis.min || 1)) * (H - top - bottom)
  const decimals = stepDecimals(axis.step / axis.unit)
  const unitName = axis.unit === 1024 ** 2 ? 'MB' : axis.unit === 1024 ? 'KB' : 'B'
  const parts: string[] = []
  for (let v = axis.min; v <= axis.max + axis.step / 2; v += axis.step) {
    parts.push(`<line class="grid" x1="${left}" x2="${W - right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/>`)
    parts.push(`<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${esc(`${(v / axis.unit).toFixed(decimals)} ${unitName}`)}</text>`)
  }
  parts.push(`<line class="axis" x1="${left}" x2="${W - right}" y1="${H - bottom}" y2="${H - bottom}"/>`)
  parts.push(`<text x="${(left + W - right) / 2}" y="${H - 8}" text-anchor="middle">test files, in the order each worker ran them</text>`)
  for (const [worker, list] of workers) {
    const points = list.map((f, i) => `${x(i).toFixed(1)},${y(f.heapUsedAfterGc!).toFixed(1)}`).join(' ')
    parts.push(`<polyline class="ts" points="${points}"><title>${esc(`worker ${worker}`)}</title></polyline>`)
    list.forEach((f, i) => {
      const held = f.verdict === 'held'
      const label = `${f.file}: ${formatBytes(f.heapUsedAfterGc!)} after GC${f.heapGrowth !== undefined ? ` (${f.heapGrowth >= 0 ? '+' : ''}${formatBytes(f.heapGrowth)})` : ''}${held ? ' — not released' : ''}`
      parts.push(`<circle class="${held ? 'held' : 'heap'}" cx="${x(i).toFixed(1)}" cy="${y(f.heapUsedAfterGc!).toFixed(1)}" r="${held ? 5 : 3}"><title>${esc(label)}</title></circle>`)
    })
  }
  const aria = `Worker heap after a forced GC, file by file, ${workers.length} worker${workers.length === 1 ? '' : 's'}`
  return `<svg class="plot suite" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(aria)}">${parts.join('')}</svg>`
}

/** The section, or '' when the report has no suite-level records. */
export function suiteSection(files: readonly SuiteFileRecord[] | undefined): string {
  if (!files?.length) return ''
  const held = files.filter((f) => f.verdict === 'held' && f.note !== 'ignored')
  const unchecked = files.filter((f) => f.verdict === 'unchecked').length
  const rows = held.map(
    (f) =>
      `<tr><td class="mono">${esc(f.file)}</td><td>${esc(f.holder ?? 'unknown')}${f.failed ? '' : ' <span class="muted">(not failing)</span>'}</td>` +
      `<td class="num">${f.retainedBytes !== undefined ? esc(formatBytes(f.retainedBytes)) : '–'}</td>` +
      `<td><code>${esc(f.retainerPath ?? f.note ?? '')}</code>${f.advice ? `<div class="muted">${esc(f.advice)}</div>` : ''}</td></tr>`,
  )
  return (
    `<h2>Test files: which file leaks the worker</h2>` +
    `<p>${esc(`${files.length} test file${files.length === 1 ? '' : 's'} watched, ${files.length - unchecked} checked, ${held.length} not released after ${held.length === 1 ? 'it' : 'they'} ended.`)}` +
    `${unchecked ? ` <span class="muted">${esc(`${unchecked} unchecked (the worker ended before its last file could be checked).`)}</span>` : ''}</p>` +
    suiteHeapPlot(files) +
    (rows.length
      ? `<table><thead><tr><th>file</th><th>holder</th><th class="num">retained</th><th>held by</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
      : '')
  )
}
