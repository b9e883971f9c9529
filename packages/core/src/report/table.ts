// Plain-text summary table of a run's leak records, shared by the Vitest and Jest reporters and
// the CLI. Pure: no I/O, no clock, no environment lookups (colour is the caller's decision).
import type { TestLeakRecord, TestVerdict } from './run-report.js'
import { countedTypes, formatBytes } from './summary.js'

export interface RecordsTableOptions {
  /** Colour verdicts with ANSI escapes (leak red, error yellow, inconclusive magenta, clean green, skipped dim). Default false. */
  color?: boolean
  /**
   * Widest the test column may get, in characters; longer `file > name` cells are shortened in the
   * middle with `…`. Default 80. Use `Infinity` to never shorten.
   */
  maxTestWidth?: number
}

/** Order rows are listed in: what needs attention first. Stable within a verdict. */
const verdictOrder: Record<TestVerdict, number> = { leak: 0, error: 1, inconclusive: 2, clean: 3, skipped: 4 }

const ansi = {
  leak: ['\u001b[1;31m', '\u001b[22;39m'],
  error: ['\u001b[33m', '\u001b[39m'],
  inconclusive: ['\u001b[35m', '\u001b[39m'],
  clean: ['\u001b[32m', '\u001b[39m'],
  skipped: ['\u001b[2m', '\u001b[22m'],
  bold: ['\u001b[1m', '\u001b[22m'],
} as const

const dash = '-'

/**
 * Make user-controlled text safe for one table cell: control characters (newlines, ANSI escape
 * sequences from a test name) are shown escaped, so they cannot break the layout or the terminal.
 */
export function sanitizeCell(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === '\n') return '\\n'
    if (c === '\r') return '\\r'
    if (c === '\t') return '\\t'
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
  })
}

/** Shorten to `max` characters (code points) by cutting the middle: the file and the test title stay. */
function shortenMiddle(text: string, max: number): string {
  const chars = [...text]
  if (!(chars.length > max) || max < 5) return text
  const keep = max - 1
  const head = Math.ceil(keep / 2)
  return chars.slice(0, head).join('') + '…' + chars.slice(chars.length - (keep - head)).join('')
}

const width = (s: string) => [...s].length

/** `Session +1/call`, `Timeout (handle)`, `AbortSignal 'abort' listener`, or `-`. */
function topRetained(r: TestLeakRecord): string {
  if (r.verdict === 'error') {
    const first = (r.error ?? 'error').split('\n')[0]!.trim()
    const chars = [...first]
    return `error: ${chars.length > 72 ? chars.slice(0, 71).join('') + '…' : first}`
  }
  if (r.verdict === 'inconclusive') {
    const i = r.report?.inconclusive
    return i ? `out of time in ${i.stage} (${i.calls} calls)` : 'out of time'
  }
  const report = r.report
  if (!report) return dash
  const perCall = (n: number) => (Math.abs(n) >= 10 ? String(Math.round(n)) : String(Math.round(n * 100) / 100))
  const type = countedTypes(report.retainedTypes)[0]
  if (type) return `${type.name} +${perCall(type.countPerIteration)}/call`
  const resource = report.resources[0]
  if (resource) return `${resource.type} (handle) +${perCall(resource.countPerIteration)}/call`
  const listener = report.listeners[0]
  if (listener) return `${listener.target} '${listener.event}' listener +${perCall(listener.countPerIteration)}/call`
  return dash
}

function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`
}

/**
 * Summary table of leak records, one row per record, plus a totals line:
 *
 * ```text
 * test                                   verdict  heap/call  external/call  top retained type
 * test/api.test.ts > sessions > login    leak       68.3 B          0 B      Session +1/call
 * test/api.test.ts > health              clean       0.2 B          0 B      -
 *
 * 2 tests: 1 leak, 1 clean, 0 errors, 0 skipped. Leaking tests retain 68.3 B/call of heap, 0 B/call external.
 * ```
 *
 * Rows are ordered leak, error, inconclusive, clean, skipped (input order within each verdict). `heap/call` and
 * `external/call` are the report's estimated retained growth per call of the subject (empty for
 * records without a report, e.g. errors and skipped tests). The last column names the largest
 * retained object type, or the leaked handle / listener when no object type explains the leak,
 * the first line of the error for verdict `error`, or the stage an `inconclusive` check ran out of
 * time in. The totals line counts inconclusive checks when there are any. Test names are sanitised: control
 * characters are shown escaped. Returns `No leak checks were recorded.` for an empty list.
 */
export function formatRecordsTable(records: TestLeakRecord[], opts: RecordsTableOptions = {}): string {
  const color = opts.color === true
  const maxTestWidth = opts.maxTestWidth ?? 80
  const paint = (style: keyof typeof ansi, text: string) => (color ? ansi[style][0] + text + ansi[style][1] : text)

  if (records.length === 0) return 'No leak checks were recorded.'

  const sorted = records
    .map((r, i) => ({ r, i }))
    .sort((a, b) => verdictOrder[a.r.verdict] - verdictOrder[b.r.verdict] || a.i - b.i)
    .map((x) => x.r)

  const header = ['test', 'verdict', 'heap/call', 'external/call', 'top retained type']
  const rows = sorted.map((r) => [
    shortenMiddle(sanitizeCell(`${r.file} > ${r.name}`), maxTestWidth),
    r.verdict,
    r.report ? formatBytes(r.report.bytesPerIteration) : dash,
    r.report ? formatBytes(r.report.externalBytesPerIteration) : dash,
    sanitizeCell(topRetained(r)),
  ])
  const all = [header, ...rows]
  const widths = header.map((_, c) => Math.max(...all.map((row) => width(row[c]!))))
  const numeric = new Set([2, 3])
  const line = (row: string[], verdict?: TestVerdict) =>
    row
      .map((cell, c) => {
        const pad = ' '.repeat(widths[c]! - width(cell))
        const last = c === row.length - 1
        const padded = numeric.has(c) ? pad + cell : last ? cell : cell + pad
        return c === 1 && verdict ? paint(verdict, padded) : padded
      })
      .join('  ')
      .trimEnd()

  const out = [paint('bold', line(header)), ...rows.map((row, i) => line(row, sorted[i]!.verdict))]

  const count = (v: TestVerdict) => records.filter((r) => r.verdict === v).length
  const leaking = records.filter((r) => r.verdict === 'leak')
  const heap = leaking.reduce((sum, r) => sum + Math.max(0, r.report?.bytesPerIteration ?? 0), 0)
  const external = leaking.reduce((sum, r) => sum + Math.max(0, r.report?.externalBytesPerIteration ?? 0), 0)
  const counts =
    `${plural(records.length, 'test')}: ` +
    [
      count('leak') ? paint('leak', plural(count('leak'), 'leak')) : '0 leaks',
      `${count('clean')} clean`,
      plural(count('error'), 'error'),
      `${count('skipped')} skipped`,
      ...(count('inconclusive') ? [paint('inconclusive', `${count('inconclusive')} inconclusive`)] : []),
    ].join(', ') +
    '.'
  const bytes = leaking.length
    ? ` Leaking tests retain ${formatBytes(heap)}/call of heap, ${formatBytes(external)}/call external.`
    : ''
  out.push('', counts + bytes)
  return out.join('\n')
}
