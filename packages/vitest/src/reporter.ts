// `@leakproof/vitest/reporter`: prints a leak summary table at the end of a run and writes the
// JSON run report. Config side only (no runtime import of 'vitest').
//
// How records reach it: before any worker starts, the reporter points core's records directory
// (env LEAKPROOF_RECORDS_DIR) at a fresh temporary directory. Every leak check in a worker, the
// `toLeak` matcher and per-test mode alike, appends one JSON line there; at the end of the run the
// reporter reads them all. This works the same in every pool and Vitest version, and keeps large
// leak reports out of Vitest's task metadata.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, relative, resolve } from 'node:path'
import {
  createRunReport,
  formatRecordsTable,
  readTestRecords,
  recordsDirEnv,
  writeRunReport,
  type RunOptions,
  type TestLeakRecord,
} from '@leakproof/core'
import { decodeSettings, provideKey, type WorkerSettings } from './config.js'

export interface LeakproofReporterOptions {
  /**
   * Where to write the JSON run report, relative to the project root. Default
   * `leakproof-report.json`; `false` writes none.
   */
  outputFile?: string | false
  /** Print the summary table. `'always'`, `'never'`, or `'auto'` (default: when a leak check ran). */
  table?: 'auto' | 'always' | 'never'
}

/** The part of Vitest's `Vitest` object the reporter reads (structural: any Vitest 3–5). */
interface VitestLike {
  version: string
  config: {
    root: string
    env?: Record<string, string | undefined>
    shard?: { index: number; count: number }
    provide?: Record<string, unknown>
  }
  /** Vitest 3+: the projects of the run (the root one included), each with its resolved config. */
  projects?: { name: string; config: { provide?: Record<string, unknown> } }[]
  logger: { log: (...args: unknown[]) => void }
}

/**
 * The options the leakproof plugin handed each project's workers (`provide`), for run.options;
 * undefined when the plugin is not used (the reporter on its own: engine defaults).
 */
function configuredOptions(vitest: VitestLike): (RunOptions & { project: string })[] | undefined {
  const projects = vitest.projects?.length ? vitest.projects : [{ name: '', config: vitest.config }]
  const out: (RunOptions & { project: string })[] = []
  for (const { name, config } of projects) {
    const provided = config.provide?.[provideKey]
    if (provided === undefined) continue
    const settings = decodeSettings<WorkerSettings>(provided)
    out.push({
      project: name,
      ...(Object.keys(settings.options).length ? { defaults: settings.options as Record<string, unknown> } : {}),
      eachTest: settings.eachTest !== false,
      ...(settings.eachTest !== false ? { eachTestOptions: settings.eachTest as Record<string, unknown> } : {}),
    })
  }
  return out.length ? out : undefined
}

export class LeakproofReporter {
  private vitest: VitestLike | undefined
  private dir: string | undefined
  private finished = false
  private readonly outputFile: string | false
  private readonly table: 'auto' | 'always' | 'never'

  constructor(options: LeakproofReporterOptions = {}) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('LeakproofReporter(options): options must be an object like { outputFile: "leak.json" }')
    }
    const { outputFile = 'leakproof-report.json', table = 'auto' } = options
    if (outputFile !== false && (typeof outputFile !== 'string' || outputFile === '')) {
      throw new TypeError('LeakproofReporter({ outputFile }) must be a file path or false')
    }
    if (!['auto', 'always', 'never'].includes(table)) {
      throw new TypeError("LeakproofReporter({ table }) must be 'auto', 'always' or 'never'")
    }
    this.outputFile = outputFile
    this.table = table
  }

  onInit(vitest: VitestLike): void {
    this.vitest = vitest
    this.dir = mkdtempSync(resolve(tmpdir(), 'leakproof-vitest-'))
    // Workers get the main process's environment (and config.env) when they are started.
    process.env[recordsDirEnv] = this.dir
    if (vitest.config.env) vitest.config.env[recordsDirEnv] = this.dir
  }

  onTestRunStart(): void {
    // Watch mode: every rerun starts from an empty records directory.
    this.finished = false
    if (this.dir) {
      rmSync(this.dir, { recursive: true, force: true })
    }
  }

  onTestRunEnd(): void {
    this.finish()
  }

  /** Vitest 3 calls onFinished as well as onTestRunEnd; whichever comes first does the work. */
  onFinished(): void {
    this.finish()
  }

  /** The records of the run so far (after the run: all of them). */
  records(): TestLeakRecord[] {
    return this.dir ? readTestRecords(this.dir) : []
  }

  private finish(): void {
    if (this.finished || !this.vitest) return
    this.finished = true
    const vitest = this.vitest
    const tests = this.records()
    // Workers create the directory again when the next (watch mode) run appends to it.
    if (this.dir) rmSync(this.dir, { recursive: true, force: true })
    const show = this.table === 'always' || (this.table === 'auto' && tests.length > 0)
    if (show) {
      vitest.logger.log(`\n leakproof: leak checks of this run\n\n${formatRecordsTable(tests, { color: colorEnabled() })}\n`)
    }
    if (this.outputFile !== false) {
      const shard = vitest.config.shard
      const report = createRunReport(
        {
          framework: 'vitest',
          frameworkVersion: vitest.version,
          ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}),
          options: configuredOptions(vitest),
        },
        tests,
      )
      const path = isAbsolute(this.outputFile) ? this.outputFile : resolve(vitest.config.root, this.outputFile)
      writeRunReport(path, report)
      if (show) vitest.logger.log(` leakproof: report written to ${relative(process.cwd(), path) || path}\n`)
    }
  }
}

function colorEnabled(): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false
  if (process.env.FORCE_COLOR !== undefined) return process.env.FORCE_COLOR !== '0'
  return process.stdout.isTTY === true
}

export default LeakproofReporter
