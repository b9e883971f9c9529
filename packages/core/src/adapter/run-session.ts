// The reporter side of a run, as both adapters' reporters hold it. The reporter lives in the
// framework's main process and starts before any test worker: it points LEAKPROOF_RECORDS_DIR at
// a fresh directory, the workers inherit it and append one record per leak check there, and at
// the end of the run the reporter reads them all into the run report.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createRunReport,
  readTestRecords,
  readSuiteRecords,
  recordsDirEnv,
  writeRunReport,
  type RunMetadata,
  type RunReport,
  type SuiteFileRecord,
  type TestLeakRecord,
} from '../report/run-report.js'

export class RunReportSession {
  /** Where the workers append their records. */
  readonly dir: string
  /** False when an outer process (another reporter) set the directory: its records, not ours to delete. */
  private readonly owned: boolean

  constructor(framework: RunMetadata['framework']) {
    const inherited = process.env[recordsDirEnv]
    this.owned = !inherited
    this.dir = inherited || mkdtempSync(join(tmpdir(), `leakproof-${framework}-`))
    // Workers get the main process's environment when they are started.
    process.env[recordsDirEnv] = this.dir
  }

  /** A new run (watch mode): forget the previous run's records. Workers create the directory again. */
  reset(): void {
    if (this.owned) rmSync(this.dir, { recursive: true, force: true })
  }

  /** The records written so far by this run's workers (after the run: all of them). */
  records(): TestLeakRecord[] {
    return readTestRecords(this.dir)
  }

  /** The suite-level file records of this run's workers. */
  files(): SuiteFileRecord[] {
    return readSuiteRecords(this.dir)
  }

  /** Write the run report of `tests` (and suite-level `files`) to `path` (absolute) and return it. */
  writeReport(path: string, run: RunMetadata, tests: TestLeakRecord[], files?: SuiteFileRecord[]): RunReport {
    const report = createRunReport(run, tests, files)
    writeRunReport(path, report)
    return report
  }

  /** The run is over: its records are read. */
  close(): void {
    this.reset()
  }
}
