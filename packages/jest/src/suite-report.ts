// The reporter's side of suite-level mode: the last file of an in-band run (Jest runs a single
// test file, or -i, in its own process) is checked here, then the records of all workers are read,
// summarised, and a held file fails the run (the reporter's getLastError, as Jest's own reporters do).

import { LeakproofUsageError, type SuiteFileRecord } from '@leakproof/core'
import { SuiteWatch, formatSuiteSummary, resolveSuiteOptions, type RunReportSession } from '@leakproof/core/adapter'

const SUITE_ENV = /[\\/]@leakproof[\\/]jest[\\/]dist[\\/]suite\.c?js$|leakproof[\\/]packages[\\/]jest[\\/]dist[\\/]suite\.c?js$/

interface ContextLike {
  config?: { testEnvironment?: string; testEnvironmentOptions?: Record<string, unknown> }
}

export interface SuiteOutcome {
  files: SuiteFileRecord[]
  summary?: string
  error?: Error
}

export async function finishSuiteChecks(session: RunReportSession, contexts: Iterable<ContextLike> | undefined): Promise<SuiteOutcome> {
  let raw: unknown
  let configured = false
  for (const { config } of contexts ?? []) {
    if (config?.testEnvironmentOptions && 'leakproofSuite' in config.testEnvironmentOptions) {
      raw = config.testEnvironmentOptions.leakproofSuite
      configured = true
      break
    }
    if (config?.testEnvironment && SUITE_ENV.test(config.testEnvironment)) configured = true
  }
  if (configured) {
    // In band, the environments ran in this process: their last file is still pending here.
    try {
      await new SuiteWatch({ options: resolveSuiteOptions(raw, 'testEnvironmentOptions.leakproofSuite') }).workerEnd()
    } catch (error) {
      if (error instanceof LeakproofUsageError) return { files: session.files(), error }
    }
  }
  const files = session.files()
  if (!files.length) return { files }
  const failed = files.filter((f) => f.failed)
  return {
    files,
    summary: formatSuiteSummary(files),
    ...(failed.length
      ? { error: new Error(`leakproof: ${failed.length} test file${failed.length === 1 ? ' was' : 's were'} not released after ${failed.length === 1 ? 'it' : 'they'} ended: ${failed.map((f) => f.file).join(', ')}`) }
      : {}),
  }
}
