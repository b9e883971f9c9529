// GitHub Actions workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import type { Report, TestLeakRecord } from '../validate.js'
import { byVerdict, countVerdicts, countsLine, errorLine, inconclusiveLine, leakOneLine } from './common.js'

/** Escape the message part of a workflow command (`%`, CR, LF). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** Escape a property value of a workflow command (`%`, CR, LF, `:`, `,`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

export type AnnotationLevel = 'error' | 'warning' | 'notice'

export interface Annotation {
  level: AnnotationLevel
  file?: string
  line?: number
  title?: string
  message: string
}

/** `::error file=…,line=…,title=…::message` */
export function annotation(a: Annotation): string {
  const props: string[] = []
  if (a.file) props.push(`file=${escapeProperty(a.file)}`)
  if (a.line) props.push(`line=${a.line}`)
  if (a.title) props.push(`title=${escapeProperty(a.title)}`)
  return `::${a.level}${props.length ? ' ' + props.join(',') : ''}::${escapeData(a.message)}`
}

/** GitHub shows at most this many error (and warning) annotations per step. */
export const annotationsShownPerStep = 10

export function recordAnnotation(t: TestLeakRecord, level: AnnotationLevel, title: string, message: string): string {
  return annotation({ level, file: t.file, ...(t.line ? { line: t.line } : {}), title, message })
}

/**
 * One `::error` per leaking record (title "Memory leak"), one `::warning` per failed check (title
 * "Leak check failed") and per inconclusive one (title "Leak check inconclusive"), on the test's
 * file and line, then a `::notice` with the counts.
 */
export function formatGithub(report: Report): string {
  const out: string[] = []
  const records = byVerdict(report.tests)
  for (const t of records) {
    if (t.verdict === 'leak') out.push(recordAnnotation(t, 'error', 'Memory leak', `${t.name}: ${leakOneLine(t)}`))
    else if (t.verdict === 'error') out.push(recordAnnotation(t, 'warning', 'Leak check failed', `${t.name}: ${errorLine(t)}`))
    else if (t.verdict === 'inconclusive') out.push(recordAnnotation(t, 'warning', 'Leak check inconclusive', `${t.name}: ${inconclusiveLine(t)}`))
  }
  const counts = countVerdicts(report.tests)
  let notice = `leakproof: ${countsLine(counts)}.`
  if (counts.leak > annotationsShownPerStep || counts.error + counts.inconclusive > annotationsShownPerStep) {
    notice += ` GitHub shows only the first ${annotationsShownPerStep} annotations of each kind per step; see the step summary or the HTML report for all of them.`
  }
  out.push(annotation({ level: 'notice', title: 'leakproof', message: notice }))
  return out.join('\n') + '\n'
}
