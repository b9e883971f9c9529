// `@leakproof/vitest/reporter`: prints a leak summary table at the end of a run and writes the
// JSON run report. Config side only (no runtime import of 'vitest').
//
// How records reach it: core's run session (the records directory every worker appends to), set
// up before any worker starts. This works the same in every pool and Vitest version, and keeps
// large leak reports out of Vitest's task metadata.
import { isAbsolute, relative, resolve } from 'node:path'
import { formatRecordsTable, recordsDirEnv, type RunOptions, type TestLeakRecord } from '@leakproof/core'
import { ReporterSettings, RunReportSession, type LeakReporterOptions } from '@leakproof/core/adapter'
import { decodeSettings, provideKey, type WorkerSettings } from './config.js'

/** `outputFile`, `table`, `color`: the same options as @leakproof/jest/reporter's. */
export type LeakproofReporterOptions = LeakReporterOptions

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
  private session: RunReportSession | undefined
  private finished = false
  private readonly options: ReporterSettings

  constructor(options: LeakproofReporterOptions = {}) {
    this.options = ReporterSettings.from('@leakproof/vitest/reporter', options)
  }

  onInit(vitest: VitestLike): void {
    this.vitest = vitest
    this.session = new RunReportSession('vitest')
    // Workers get the main process's environment, and config.env.
    if (vitest.config.env) vitest.config.env[recordsDirEnv] = this.session.dir
  }

  onTestRunStart(): void {
    // Watch mode: every rerun starts from an empty records directory.
    this.finished = false
    this.session?.reset()
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
    return this.session?.records() ?? []
  }

  private finish(): void {
    if (this.finished || !this.vitest || !this.session) return
    this.finished = true
    const vitest = this.vitest
    const tests = this.session.records()
    this.session.close()
    const show = this.options.showTable(tests.length)
    if (show) {
      const table = formatRecordsTable(tests, { color: this.options.colorFor(process.stdout) })
      vitest.logger.log(`\n leakproof: leak checks of this run\n\n${table}\n`)
    }
    const { outputFile } = this.options
    if (outputFile !== false) {
      const shard = vitest.config.shard
      const path = isAbsolute(outputFile) ? outputFile : resolve(vitest.config.root, outputFile)
      this.session.writeReport(
        path,
        {
          framework: 'vitest',
          frameworkVersion: vitest.version,
          ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}),
          options: configuredOptions(vitest),
        },
        tests,
      )
      if (show) vitest.logger.log(` leakproof: report written to ${relative(process.cwd(), path) || path}\n`)
    }
  }
}

export default LeakproofReporter
