import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { LeakReport } from './types.js'

/** Version of the JSON file written by the Vitest and Jest reporters and read by the CLI. */
export const runReportSchemaVersion = 1

/** Verdict for one test or one matcher call. */
export type TestVerdict = 'leak' | 'clean' | 'error' | 'skipped'

/** One measured test in a run report. */
export interface TestLeakRecord {
  /** Test file, relative to the project root, with forward slashes. */
  file: string
  /** Full test name: describe blocks and test title joined with ' > '. */
  name: string
  /** 1-based line of the test in its file, when the framework reports it. */
  line?: number
  verdict: TestVerdict
  /** `matcher` for expect(fn).not.toLeak(), `each-test` for the per-test mode. */
  source: 'matcher' | 'each-test'
  /** For verdict 'error': the error message (the subject's own failure, a timeout, bad options). */
  error?: string
  report?: LeakReport
}

export interface RunReport {
  schemaVersion: typeof runReportSchemaVersion
  tool: 'leakproof'
  createdAt: string
  run: {
    framework: 'vitest' | 'jest' | 'other'
    frameworkVersion: string
    node: string
    platform: string
    /** `index/count` when the run was a shard. */
    shard?: string
    options?: Record<string, unknown>
  }
  tests: TestLeakRecord[]
}

export function createRunReport(run: RunReport['run'], tests: TestLeakRecord[]): RunReport {
  return { schemaVersion: runReportSchemaVersion, tool: 'leakproof', createdAt: new Date().toISOString(), run, tests }
}

/** Write a run report as JSON (creating the directory). */
export function writeRunReport(path: string, report: RunReport): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, JSON.stringify(report, null, 2) + '\n')
}

// Test workers and the reporter live in different processes; each worker appends records to a
// per-process file under this directory and the reporter merges them at the end of the run.
export const recordsDirEnv = 'LEAKPROOF_RECORDS_DIR'

/** Append one record for the reporter (no-op when no reporter set the records directory). */
export function appendTestRecord(record: TestLeakRecord): void {
  const dir = process.env[recordsDirEnv]
  if (!dir) return
  mkdirSync(dir, { recursive: true })
  appendFileSync(join(dir, `${process.pid}.jsonl`), JSON.stringify(record) + '\n')
}

/** Read all records appended by the workers of a run. */
export function readTestRecords(dir: string): TestLeakRecord[] {
  if (!existsSync(dir)) return []
  const records: TestLeakRecord[] = []
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (line.trim()) records.push(JSON.parse(line) as TestLeakRecord)
    }
  }
  return records
}
