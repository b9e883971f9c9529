import type { LeakReport } from '@leakproof/core'
import type { Report, TestLeakRecord } from '../validate.js'
import {
  byVerdict,
  countVerdicts,
  countsLine,
  errorLine,
  formatBytes,
  inconclusiveLine,
  leakWhat,
  perCall,
  plural,
  sanitizeCell,
  siteText,
  topClue,
} from './common.js'

/** GitHub rejects a step summary over 1 MiB; stay well below it. */
export const markdownBudget = 900 * 1024

/**
 * Escape user text (test names, type names) for Markdown: every Markdown-significant ASCII
 * punctuation mark is backslash-escaped (so `<img>` stays text, `|` cannot end a table cell and
 * `[x](y)` cannot become a link) and control characters are shown escaped.
 */
export function escapeMarkdown(text: string): string {
  return sanitizeCell(text).replace(/[\\`*_{}[\]()<>#+!|~&:@$-]/g, '\\$&')
}

/** A fenced code block whose fence is longer than any backtick run inside. */
export function codeBlock(lines: string[], lang = 'text'): string[] {
  const body = lines.map(sanitizeCell)
  const longest = Math.max(0, ...body.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((m) => m.length))))
  const fence = '`'.repeat(Math.max(3, longest + 1))
  return [fence + lang, ...body, fence]
}

const verdictIcon: Record<TestLeakRecord['verdict'], string> = { leak: '❌', error: '⚠️', inconclusive: '❔', clean: '✅', skipped: '⏭️' }

function table(header: string[], align: ('l' | 'r')[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${align.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ]
}

function leakSection(t: TestLeakRecord, report: LeakReport | undefined): string[] {
  const out = [`### ❌ ${escapeMarkdown(t.name)}`, '', `\`${escapeCode(t.file)}\`${t.line ? ` line ${t.line}` : ''}`, '']
  if (!report) return [...out, 'The report has no details for this leak.', '']
  out.push(`Leaks **${escapeMarkdown(leakWhat(report))}** over ${report.iterations} measured calls after ${report.warmupIterations} warm-up calls.`, '')
  if (report.retainedTypes.length) {
    out.push('**Retained types** (new objects still alive, per call)', '')
    out.push(
      ...table(
        ['Type', 'Count/call', 'Bytes/call', 'Alive'],
        ['l', 'r', 'r', 'r'],
        report.retainedTypes.slice(0, 8).map((r) => [`\`${escapeCode(r.name)}\``, perCall(r.countPerIteration), formatBytes(r.bytesPerIteration), String(r.retainedCount)]),
      ),
      '',
    )
  }
  if (report.retainerPaths.length) {
    out.push('**Retained by** (shortest path from a GC root)', '')
    out.push(...codeBlock(report.retainerPaths.slice(0, 3).map((p) => `${p.text}${p.count > 1 ? `   (${p.count} objects)` : ''}`)), '')
  }
  if (report.allocationSites.length) {
    out.push('**Allocated at**', '')
    const lines: string[] = []
    for (const s of report.allocationSites.slice(0, 3)) {
      lines.push(`${siteText(s)}  ${formatBytes(s.bytesPerIteration)}/call`)
      for (const f of s.stack.slice(0, 3)) lines.push(`    ← ${f}`)
    }
    out.push(...codeBlock(lines), '')
  }
  if (report.resources.length) {
    out.push('**Open handles** created per call and never released', '')
    const lines: string[] = []
    for (const r of report.resources) {
      lines.push(`${r.type} +${perCall(r.countPerIteration)} per call (${r.retainedCount} open)`)
      if (r.stack) lines.push(...r.stack.split('\n').map((s) => s.trim()).filter(Boolean).slice(0, 3).map((s) => `    ${s}`))
    }
    out.push(...codeBlock(lines), '')
  }
  if (report.listeners.length) {
    out.push('**Listeners** added and never removed', '')
    out.push(
      ...codeBlock(
        report.listeners.map((l) => `${l.target} '${l.event}' +${perCall(l.countPerIteration)} per call (${l.retainedCount} attached)${l.path ? ` at ${l.path}` : ''}`),
      ),
      '',
    )
  }
  return out
}

/** Text for inside a single-backtick code span: backticks and pipes cannot be escaped there, so they are replaced. */
function escapeCode(text: string): string {
  return sanitizeCell(text).replace(/`/g, 'ˋ').replace(/\|/g, '\\|')
}

export interface MarkdownOptions {
  /** Heading level-2 title. Default `leakproof`. */
  title?: string
  /** Stop adding leak sections past this many bytes (GitHub's step summary limit is 1 MiB). */
  budget?: number
}

/** Markdown report: a heading with the counts, the summary table, then one section per leak. */
export function formatMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const counts = countVerdicts(report.tests)
  const title = opts.title ?? 'leakproof'
  const budget = opts.budget ?? markdownBudget
  const status = counts.leak
    ? `❌ ${plural(counts.leak, 'memory leak')}`
    : counts.error
      ? '⚠️ no leaks, but some checks failed'
      : counts.inconclusive
        ? `❔ no leaks found, ${counts.inconclusive} inconclusive`
        : '✅ no memory leaks'
  const out: string[] = [`## ${title}: ${status}`, '']
  if (report.tests.length === 0) {
    out.push('No leak checks were recorded.', '')
    return out.join('\n')
  }
  out.push(`${countsLine(counts)}.`, '')
  const rows = byVerdict(report.tests).map((t) => [
    verdictIcon[t.verdict],
    `\`${escapeCode(t.file)}\` › ${escapeMarkdown(t.name)}`,
    t.verdict,
    t.report ? formatBytes(t.report.bytesPerIteration) : '–',
    t.report ? formatBytes(t.report.externalBytesPerIteration) : '–',
    t.verdict === 'error'
      ? escapeMarkdown(errorLine(t))
      : t.verdict === 'inconclusive'
        ? escapeMarkdown(inconclusiveLine(t))
        : topClue(t.report)
          ? `\`${escapeCode(topClue(t.report)!)}\``
          : '–',
  ])
  out.push(...table(['', 'Test', 'Verdict', 'Heap/call', 'External/call', 'Top retained type'], ['l', 'l', 'l', 'r', 'r', 'l'], rows), '')

  const leaks = report.tests.filter((t) => t.verdict === 'leak')
  let size = out.join('\n').length
  let shown = 0
  for (const t of leaks) {
    const section = leakSection(t, t.report)
    const len = section.join('\n').length + 1
    if (size + len > budget) break
    out.push(...section)
    size += len
    shown++
  }
  if (shown < leaks.length) out.push(`_${leaks.length - shown} more leak sections left out to stay under GitHub's step summary size limit; see the HTML report._`, '')
  const meta = report.run
  out.push(
    `<sub>${escapeMarkdown(`${meta.framework} ${meta.frameworkVersion}, node ${meta.node}, ${meta.platform}`)}` +
      `${meta.shards?.length ? `, merged from ${plural(meta.shards.length, 'report')}` : meta.shard ? `, shard ${escapeMarkdown(meta.shard)}` : ''}</sub>`,
    '',
  )
  return out.join('\n')
}
