import type { LeakReport } from '@leakproof/core'
import { countedTypes, formatRecordsTable, shownSites, siteNote, storesLine } from '../core.js'
import type { Report, TestLeakRecord } from '../validate.js'
import { byVerdict, errorLine, fileLine, formatBytes, inconclusiveLine, leakWhat, pasteable, perCall, plural, sanitizeCell, siteText, type PathOptions } from './common.js'

export interface ConsoleOptions extends PathOptions {
  color?: boolean
  /** Leaks shown in detail; the rest are counted. Default 50. */
  maxDetails?: number
}

type Paint = (style: 'red' | 'yellow' | 'magenta' | 'dim' | 'bold' | 'cyan', text: string) => string

function painter(color: boolean): Paint {
  const codes = { red: [31, 39], yellow: [33, 39], magenta: [35, 39], dim: [2, 22], bold: [1, 22], cyan: [36, 39] } as const
  return (style, text) => (color ? `\u001b[${codes[style][0]}m${text}\u001b[${codes[style][1]}m` : text)
}

function grid(rows: string[][], numeric: Set<number>): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...r[c]!].length)))
  return rows.map((r) =>
    r
      .map((cell, c) => {
        const pad = ' '.repeat(widths[c]! - [...cell].length)
        return numeric.has(c) ? pad + cell : c === r.length - 1 ? cell : cell + pad
      })
      .join('  ')
      .trimEnd(),
  )
}

/** The evidence for one leak, indented, as the console and the CLI's details show it. */
export function leakDetails(report: LeakReport, paint: Paint = painter(false), indent = '  '): string[] {
  const lines: string[] = []
  const abort = report.decision.find((d) => d.stage === 'abort')
  lines.push(`Leaks ${leakWhat(report)} over ${report.iterations} measured calls after ${report.warmupIterations} warm-up calls.`)
  if (abort) lines.push(`Measurement ${sanitizeCell(abort.note)}.`)
  const types = countedTypes(report.retainedTypes)
  if (types.length) {
    lines.push('', paint('bold', 'Retained types (new objects still alive, per call):'))
    const rows = [['type', 'count/call', 'bytes/call', 'alive']]
    for (const t of types.slice(0, 8)) {
      rows.push([sanitizeCell(t.name), perCall(t.countPerIteration), formatBytes(t.bytesPerIteration), String(t.retainedCount)])
    }
    lines.push(...grid(rows, new Set([1, 2, 3])).map((l) => '  ' + l))
    if (types.length > 8) lines.push(paint('dim', `  … and ${types.length - 8} more types`))
  }
  const stores = storesLine(report.retainedTypes)
  if (stores) lines.push(...(types.length ? [] : ['']), paint('dim', `${sanitizeCell(stores)}.`))
  if (report.retainerPaths.length) {
    lines.push('', paint('bold', 'Retained by (shortest path from a GC root):'))
    for (const p of report.retainerPaths.slice(0, 3)) {
      lines.push(`  ${sanitizeCell(p.text)}${p.count > 1 ? paint('dim', `   (${p.count} objects)`) : ''}`)
    }
  }
  const sites = shownSites(report.allocationSites)
  if (sites.length) {
    lines.push('', paint('bold', 'Allocated at:'))
    for (const s of sites.slice(0, 3)) {
      lines.push(`  ${paint('cyan', sanitizeCell(siteText(s)))}  ${formatBytes(s.bytesPerIteration)}/call`)
      const note = siteNote(s)
      if (note) lines.push(paint('dim', `      ${note}`))
      for (const frame of s.stack.slice(0, 3)) lines.push(paint('dim', `      ← ${sanitizeCell(frame)}`))
    }
  }
  if (report.resources.length) {
    lines.push('', paint('bold', 'Open handles created per call and never released:'))
    for (const r of report.resources) {
      lines.push(`  ${sanitizeCell(r.type)} +${perCall(r.countPerIteration)} per call (${r.retainedCount} open)`)
      if (r.stack) {
        for (const frame of r.stack.split('\n').map((s) => s.trim()).filter(Boolean).slice(0, 3)) {
          lines.push(paint('dim', `      ${sanitizeCell(frame)}`))
        }
      }
    }
  }
  if (report.listeners.length) {
    lines.push('', paint('bold', 'Listeners added and never removed:'))
    for (const l of report.listeners) {
      lines.push(
        `  ${sanitizeCell(`${l.target} '${l.event}'`)} +${perCall(l.countPerIteration)} per call (${l.retainedCount} attached)` +
          (l.path ? ` at ${sanitizeCell(l.path)}` : ''),
      )
    }
  }
  if (report.kinds.includes('heap') && !report.retainedTypes.length && !abort) {
    lines.push('', 'No single object type explains the growth; rerun with { snapshotDir } to inspect the heap snapshots.')
  }
  if (report.snapshots.length) lines.push('', `Heap snapshots: ${report.snapshots.map(sanitizeCell).join(', ')}`)
  return lines.map((l) => (l ? indent + l : l))
}

function runLine(report: Report): string {
  const r = report.run
  const shards = r.shards?.length ? `, merged from ${plural(r.shards.length, 'report')}` : r.shard ? `, shard ${r.shard}` : ''
  return sanitizeCell(`${r.framework} ${r.frameworkVersion}, node ${r.node}, ${r.platform}${shards}`)
}

/** Console report: the summary table, then the evidence for each leak, each error and each inconclusive check. */
export function formatConsole(input: Report, opts: ConsoleOptions = {}): string {
  const report = pasteable(input, opts)
  const color = opts.color === true
  const paint = painter(color)
  const maxDetails = opts.maxDetails ?? 50
  const out: string[] = [paint('bold', 'leakproof report') + paint('dim', ` (${runLine(report)})`), '']
  out.push(formatRecordsTable(report.tests, { color }))

  const leaks = report.tests.filter((t) => t.verdict === 'leak')
  const errors = report.tests.filter((t) => t.verdict === 'error')
  leaks.slice(0, maxDetails).forEach((t: TestLeakRecord) => {
    out.push('', paint('red', `✗ ${fileLine(t)} > ${sanitizeCell(t.name)}`))
    out.push(...(t.report ? leakDetails(t.report, paint) : ['  (the report has no details for this leak)']))
  })
  if (leaks.length > maxDetails) out.push('', paint('dim', `… and ${leaks.length - maxDetails} more leaks (see --format html)`))
  for (const t of byVerdict(errors)) {
    out.push('', paint('yellow', `! ${fileLine(t)} > ${sanitizeCell(t.name)}`), `  The leak check failed: ${errorLine(t)}`)
  }
  for (const t of report.tests.filter((r) => r.verdict === 'inconclusive')) {
    out.push('', paint('magenta', `? ${fileLine(t)} > ${sanitizeCell(t.name)}`), `  ${inconclusiveLine(t)}; not reported as a leak`)
  }
  return out.join('\n') + '\n'
}
