// The end-of-run table a reporter prints: one row per leak check. Framework-neutral (it reads only
// core's TestLeakRecord), so the Vitest reporter and the CLI can use it too: candidate for core.

import { formatBytes, type LeakReport, type TestLeakRecord } from '@leakproof/core'

export interface SummaryTableOptions {
  /** ANSI colours for verdicts. Default false. */
  color?: boolean
  /** Longest test column before names are shortened in the middle. Default 72. */
  maxTestWidth?: number
  /** Where the JSON run report was written, shown under the table. */
  reportPath?: string
}

const order: Record<TestLeakRecord['verdict'], number> = { leak: 0, error: 1, clean: 2, skipped: 3 }

const paint = {
  red: (s: string) => `\u001b[31m${s}\u001b[39m`,
  green: (s: string) => `\u001b[32m${s}\u001b[39m`,
  yellow: (s: string) => `\u001b[33m${s}\u001b[39m`,
  dim: (s: string) => `\u001b[2m${s}\u001b[22m`,
  bold: (s: string) => `\u001b[1m${s}\u001b[22m`,
}

function verdictText(verdict: TestLeakRecord['verdict']): string {
  return verdict === 'leak' ? 'LEAK' : verdict
}

function colourVerdict(verdict: TestLeakRecord['verdict'], text: string): string {
  if (verdict === 'leak' || verdict === 'error') return paint.red(text)
  if (verdict === 'clean') return paint.green(text)
  return paint.yellow(text)
}

/** Retained growth per call: heap, or external memory when only that grew. */
export function bytesPerCall(report: LeakReport | undefined): string {
  if (!report) return '–'
  const externalOnly = report.kinds.includes('external') && !report.kinds.includes('heap')
  const bytes = externalOnly ? report.externalBytesPerIteration : report.bytesPerIteration
  return formatBytes(Math.max(0, bytes)) + (externalOnly ? ' ext' : '')
}

/** The first thing a reader should look at: the top retained type, handle or listener. */
export function topRetained(record: TestLeakRecord): string {
  const report = record.report
  if (record.verdict === 'error') return shorten(firstLine(record.error ?? 'error'), 48)
  if (!report || !report.leaked) return '–'
  const type = report.retainedTypes[0]
  if (type) return `${type.name} (${roundCount(type.countPerIteration)}/call)`
  const resource = report.resources[0]
  if (resource) return `${resource.type} handle`
  const listener = report.listeners[0]
  if (listener) return `${listener.target} '${listener.event}' listener`
  return '–'
}

function roundCount(n: number): string {
  return String(Math.abs(n) >= 10 ? Math.round(n) : Math.round(n * 10) / 10)
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? ''
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text
  const keep = max - 1
  const head = Math.ceil(keep / 2)
  return text.slice(0, head) + '…' + text.slice(text.length - (keep - head))
}

/** `file › test name`, shortened in the middle past maxWidth. */
export function testLabel(record: TestLeakRecord, maxWidth = 72): string {
  const file = record.file ? record.file + (record.line ? `:${record.line}` : '') : ''
  return shorten(file ? `${file} › ${record.name}` : record.name, maxWidth)
}

/** Counts by verdict, e.g. `2 leaks, 5 clean, 1 error`. */
export function verdictCounts(records: TestLeakRecord[]): string {
  const count = (v: TestLeakRecord['verdict']) => records.filter((r) => r.verdict === v).length
  const parts: string[] = []
  const leaks = count('leak')
  const errors = count('error')
  const skipped = count('skipped')
  parts.push(`${leaks} ${leaks === 1 ? 'leak' : 'leaks'}`, `${count('clean')} clean`)
  if (errors) parts.push(`${errors} ${errors === 1 ? 'error' : 'errors'}`)
  if (skipped) parts.push(`${skipped} skipped`)
  return parts.join(', ')
}

/**
 * The summary table: test, verdict, retained bytes per call, top retained type. Leaks first.
 * Returns '' for no records.
 */
export function formatSummaryTable(records: TestLeakRecord[], options: SummaryTableOptions = {}): string {
  if (records.length === 0) return ''
  const color = options.color ?? false
  const maxTestWidth = options.maxTestWidth ?? 72
  const sorted = records
    .map((record, index) => ({ record, index }))
    .sort((a, b) => order[a.record.verdict] - order[b.record.verdict] || a.index - b.index)
    .map((entry) => entry.record)
  const header = ['test', 'verdict', 'bytes/call', 'top retained']
  const rows = sorted.map((r) => [testLabel(r, maxTestWidth), verdictText(r.verdict), bytesPerCall(r.report), topRetained(r)])
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)))
  const line = (cells: string[], verdict?: TestLeakRecord['verdict']) =>
    '  ' +
    cells
      .map((cell, c) => {
        const padded = c === 2 ? cell.padStart(widths[c]!) : c === cells.length - 1 ? cell : cell.padEnd(widths[c]!)
        return color && c === 1 && verdict ? colourVerdict(verdict, padded) : padded
      })
      .join('  ')
      .trimEnd()
  const title = `leakproof: ${records.length} leak ${records.length === 1 ? 'check' : 'checks'} (${verdictCounts(records)})`
  const out = [color ? paint.bold(title) : title, color ? paint.dim(line(header)) : line(header)]
  sorted.forEach((record, i) => out.push(line(rows[i]!, record.verdict)))
  if (options.reportPath) out.push('', `  Report: ${options.reportPath}`)
  return out.join('\n')
}
