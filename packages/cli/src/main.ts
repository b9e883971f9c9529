// The `leakproof` command (see cli.ts for the bin): report, merge, compare. Exit codes: 0 ok, 1 leaks (report) or new /
// grown leaks (compare), 2 usage or input error, 3 internal error.
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { compareReports, parseBytes, parsePercent, type Tolerance } from './compare.js'
import { CliError, exitCodes } from './errors.js'
import { formatCompareConsole, formatCompareGithub, formatCompareJson, formatCompareMarkdown, type CompareLabels } from './format/compare.js'
import { pasteable } from './format/common.js'
import { formatConsole } from './format/console.js'
import { formatGithub } from './format/github.js'
import { formatHtml } from './format/html.js'
import { formatJson } from './format/json.js'
import { formatMarkdown } from './format/markdown.js'
import { mergeReports } from './merge.js'
import { expandInputs, readRunReport, readRunReports } from './read.js'
import { cliVersion, supportedSchemaVersion, type Report } from './validate.js'

const exitCodesHelp = `Exit codes:
  0  success: no leaks (report), no new or grown leaks (compare), merged report written (merge)
  1  leaks found, or inconclusive checks with --inconclusive=error (report) / new or grown leaks
     compared to the baseline (compare)
  2  usage or input error: bad arguments, missing file, invalid JSON, wrong schema version
  3  internal error (a bug in leakproof: please report it)`

const mainHelp = `leakproof ${cliVersion}: render, merge and compare leakproof run reports

Usage:
  leakproof report <report.json> [--format console|markdown|github|html|json] [--out file]
  leakproof merge <a.json> <b.json|dir> ... --out merged.json
  leakproof compare --baseline base.json current.json [--tolerance 25% | --tolerance-bytes N]

Run \`leakproof <command> --help\` for a command's options.
Reads run report schema versions 1 and ${supportedSchemaVersion} (see the README and schema/run-report.schema.json).

${exitCodesHelp}
`

const reportHelp = `Usage: leakproof report <report.json> [options]

Render a run report written by the leakproof Vitest or Jest reporter (or by leakproof merge).

Options:
  -f, --format <format>  console (default): summary table and the evidence for each leak
                         markdown: table and a section per leak (for PR comments, step summaries)
                         github: GitHub Actions annotations (::error file=…,line=…) on the tests
                         html: one self-contained page with heap-growth plots
                         json: a compact summary for scripts
  -o, --out <file>       write there instead of stdout
      --summary          also append the Markdown report to $GITHUB_STEP_SUMMARY (any format);
                         with --format markdown this happens whenever $GITHUB_STEP_SUMMARY is set
      --no-summary       never append to $GITHUB_STEP_SUMMARY
      --inconclusive <warn|error>
                         checks that ran out of time before the evidence decided (verdict
                         inconclusive): warn (default) lists them and warns on stderr; error also
                         exits 1, so CI fails on them
      --exit-zero        exit 0 even when the report has leaks (or, with --inconclusive=error,
                         inconclusive checks)
      --color, --no-color  colour console output (default: when stdout is a terminal and
                         NO_COLOR is not set)
  -q, --quiet            no progress or notes on stderr
      --progress         always show the progress line (default: for files of 16 MB or more)
  -h, --help             show this help

Exit codes: 0 no leaks; 1 leaks found, or inconclusive checks with --inconclusive=error; 2 usage
or input error.
`

const mergeHelp = `Usage: leakproof merge <report.json|dir>... [--out merged.json]

Combine the reports of sharded runs (vitest --shard=i/n, jest --shard=i/n) into one report. A
directory stands for the *.json files under it, e.g. the folder actions/download-artifact writes.

- Inputs may use run report schema version 1 or ${supportedSchemaVersion}; the merged report has the newest
  version of its inputs.
- A test (same file and name) found in several inputs is kept once, from the input where its
  verdict is most severe (leak, error, inconclusive, clean, skipped), else the first; a warning
  names them.
- Shards missing from a set (1/3 and 3/3 without 2/3) or given twice are warned about.
- Empty reports are fine. run.shards lists every input; createdAt is the latest input's.

Options:
  -o, --out <file>   write the merged report there (default: stdout)
  -q, --quiet        no warnings or progress on stderr
      --progress     always show the progress line (default: from 5 files or 16 MB)
  -h, --help         show this help

Exit codes: 0 merged; 2 usage or input error (nothing is written).
`

const compareHelp = `Usage: leakproof compare --baseline <base.json> <current.json> [options]

Compare a run report with a baseline (e.g. the merged report of the main branch) and fail only for
leaks that are new (not leaking in the baseline, or not there at all) or that grew beyond the
tolerance. Known leaks that did not grow pass. Renamed tests are matched by file and line, moved
tests by their name.

Options:
  -b, --baseline <file>        the baseline report (required)
      --tolerance <pct>        allowed growth of a known leak, in % of its baseline bytes/call
                               (default 25%)
      --tolerance-bytes <n>    allowed growth in bytes/call (e.g. 64, 1KB); with --tolerance, the
                               larger allowance wins
      --allow-missing-baseline if the baseline file does not exist, compare with an empty one
                               (every leak is new) instead of failing with exit code 2
      --no-renames             match tests by exact file and name only
  -f, --format <format>        console (default), markdown, github (annotations for new and grown
                               leaks), json
  -o, --out <file>             write there instead of stdout
      --summary / --no-summary append the Markdown comparison to $GITHUB_STEP_SUMMARY (default:
                               with --format markdown when it is set)
      --exit-zero              exit 0 even when there are new or grown leaks
      --color, --no-color      colour console output
  -q, --quiet                  no progress or notes on stderr
      --progress               always show the progress line (default: for 16 MB or more)
  -h, --help                   show this help

Exit codes: 0 no new or grown leaks; 1 new or grown leaks; 2 usage or input error.
`

type Options = NonNullable<ParseArgsConfig['options']>

const common: Options = {
  help: { type: 'boolean', short: 'h' },
  quiet: { type: 'boolean', short: 'q' },
}
const output: Options = {
  format: { type: 'string', short: 'f' },
  out: { type: 'string', short: 'o' },
  summary: { type: 'boolean' },
  'no-summary': { type: 'boolean' },
  'exit-zero': { type: 'boolean' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  progress: { type: 'boolean' },
}

export interface Io {
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
  env: NodeJS.ProcessEnv
}

function parse(command: string, args: string[], options: Options) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (e) {
    const err = e as Error & { code?: string }
    const msg = err.message.replace(/\. To specify a positional argument.*$/s, '').replace(/^Unknown option/, 'unknown option')
    throw new CliError(`${command}: ${msg}`, `Run \`leakproof ${command} --help\` for usage.`)
  }
}

function useColor(values: Record<string, unknown>, io: Io): boolean {
  if (values['no-color']) return false
  if (values.color) return true
  if (values.out) return false
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true
  return io.stdout.isTTY === true && io.env.TERM !== 'dumb'
}

function note(io: Io, quiet: unknown, message: string): void {
  if (!quiet) io.stderr.write(`leakproof: ${message}\n`)
}

function warn(io: Io, quiet: unknown, message: string): void {
  if (quiet) return
  // Inside GitHub Actions a warning command makes it visible on the run page.
  if (io.env.GITHUB_ACTIONS === 'true') io.stderr.write(`::warning title=leakproof::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`)
  else io.stderr.write(`leakproof: warning: ${message}\n`)
}

function emit(io: Io, values: Record<string, unknown>, text: string): void {
  const out = values.out as string | undefined
  if (!out) {
    io.stdout.write(text)
    return
  }
  try {
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, text)
  } catch (e) {
    throw new CliError(`cannot write ${out}: ${(e as Error).message}`)
  }
  note(io, values.quiet, `wrote ${out}`)
}

/** Append to $GITHUB_STEP_SUMMARY when asked (--summary) or by default for Markdown output. */
function stepSummary(io: Io, values: Record<string, unknown>, format: string, markdown: () => string): void {
  if (values['no-summary']) return
  const path = io.env.GITHUB_STEP_SUMMARY
  const wanted = values.summary === true || format === 'markdown'
  if (!wanted) return
  if (!path) {
    if (values.summary) warn(io, values.quiet, '--summary: $GITHUB_STEP_SUMMARY is not set (it is set inside GitHub Actions jobs); nothing appended')
    return
  }
  try {
    appendFileSync(path, markdown() + '\n')
  } catch (e) {
    throw new CliError(`cannot append to $GITHUB_STEP_SUMMARY (${path}): ${(e as Error).message}`)
  }
  note(io, values.quiet, 'appended the Markdown report to $GITHUB_STEP_SUMMARY')
}

function checkFormat(command: string, format: string, allowed: string[]): void {
  if (!allowed.includes(format)) {
    throw new CliError(`${command}: unknown --format "${format}"; use one of ${allowed.join(', ')}`, `Run \`leakproof ${command} --help\` for usage.`)
  }
}

function progressOption(values: Record<string, unknown>): boolean | undefined {
  return values.quiet ? false : values.progress ? true : undefined
}

/**
 * Where the report's paths are relative to: the directory its relative test files are found in
 * (the working directory, else the report file's own directory, where the reporters write it by
 * default), and the repository root for GitHub annotations ($GITHUB_WORKSPACE).
 */
function pathOptions(report: Report, reportFile: string, io: Io): { root: string; base: string; workspace?: string } {
  const cwd = process.cwd()
  const candidates = [cwd, dirname(resolve(reportFile))]
  const files = report.tests.map((t) => t.file).filter((f) => f && !isAbsolute(f) && !f.startsWith('file:'))
  const base = candidates.find((dir) => files.some((f) => existsSync(join(dir, f)))) ?? cwd
  const workspace = io.env.GITHUB_WORKSPACE
  return { root: base, base, ...(workspace && isAbsolute(workspace) ? { workspace } : {}) }
}

function runReport(args: string[], io: Io): number {
  const { values, positionals } = parse('report', args, { ...common, ...output, inconclusive: { type: 'string' } })
  if (values.help) {
    io.stdout.write(reportHelp)
    return exitCodes.ok
  }
  const format = (values.format as string | undefined) ?? 'console'
  checkFormat('report', format, ['console', 'markdown', 'github', 'html', 'json'])
  const inconclusive = (values.inconclusive as string | undefined) ?? 'warn'
  if (inconclusive !== 'warn' && inconclusive !== 'error') {
    throw new CliError(
      `report: --inconclusive must be warn or error, got "${inconclusive}"`,
      'warn (default) lists inconclusive checks and warns; error also exits 1. Run `leakproof report --help` for usage.',
    )
  }
  if (positionals.length !== 1) {
    throw new CliError(
      positionals.length === 0 ? 'report: missing the report file' : `report: expected one report file, got ${positionals.length} (merge them first with \`leakproof merge\`)`,
      'Usage: leakproof report <report.json> [--format console|markdown|github|html|json] [--out file]',
    )
  }
  const [report] = readRunReports(positionals, { enabled: progressOption(values) })
  const r = report!
  const paths = pathOptions(r, positionals[0]!, io)
  const text =
    format === 'markdown'
      ? formatMarkdown(r, paths)
      : format === 'github'
        ? formatGithub(r, paths)
        : format === 'html'
          ? formatHtml(r, paths)
          : format === 'json'
            ? formatJson(r, paths)
            : formatConsole(r, { ...paths, color: useColor(values, io) })
  emit(io, values, text)
  stepSummary(io, values, format, () => (format === 'markdown' ? text : formatMarkdown(r, paths)))
  const leaks = r.tests.filter((t) => t.verdict === 'leak').length
  const undecided = r.tests.filter((t) => t.verdict === 'inconclusive').length
  if (undecided) {
    warn(
      io,
      values.quiet,
      `${undecided} inconclusive leak check${undecided === 1 ? '' : 's'} (out of time before the evidence decided; not leaks)` +
        (inconclusive === 'error' ? '; --inconclusive=error fails the run' : '; --inconclusive=error would fail the run'),
    )
  }
  const failing = leaks > 0 || (inconclusive === 'error' && undecided > 0)
  return failing && !values['exit-zero'] ? exitCodes.leaks : exitCodes.ok
}

function runMerge(args: string[], io: Io): number {
  const { values, positionals } = parse('merge', args, {
    ...common,
    out: output.out!,
    progress: output.progress!,
  })
  if (values.help) {
    io.stdout.write(mergeHelp)
    return exitCodes.ok
  }
  if (positionals.length === 0) {
    throw new CliError('merge: no input reports given', 'Usage: leakproof merge <a.json> <b.json|dir> ... --out merged.json')
  }
  const files = expandInputs(positionals)
  const reports = readRunReports(files, { enabled: progressOption(values) })
  const { report, warnings } = mergeReports(files.map((source, i) => ({ source, report: reports[i]! })))
  for (const w of warnings) warn(io, values.quiet, w)
  emit(io, values, JSON.stringify(report, null, 2) + '\n')
  const leaks = report.tests.filter((t) => t.verdict === 'leak').length
  note(io, values.quiet, `merged ${files.length} report${files.length === 1 ? '' : 's'}: ${report.tests.length} test records, ${leaks} leak${leaks === 1 ? '' : 's'}`)
  return exitCodes.ok
}

function emptyReport(): Report {
  return {
    schemaVersion: supportedSchemaVersion,
    tool: 'leakproof',
    createdAt: '',
    run: { framework: 'other', frameworkVersion: '', node: '', platform: '' },
    tests: [],
  }
}

function runCompare(args: string[], io: Io): number {
  const { values, positionals } = parse('compare', args, {
    ...common,
    ...output,
    baseline: { type: 'string', short: 'b' },
    tolerance: { type: 'string' },
    'tolerance-bytes': { type: 'string' },
    'allow-missing-baseline': { type: 'boolean' },
    'no-renames': { type: 'boolean' },
  })
  if (values.help) {
    io.stdout.write(compareHelp)
    return exitCodes.ok
  }
  const usage = 'Usage: leakproof compare --baseline base.json current.json [--tolerance 25% | --tolerance-bytes N]'
  const format = (values.format as string | undefined) ?? 'console'
  checkFormat('compare', format, ['console', 'markdown', 'github', 'json'])
  const baselineFile = values.baseline as string | undefined
  if (!baselineFile) throw new CliError('compare: --baseline <file> is required', usage)
  if (positionals.length !== 1) {
    throw new CliError(positionals.length === 0 ? 'compare: missing the current report file' : `compare: expected one current report, got ${positionals.length}`, usage)
  }
  const tolerance: Tolerance = {}
  if (values.tolerance !== undefined) {
    const p = parsePercent(values.tolerance as string)
    if (p === undefined) throw new CliError(`compare: --tolerance must be a percentage like 25%, got "${values.tolerance}"`, usage)
    tolerance.percent = p
  }
  if (values['tolerance-bytes'] !== undefined) {
    const b = parseBytes(values['tolerance-bytes'] as string)
    if (b === undefined) throw new CliError(`compare: --tolerance-bytes must be a byte count like 64 or 1KB, got "${values['tolerance-bytes']}"`, usage)
    tolerance.bytes = b
  }
  const currentFile = positionals[0]!
  const missing = values['allow-missing-baseline'] === true && !existsSync(baselineFile)
  if (missing) warn(io, values.quiet, `baseline ${baselineFile} does not exist; comparing with an empty baseline (every leak counts as new)`)
  const [current] = readRunReports([currentFile], { enabled: progressOption(values) })
  const baseline = missing ? emptyReport() : readRunReport(baselineFile)
  // Paths relative to the project root in both, so that records match however they were written.
  const paths = pathOptions(current!, currentFile, io)
  const result = compareReports(pasteable(baseline, paths), pasteable(current!, paths), { tolerance, detectRenames: !values['no-renames'] })
  const labels: CompareLabels = { baseline: baselineFile, current: currentFile, ...(missing ? { baselineMissing: true } : {}) }
  const text =
    format === 'markdown'
      ? formatCompareMarkdown(result, labels)
      : format === 'github'
        ? formatCompareGithub(result, paths)
        : format === 'json'
          ? formatCompareJson(result, labels)
          : formatCompareConsole(result, labels, { color: useColor(values, io) })
  emit(io, values, text)
  stepSummary(io, values, format, () => (format === 'markdown' ? text : formatCompareMarkdown(result, labels)))
  return result.failed && !values['exit-zero'] ? exitCodes.leaks : exitCodes.ok
}

/** Run the CLI with `argv` (without node and the script). Resolves to the exit code. */
export function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env }): number {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'report':
        return runReport(rest, io)
      case 'merge':
        return runMerge(rest, io)
      case 'compare':
        return runCompare(rest, io)
      case 'help':
        if (rest[0] && ['report', 'merge', 'compare'].includes(rest[0])) return main([rest[0], '--help'], io)
        io.stdout.write(mainHelp)
        return exitCodes.ok
      case '-h':
      case '--help':
        io.stdout.write(mainHelp)
        return exitCodes.ok
      case '-v':
      case '--version':
        io.stdout.write(`${cliVersion}\n`)
        return exitCodes.ok
      case undefined:
        io.stderr.write(mainHelp)
        return exitCodes.usage
      default:
        throw new CliError(`unknown command "${command}"; use report, merge or compare`, 'Run `leakproof --help` for usage.')
    }
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr.write(`leakproof: ${e.message}\n${e.hint ? e.hint + '\n' : ''}`)
      return exitCodes.usage
    }
    io.stderr.write(`leakproof: internal error: ${(e as Error)?.stack ?? String(e)}\nThis is a bug in leakproof; please report it with the command you ran.\n`)
    return exitCodes.internal
  }
}
