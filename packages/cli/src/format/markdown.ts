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
  pasteable,
  type PathOptions,
} from './common.js'
import { countedTypes, shownSites, siteNote, storesLine } from '../core.js'

/** GitHub rejects a step summary over 1 MiB; stay well below it. */
export const markdownBudget = 900 * 1024

/** Where escaped text goes: what is markup there. */
export interface MarkdownContext {
  /** In a table cell: `|` ends the cell. */
  table?: boolean
  /** At the start of a line (a paragraph, a list item's text): `#`, `>`, `-`, `+`, `*`, `1.` start blocks there. */
  lineStart?: boolean
  /** The text of an ATX heading: a trailing ` #` would be read as the heading's closing sequence. */
  heading?: boolean
  /** Inside `**…**`: any `*` could end the emphasis. */
  emphasis?: boolean
}

const asciiPunctuation = /[!-/:-@[-`{-~]/

/**
 * Escape user text (test names, messages) for Markdown where it would be markup, and only there:
 * a backslash before punctuation, backticks, `*` `_` `~` `$` that could pair up into emphasis,
 * strikethrough or math (`foo_bar_baz` and a lone `a*b` are left alone), brackets of a link
 * (`[x](y)`; a lone `[28]` stays), `<` that could open a tag or an autolink (`Map<string, Array>` becomes `Map\<string,
 * Array>`), `&` of an entity, `|` in a table cell, and block markers at the start of a line.
 * Control characters are shown escaped.
 */
export function escapeMarkdown(text: string, ctx: MarkdownContext = {}): string {
  const chars = [...sanitizeCell(text)]
  const alnum = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c)
  const count = (c: string) => chars.filter((x) => x === c).length
  // `_` between two letters or digits can neither open nor close emphasis.
  const underscores = chars.filter((c, i) => c === '_' && !(alnum(chars[i - 1]) && alnum(chars[i + 1]))).length
  const pairs = {
    '*': ctx.emphasis === true || count('*') >= 2,
    '_': underscores >= 2,
    '~': count('~') >= 2,
    '$': count('$') >= 2,
  }
  // Brackets make a link only as `[text](url)` or `[text][ref]` (shortcut references need a
  // definition, and a report has none); at a list item's start `[ ]` / `[x]` is a task checkbox.
  const brackets = /\]\s*[([]/.test(chars.join('')) || (ctx.lineStart === true && /^\[[ xX]\]/.test(chars.join('')))
  const joined = chars.join('')
  // Block markers: `# h`, `> q`, `- x`, `+ x`, `* x`, `---`, `1. x`, `1) x`.
  let blockAt = -1
  if (ctx.lineStart) {
    if (/^(?:[#>]|[-+*](?:\s|$)|[-*_](?:\s*[-*_]){2,}\s*$)/.test(joined)) blockAt = 0
    else {
      const ordered = /^(\d{1,9})[.)](?:\s|$)/.exec(joined)
      if (ordered) blockAt = ordered[1]!.length
    }
  }
  // A heading's closing sequence: a run of `#` at the end, after a space.
  const closing = ctx.heading ? /(?:^|\s)(#+)\s*$/.exec(joined) : null
  const closingAt = closing ? joined.length - closing[0].length + closing[0].indexOf('#') : -1
  const closingIndex = closingAt === -1 ? -1 : [...joined.slice(0, closingAt)].length
  return chars
    .map((c, i) => {
      const next = chars[i + 1]
      let escape = false
      if (i === blockAt || i === closingIndex) escape = true
      else if (c === '\\') escape = next === undefined || asciiPunctuation.test(next)
      else if (c === '`') escape = true
      else if (c === '*' || c === '~' || c === '$') escape = pairs[c]
      else if (c === '_') escape = pairs['_'] && !(alnum(chars[i - 1]) && alnum(next))
      else if (c === '[' || c === ']') escape = brackets
      else if (c === '<') escape = next !== undefined && /[A-Za-z/!?]/.test(next)
      else if (c === '&') escape = /^&#?[A-Za-z0-9]+;/.test(chars.slice(i, i + 34).join(''))
      else if (c === '|') escape = ctx.table === true
      return escape ? '\\' + c : c
    })
    .join('')
}

/**
 * Text as an inline code span: nothing inside is escaped (a backslash would show), the fence is
 * longer than any run of backticks in the text. In a table cell `|` is still written `\|`: GitHub
 * splits the row into cells before it reads code spans.
 */
export function codeSpan(text: string, ctx: { table?: boolean } = {}): string {
  let body = sanitizeCell(text)
  if (ctx.table) body = body.replace(/\|/g, '\\|')
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((m) => m.length))
  const fence = '`'.repeat(longest + 1)
  const pad = body.startsWith('`') || body.endsWith('`') || (/^ .*[^ ].* $/.test(body)) ? ' ' : ''
  return `${fence}${pad}${body}${pad}${fence}`
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
  const out = [`### ❌ ${escapeMarkdown(t.name, { heading: true })}`, '', `${codeSpan(t.file)}${t.line ? ` line ${t.line}` : ''}`, '']
  if (!report) return [...out, 'The report has no details for this leak.', '']
  out.push(`Leaks **${escapeMarkdown(leakWhat(report), { emphasis: true })}** over ${report.iterations} measured calls after ${report.warmupIterations} warm-up calls.`, '')
  const types = countedTypes(report.retainedTypes)
  if (types.length) {
    out.push('**Retained types** (new objects still alive, per call)', '')
    out.push(
      ...table(
        ['Type', 'Count/call', 'Bytes/call', 'Alive'],
        ['l', 'r', 'r', 'r'],
        types.slice(0, 8).map((r) => [codeSpan(r.name, { table: true }), perCall(r.countPerIteration), formatBytes(r.bytesPerIteration), String(r.retainedCount)]),
      ),
      '',
    )
  }
  const stores = storesLine(report.retainedTypes)
  if (stores) out.push(`${escapeMarkdown(stores, { lineStart: true })}.`, '')
  if (report.retainerPaths.length) {
    out.push('**Retained by** (shortest path from a GC root)', '')
    out.push(...codeBlock(report.retainerPaths.slice(0, 3).map((p) => `${p.text}${p.count > 1 ? `   (${p.count} objects)` : ''}`)), '')
  }
  const sites = shownSites(report.allocationSites)
  if (sites.length) {
    out.push('**Allocated at**', '')
    const lines: string[] = []
    for (const s of sites.slice(0, 3)) {
      lines.push(`${siteText(s)}  ${formatBytes(s.bytesPerIteration)}/call`)
      const note = siteNote(s)
      if (note) lines.push(`    ${note}`)
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

export interface MarkdownOptions extends PathOptions {
  /** Heading level-2 title. Default `leakproof`. */
  title?: string
  /** Stop adding leak sections past this many bytes (GitHub's step summary limit is 1 MiB). */
  budget?: number
}

/** Markdown report: a heading with the counts, the summary table, then one section per leak. */
export function formatMarkdown(input: Report, opts: MarkdownOptions = {}): string {
  const report = pasteable(input, opts)
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
    `${codeSpan(t.file, { table: true })} › ${escapeMarkdown(t.name, { table: true })}`,
    t.verdict,
    t.report ? formatBytes(t.report.bytesPerIteration) : '–',
    t.report ? formatBytes(t.report.externalBytesPerIteration) : '–',
    t.verdict === 'error'
      ? escapeMarkdown(errorLine(t), { table: true })
      : t.verdict === 'inconclusive'
        ? escapeMarkdown(inconclusiveLine(t), { table: true })
        : topClue(t.report)
          ? codeSpan(topClue(t.report)!, { table: true })
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
