import type { Change, ChangeKind, CompareResult } from '../compare.js'
import { annotation, recordAnnotation, type GithubOptions } from './github.js'
import { codeSpan, escapeMarkdown } from './markdown.js'
import { fileLine, formatBytes, leakOneLine, plural, sanitizeCell } from './common.js'

export interface CompareLabels {
  baseline: string
  current: string
  /** Set when the baseline file did not exist and --allow-missing-baseline was given. */
  baselineMissing?: boolean
}

interface Section {
  kind: ChangeKind
  title: string
  mark: string
}

const sections: Section[] = [
  { kind: 'new', title: 'New leaks (fail the check)', mark: '✗' },
  { kind: 'grown', title: 'Grown leaks (fail the check)', mark: '✗' },
  { kind: 'known', title: 'Known leaks, not grown', mark: '•' },
  { kind: 'fixed', title: 'Fixed', mark: '✓' },
  { kind: 'unverified', title: 'Leaked in the baseline, not measured now', mark: '?' },
  { kind: 'error', title: 'Failed checks', mark: '!' },
  { kind: 'removed', title: 'Removed since the baseline', mark: '-' },
  { kind: 'added', title: 'New tests, not leaking', mark: '+' },
]

const record = (c: Change) => (c.current ?? c.baseline)!

function renamed(c: Change): string {
  if (!c.renamedFrom) return ''
  const how = c.renamedFrom.by === 'line' ? 'same file and line' : 'same name'
  return ` (renamed from ${sanitizeCell(`${c.renamedFrom.file} > ${c.renamedFrom.name}`)}, matched by ${how})`
}

export function statusLine(result: CompareResult): string {
  const c = result.counts
  if (result.failed) {
    const parts = [c.new ? plural(c.new, 'new leak') : '', c.grown ? plural(c.grown, 'grown leak') : ''].filter(Boolean)
    return `FAIL: ${parts.join(', ')}`
  }
  return c.known ? `OK: no new leaks (${plural(c.known, 'known leak')} unchanged)` : 'OK: no new leaks'
}

export function countsText(result: CompareResult): string {
  const c = result.counts
  return (
    `${c.new} new, ${c.grown} grown, ${c.known} known, ${c.fixed} fixed, ${c.unverified} not measured, ` +
    `${c.error} failed, ${c.removed} removed, ${c.added} added, ${c.clean} clean`
  )
}

export function toleranceText(result: CompareResult): string {
  const t = result.tolerance
  const parts: string[] = []
  if (t.percent) parts.push(`${t.percent}% of the baseline bytes/call`)
  if (t.bytes) parts.push(`${formatBytes(t.bytes)}/call`)
  if (parts.length === 0) return 'no growth allowed'
  return `growth allowed up to ${parts.join(' or ')}${parts.length > 1 ? ', whichever is larger' : ''}`
}

function header(labels: CompareLabels): string {
  return labels.baselineMissing
    ? `baseline: ${sanitizeCell(labels.baseline)} (missing: every leak counts as new), current: ${sanitizeCell(labels.current)}`
    : `baseline: ${sanitizeCell(labels.baseline)}, current: ${sanitizeCell(labels.current)}`
}

export interface CompareConsoleOptions {
  color?: boolean
}

/** Console: status, then one list per kind of change. Clean tests are only counted. */
export function formatCompareConsole(result: CompareResult, labels: CompareLabels, opts: CompareConsoleOptions = {}): string {
  const paint = (code: number, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s)
  const out = [
    paint(1, `leakproof compare: ${statusLine(result)}`),
    `  ${header(labels)}`,
    `  ${toleranceText(result)}`,
  ]
  for (const s of sections) {
    const items = result.changes.filter((c) => c.kind === s.kind)
    if (!items.length) continue
    const color = s.kind === 'new' || s.kind === 'grown' ? 31 : s.kind === 'fixed' ? 32 : s.kind === 'error' || s.kind === 'unverified' ? 33 : 0
    out.push('', paint(1, `${s.title}: ${items.length}`))
    for (const c of items) {
      const r = record(c)
      const mark = color ? paint(color, s.mark) : s.mark
      out.push(`  ${mark} ${fileLine(r)} > ${sanitizeCell(r.name)}: ${sanitizeCell(c.reason)}${renamed(c)}`)
      if ((s.kind === 'new' || s.kind === 'grown') && c.current) out.push(`      ${leakOneLine(c.current)}`)
    }
  }
  const renames = result.changes.filter((c) => c.renamedFrom)
  if (renames.length) {
    out.push('', paint(1, `Renamed or moved (compared with the baseline test they replace): ${renames.length}`))
    for (const c of renames) out.push(`  ~ ${renameText(c)}`)
  }
  out.push('', `${countsText(result)}.`)
  return out.join('\n') + '\n'
}

function renameText(c: Change): string {
  const r = record(c)
  const from = c.renamedFrom!
  const how = from.by === 'line' ? 'same file and line' : 'same name'
  return sanitizeCell(`${from.file} > ${from.name}  →  ${r.file} > ${r.name}  (${how}; ${c.kind})`)
}

/** Markdown: a heading with the status, a counts table, then lists per kind of change. */
export function formatCompareMarkdown(result: CompareResult, labels: CompareLabels): string {
  const c = result.counts
  const icon = result.failed ? '❌' : '✅'
  const out = [
    `## leakproof compare: ${icon} ${statusLine(result)}`,
    '',
    `${escapeMarkdown(`${header(labels)}; ${toleranceText(result)}`, { lineStart: true })}.`,
    '',
    '| New | Grown | Known | Fixed | Not measured | Failed | Removed | Added | Clean |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${c.new} | ${c.grown} | ${c.known} | ${c.fixed} | ${c.unverified} | ${c.error} | ${c.removed} | ${c.added} | ${c.clean} |`,
    '',
  ]
  for (const s of sections) {
    const items = result.changes.filter((x) => x.kind === s.kind)
    if (!items.length) continue
    out.push(`### ${s.title}`, '')
    for (const x of items) {
      const r = record(x)
      const where = codeSpan(fileLine(r))
      out.push(`- ${where} › ${escapeMarkdown(r.name)}: ${escapeMarkdown(x.reason + renamed(x))}`)
      if ((s.kind === 'new' || s.kind === 'grown') && x.current) out.push(`  - ${escapeMarkdown(leakOneLine(x.current), { lineStart: true })}`)
    }
    out.push('')
  }
  const renames = result.changes.filter((x) => x.renamedFrom)
  if (renames.length) {
    out.push('### Renamed or moved', '', '_Compared with the baseline test they replace._', '')
    for (const x of renames) out.push(`- ${escapeMarkdown(renameText(x), { lineStart: true })}`)
    out.push('')
  }
  return out.join('\n')
}

/** GitHub annotations: `::error` for each new or grown leak, then a `::notice` with the counts. */
export function formatCompareGithub(result: CompareResult, opts: GithubOptions = {}): string {
  const out: string[] = []
  for (const c of result.changes) {
    if (!c.current) continue
    if (c.kind === 'new') out.push(recordAnnotation(c.current, 'error', 'New memory leak', `${c.current.name}: ${leakOneLine(c.current)} (${c.reason})`, opts))
    if (c.kind === 'grown') out.push(recordAnnotation(c.current, 'error', 'Memory leak grew', `${c.current.name}: ${c.reason}; ${leakOneLine(c.current)}`, opts))
  }
  out.push(annotation({ level: 'notice', title: 'leakproof compare', message: `${statusLine(result)}. ${countsText(result)}.` }))
  return out.join('\n') + '\n'
}

/** JSON: the comparison for scripts. */
export function formatCompareJson(result: CompareResult, labels: CompareLabels): string {
  return (
    JSON.stringify(
      {
        tool: 'leakproof',
        kind: 'compare',
        baseline: labels.baseline,
        current: labels.current,
        ...(labels.baselineMissing ? { baselineMissing: true } : {}),
        failed: result.failed,
        tolerance: result.tolerance,
        counts: result.counts,
        changes: result.changes.map((c) => {
          const r = record(c)
          return {
            kind: c.kind,
            file: r.file,
            name: r.name,
            ...(r.line ? { line: r.line } : {}),
            reason: c.reason,
            ...(c.renamedFrom ? { renamedFrom: c.renamedFrom } : {}),
            ...(c.current ? { verdict: c.current.verdict } : {}),
            ...(c.baseline ? { baselineVerdict: c.baseline.verdict } : {}),
            ...(c.current?.report ? { bytesPerIteration: c.current.report.bytesPerIteration } : {}),
            ...(c.baseline?.report ? { baselineBytesPerIteration: c.baseline.report.bytesPerIteration } : {}),
          }
        }),
      },
      null,
      2,
    ) + '\n'
  )
}
