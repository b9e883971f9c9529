// reporters: ['default', '@leakproof/jest/reporter'] (or ['@leakproof/jest/reporter', { outputFile }]):
// a table of every leak check at the end of the run and the shared JSON run report.
//
// Test files run in worker processes. The reporter is created in Jest's main process before the
// workers start: core's run session points them at the records directory they append to.

import { realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, isAbsolute, join, relative, resolve } from 'node:path'
import { formatRecordsTable, type RunOptions, type TestLeakRecord } from '@leakproof/core'
import { ReporterSettings, RunReportSession, type LeakReporterOptions } from '@leakproof/core/adapter'
import { finishSuiteChecks } from './suite-report.js'
import { runningJestVersion } from './jest-install.js'

/** `outputFile`, `table`, `color`: the same options as @leakproof/vitest/reporter's. */
export type LeakproofReporterOptions = LeakReporterOptions

interface GlobalConfigLike {
  rootDir?: string
  shard?: { shardIndex: number; shardCount: number } | null
  silent?: boolean
}

/** The part of a Jest project config (a test context's `config`) the reporter reads. */
interface ProjectConfigLike {
  rootDir?: string
  displayName?: string | { name?: string }
  testEnvironment?: string
  testEnvironmentOptions?: Record<string, unknown>
}

function realpath(path: string): string | undefined {
  try {
    return realpathSync(path)
  } catch {
    return undefined
  }
}

/** Is this (resolved) testEnvironment '@leakproof/jest/environment', as the project resolves it? */
function isLeakproofEnvironment(environment: string | undefined, rootDir: string): boolean {
  if (!environment) return false
  if (/[\\/]@leakproof[\\/]jest[\\/]dist[\\/]environment\.c?js$/.test(environment)) return true
  try {
    const ours = createRequire(join(rootDir, 'noop.js')).resolve('@leakproof/jest/environment')
    const real = realpath(environment)
    return real !== undefined && real === realpath(ours)
  } catch {
    return false
  }
}

/**
 * The leak options of each project, for run.options: per-test mode is on with the leakproof test
 * environment (or a custom one configured through testEnvironmentOptions.leakproof), with those
 * options. The matchers have no project-wide defaults in Jest.
 */
function configuredOptions(contexts: Iterable<{ config?: ProjectConfigLike }> | undefined, rootDir: string): (RunOptions & { project: string })[] | undefined {
  const out: (RunOptions & { project: string })[] = []
  for (const { config } of contexts ?? []) {
    if (!config) continue
    const root = config.rootDir ?? rootDir
    const name = typeof config.displayName === 'string' ? config.displayName : config.displayName?.name
    const raw = config.testEnvironmentOptions?.leakproof
    const configured = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined
    const eachTest = configured !== undefined || isLeakproofEnvironment(config.testEnvironment, root)
    const { exclude, ...eachTestOptions } = configured ?? {}
    out.push({
      project: name || relative(rootDir, root).split('\\').join('/') || basename(root),
      eachTest,
      ...(eachTest ? { eachTestOptions } : {}),
      ...(eachTest && Array.isArray(exclude) ? { exclude: exclude.map(String) } : {}),
    })
  }
  return out.length ? out : undefined
}

export default class LeakproofReporter {
  private readonly options: ReporterSettings
  private readonly rootDir: string
  private readonly session: RunReportSession
  private readonly shard: string | undefined
  private lastError: Error | undefined

  constructor(globalConfig: GlobalConfigLike = {}, options?: LeakproofReporterOptions, _context?: unknown) {
    this.options = ReporterSettings.from('@leakproof/jest/reporter', options)
    this.rootDir = globalConfig.rootDir ?? process.cwd()
    const shard = globalConfig.shard
    this.shard = shard ? `${shard.shardIndex}/${shard.shardCount}` : undefined
    this.session = new RunReportSession('jest')
  }

  /** A new run (watch mode): forget the previous run's records. */
  onRunStart(): void {
    this.session.reset()
  }

  /** The records written so far by this run's workers. */
  records(): TestLeakRecord[] {
    return this.session.records()
  }

  /** Jest passes the test contexts of the run (one per project) and the aggregated results. */
  async onRunComplete(testContexts?: Set<{ config?: ProjectConfigLike }>, _results?: unknown): Promise<void> {
    const tests = this.records()
    // Suite-level mode (@leakproof/jest/suite): the last file of an in-band run is checked here.
    const suite = await finishSuiteChecks(this.session, testContexts)
    const { outputFile } = this.options
    let reportPath: string | undefined
    if (outputFile !== false) {
      reportPath = isAbsolute(outputFile) ? outputFile : resolve(this.rootDir, outputFile)
      try {
        this.session.writeReport(
          reportPath,
          {
            framework: 'jest',
            frameworkVersion: runningJestVersion(),
            ...(this.shard ? { shard: this.shard } : {}),
            options: configuredOptions(testContexts, this.rootDir),
          },
          tests,
          suite.files,
        )
      } catch (error) {
        this.lastError = error instanceof Error ? error : new Error(String(error))
        process.stderr.write(`leakproof: could not write ${reportPath}: ${this.lastError.message}\n`)
        reportPath = undefined
      }
    }
    if (this.options.showTable(tests.length)) {
      const rel = reportPath ? relative(process.cwd(), reportPath) : undefined
      const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : reportPath
      const table = formatRecordsTable(tests, { color: this.options.colorFor(process.stderr) })
      const indented = table
        .split('\n')
        .map((line) => (line ? `  ${line}` : line))
        .join('\n')
      process.stderr.write(`\nleakproof\n${indented}\n${shown ? `\n  Report: ${shown}\n` : ''}`)
    }
    if (suite.summary) process.stderr.write(`\n${suite.summary}\n`)
    if (suite.error && !this.lastError) this.lastError = suite.error
    this.session.close()
  }

  getLastError(): Error | undefined {
    return this.lastError
  }
}

export { LeakproofReporter }
