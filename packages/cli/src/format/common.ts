// Wording shared by the output formats.
import type { LeakReport, TestVerdict } from '@leakproof/core'
import { countedTypes, formatBytes, shownSites, relativePath, relativizeReport, sanitizeCell } from '../core.js'
import type { Report, TestLeakRecord } from '../validate.js'

export { formatBytes, sanitizeCell }

/** Count per call: whole numbers from 10 up, two decimals below. */
export const perCall = (n: number): string =>
  Math.abs(n) >= 10 ? String(Math.round(n)) : String(Math.round(n * 100) / 100)

export const plural = (n: number, word: string, words = `${word}s`): string => `${n} ${n === 1 ? word : words}`

/** `file > name`, control characters escaped. */
export const testLabel = (r: Pick<TestLeakRecord, 'file' | 'name'>): string => sanitizeCell(`${r.file} > ${r.name}`)

/** `file:line`, or `file` when the line is unknown. */
export const fileLine = (r: Pick<TestLeakRecord, 'file' | 'line'>): string =>
  sanitizeCell(r.line ? `${r.file}:${r.line}` : r.file)

const verdictOrder: Record<TestVerdict, number> = { leak: 0, error: 1, inconclusive: 2, clean: 3, skipped: 4 }

/** Leaks first, then errors, inconclusive, clean, skipped; input order within a verdict. */
export function byVerdict<T extends { verdict: TestVerdict }>(records: T[]): T[] {
  return records
    .map((r, i) => ({ r, i }))
    .sort((a, b) => verdictOrder[a.r.verdict] - verdictOrder[b.r.verdict] || a.i - b.i)
    .map((x) => x.r)
}

export interface Counts {
  tests: number
  leak: number
  clean: number
  error: number
  skipped: number
  /** Out of time before the evidence decided (schema version 2). */
  inconclusive: number
}

export function countVerdicts(records: TestLeakRecord[]): Counts {
  const c: Counts = { tests: records.length, leak: 0, clean: 0, error: 0, skipped: 0, inconclusive: 0 }
  for (const r of records) c[r.verdict]++
  return c
}

/** `12 tests: 2 leaks, 9 clean, 1 error, 0 skipped` (`, 1 inconclusive` when there are any) */
export function countsLine(c: Counts): string {
  return (
    `${plural(c.tests, 'test')}: ${plural(c.leak, 'leak')}, ${c.clean} clean, ${plural(c.error, 'error')}, ${c.skipped} skipped` +
    (c.inconclusive ? `, ${c.inconclusive} inconclusive` : '')
  )
}

/**
 * One line for an inconclusive record: `inconclusive: the screen suspected growth of 3 B/call of
 * JS heap; heap snapshots did not confirm it before the 60 s budget (1200 calls, 48 ms/call)`.
 */
export function inconclusiveLine(r: TestLeakRecord): string {
  const i = r.report?.inconclusive
  if (!i) return 'inconclusive: out of time before the evidence decided'
  return sanitizeCell(`inconclusive: ${i.detail} (${i.calls} calls, ${perCall(i.msPerCall)} ms/call)`)
}

/** What leaked, as a phrase: `68.3 B/call of JS heap, 2 kinds of open handles`. */
export function leakWhat(report: LeakReport): string {
  const what: string[] = []
  if (report.kinds.includes('heap')) what.push(`${formatBytes(report.bytesPerIteration)}/call of JS heap`)
  if (report.kinds.includes('external')) what.push(`${formatBytes(report.externalBytesPerIteration)}/call of external memory`)
  if (report.kinds.includes('resources')) {
    const n = report.resources.length
    what.push(n === 1 ? `open ${report.resources[0]!.type} handles` : `${n} kinds of open handles`)
  }
  if (report.kinds.includes('listeners')) {
    const n = report.listeners.length
    what.push(n === 1 ? `${report.listeners[0]!.target} '${report.listeners[0]!.event}' listeners` : `${n} growing listener lists`)
  }
  if (what.length === 0) what.push(`${formatBytes(report.bytesPerIteration)}/call`)
  return what.join(', ')
}

/** The single most useful clue: top retained type, else handle, else listener. */
export function topClue(report: LeakReport | undefined): string | undefined {
  if (!report) return undefined
  const t = countedTypes(report.retainedTypes)[0]
  if (t) return `${t.name} +${perCall(t.countPerIteration)}/call`
  const h = report.resources[0]
  if (h) return `${h.type} handle +${perCall(h.countPerIteration)}/call`
  const l = report.listeners[0]
  if (l) return `${l.target} '${l.event}' listener +${perCall(l.countPerIteration)}/call`
  return undefined
}

/** Allocation site as `fn (file:line:col)`. */
export const siteText = (s: LeakReport['allocationSites'][number]): string =>
  `${s.functionName || '(anonymous)'} (${s.file}:${s.line}:${s.column})`

/**
 * One line for a leaking record, for annotations and compare listings:
 * `leaks 68.3 B/call of JS heap over 400 calls; retained: Session +1/call; held by (global) -> …; allocated at fn (file:1:2)`.
 */
export function leakOneLine(r: TestLeakRecord): string {
  const report = r.report
  if (!report) return 'leaks (no details in the report)'
  const parts = [`leaks ${leakWhat(report)} over ${report.iterations} calls`]
  const clue = topClue(report)
  if (clue) parts.push(`retained: ${clue}`)
  const path = report.retainerPaths[0]
  if (path) parts.push(`held by ${path.text}`)
  const site = shownSites(report.allocationSites)[0]
  if (site) parts.push(`allocated at ${siteText(site)}${site.subject ? ' (allocation inlined into the subject)' : ''}`)
  return sanitizeCell(parts.join('; '))
}

/** First line of an error record's message. */
export function errorLine(r: TestLeakRecord): string {
  return sanitizeCell((r.error ?? 'the leak check failed').split('\n')[0]!.trim() || 'the leak check failed')
}

/** Where a format's paths are relative to: `root`, default the working directory. */
export interface PathOptions {
  /** Project root the files of the report are made relative to. Default `process.cwd()`. */
  root?: string
}

/**
 * The report as every format shows it: test files, allocation sites, their callers, creation
 * stacks and snapshot paths relative to the project root (`file://` URLs decoded), leakproof's
 * own frames cut. Reports written by the engine already hold relative paths; older ones, or ones
 * written by other tools, may not. Core's function, the one the engine uses.
 */
export function pasteable(report: Report, opts: PathOptions = {}): Report {
  const root = opts.root ?? process.cwd()
  return {
    ...report,
    tests: report.tests.map((t) => ({
      ...t,
      file: relativePath(t.file, root),
      ...(t.report ? { report: relativizeReport(t.report, root) } : {}),
    })),
  }
}
