import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { InputError } from './errors.js'
import { findJsonSyntaxError } from './json-error.js'
import { Progress, type ProgressOptions } from './progress.js'
import { validateRunReport, type Report } from './validate.js'

/** Problems listed before "and N more". */
const shownProblems = 8

/**
 * Parse and validate the text of a run report. Throws InputError naming `label`:
 * `cannot read report.json: not valid JSON (Unexpected token '}' at line 3, column 7)`.
 */
export function parseRunReport(text: string, label: string): Report {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (text.trim() === '') {
    throw new InputError(label, 'the file is empty (did the test run stop before the leakproof reporter wrote it?)')
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    const problem = findJsonSyntaxError(text)
    const detail = problem
      ? `${problem.message} at line ${problem.line}, column ${problem.column}`
      : (e as Error).message.slice(0, 200)
    const truncated = problem?.message === 'Unexpected end of input' || problem?.message === 'Unterminated string'
    throw new InputError(
      label,
      `not valid JSON (${detail})`,
      truncated ? 'The file ends early: it may be truncated (a crashed test run, a full disk or a partial artifact download).' : undefined,
    )
  }
  const result = validateRunReport(value, 50)
  if (result.ok) return result.report
  if (result.errors.length === 1) throw new InputError(label, result.errors[0]!)
  const listed = result.errors.slice(0, shownProblems).map((e) => `  - ${e}`)
  if (result.errors.length > shownProblems) {
    listed.push(`  … and ${result.errors.length - shownProblems}${result.errors.length >= 50 ? '+' : ''} more`)
  }
  const version = (value as { schemaVersion?: unknown }).schemaVersion
  throw new InputError(label, `not a valid leakproof run report (schema version ${String(version)}):\n${listed.join('\n')}`)
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    if (err.code === 'ENOENT') throw new InputError(file, 'no such file')
    if (err.code === 'EISDIR') throw new InputError(file, 'it is a directory; pass the report JSON file inside it')
    if (err.code === 'EACCES') throw new InputError(file, 'permission denied')
    throw new InputError(file, err.message)
  }
}

/** Read and validate one report. */
export function readRunReport(file: string): Report {
  return parseRunReport(readText(file), file)
}

/**
 * Expand arguments into report files: a directory stands for the `*.json` files under it
 * (recursively, sorted), as `actions/download-artifact` lays them out.
 */
export function expandInputs(args: string[]): string[] {
  const files: string[] = []
  for (const arg of args) {
    let isDir = false
    try {
      isDir = statSync(arg).isDirectory()
    } catch {
      files.push(arg) // reported as "no such file" when read
      continue
    }
    if (!isDir) {
      files.push(arg)
      continue
    }
    const found = (readdirSync(arg, { recursive: true, encoding: 'utf8' }) as string[])
      .filter((p) => p.endsWith('.json'))
      .sort()
      .map((p) => join(arg, p))
    if (found.length === 0) throw new InputError(arg, 'the directory has no .json report files')
    files.push(...found)
  }
  return files
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

/** Read and validate several reports, with a progress line on stderr when it is a lot of work. */
export function readRunReports(files: string[], progress?: ProgressOptions): Report[] {
  const sizes = files.map(sizeOf)
  const bar = new Progress(['reading', 'read'], ['report', 'reports'], files.length, sizes.reduce((a, b) => a + b, 0), progress)
  const reports = files.map((file, i) => {
    const report = readRunReport(file)
    bar.tick(sizes[i]!)
    return report
  })
  bar.finish(`${reports.reduce((n, r) => n + r.tests.length, 0)} test records`)
  return reports
}
