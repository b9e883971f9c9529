// GitHub Actions workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import type { Report, TestLeakRecord } from '../validate.js'
import { isAbsolute, resolve } from 'node:path'
import { relativePath } from '../core.js'
import { byVerdict, countVerdicts, countsLine, errorLine, inconclusiveLine, leakOneLine, pasteable, type PathOptions } from './common.js'

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

/** Where annotation files are relative to. */
export interface GithubOptions extends PathOptions {
  /**
   * The repository's root (`$GITHUB_WORKSPACE`): GitHub places an annotation by its path from
   * there. Unset: the record's file as the report has it (relative to the project root).
   */
  workspace?: string
  /** The directory the report's relative test files are relative to (the project root of the run). Default `process.cwd()`. */
  base?: string
}

/**
 * A record's file as an annotation's `file=`: relative to the workspace when the file is inside
 * it (a project root below the repository root gets its path prefixed), else unchanged.
 */
export function annotationFile(file: string, opts: Pick<GithubOptions, 'workspace' | 'base'> = {}): string {
  if (!opts.workspace) return file
  const path = file.startsWith('file://') ? relativePath(file, '') : file
  const abs = isAbsolute(path) ? path : resolve(opts.base ?? process.cwd(), path)
  const rel = relativePath(abs, opts.workspace)
  return rel === abs ? file : rel
}

export function recordAnnotation(t: TestLeakRecord, level: AnnotationLevel, title: string, message: string, opts: GithubOptions = {}): string {
  return annotation({ level, file: annotationFile(t.file, opts), ...(t.line ? { line: t.line } : {}), title, message })
}

/**
 * One `::error` per leaking record (title "Memory leak"), one `::warning` per failed check (title
 * "Leak check failed") and per inconclusive one (title "Leak check inconclusive"), on the test's
 * file (relative to the repository root when `workspace` is given) and line, then a `::notice`
 * with the counts.
 */
export function formatGithub(report: Report, opts: GithubOptions = {}): string {
  const out: string[] = []
  const shown = pasteable(report, opts)
  // Annotations are placed by the record's own file (resolved against `base`); the messages name
  // paths relative to the project root.
  const records = byVerdict(report.tests.map((t, i) => ({ original: t, t: shown.tests[i]!, verdict: t.verdict })))
  for (const { original, t } of records) {
    // Without a workspace, the path from the project root is the best guess of the repository's.
    const at = opts.workspace ? original : t
    if (t.verdict === 'leak') out.push(recordAnnotation(at, 'error', 'Memory leak', `${t.name}: ${leakOneLine(t)}`, opts))
    else if (t.verdict === 'error') out.push(recordAnnotation(at, 'warning', 'Leak check failed', `${t.name}: ${errorLine(t)}`, opts))
    else if (t.verdict === 'inconclusive') out.push(recordAnnotation(at, 'warning', 'Leak check inconclusive', `${t.name}: ${inconclusiveLine(t)}`, opts))
  }
  const counts = countVerdicts(report.tests)
  let notice = `leakproof: ${countsLine(counts)}.`
  if (counts.leak > annotationsShownPerStep || counts.error + counts.inconclusive > annotationsShownPerStep) {
    notice += ` GitHub shows only the first ${annotationsShownPerStep} annotations of each kind per step; see the step summary or the HTML report for all of them.`
  }
  out.push(annotation({ level: 'notice', title: 'leakproof', message: notice }))
  return out.join('\n') + '\n'
}
