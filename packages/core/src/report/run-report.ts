import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { LeakReport, RunOptions } from './types.js'

/**
 * Version of the JSON file written by the Vitest and Jest reporters and read by the CLI.
 * 2: verdict `inconclusive`, a report's `verdict` and `inconclusive`, decision stage `timeout`.
 * The CLI still reads version 1.
 */
export const runReportSchemaVersion = 2

/**
 * Verdict for one test or one matcher call. `inconclusive`: out of time before the evidence
 * decided (the test passed with a warning, or failed under { inconclusive: 'fail' }).
 */
export type TestVerdict = 'leak' | 'clean' | 'inconclusive' | 'error' | 'skipped'

/** One measured test in a run report. */
export interface TestLeakRecord {
  /** Test file, relative to the project root, with forward slashes. */
  file: string
  /** Full test name: describe blocks and test title joined with ' > '. */
  name: string
  /** 1-based line in the test file: of the `expect(...)` call for a matcher, of the test in per-test mode. */
  line?: number
  verdict: TestVerdict
  /** `matcher` for expect(fn).not.toLeak(), `each-test` for the per-test mode. */
  source: 'matcher' | 'each-test'
  /** For verdict 'error': the error message (the subject's own failure, a call that never settled, bad options). */
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
    options?: RunOptions
  }
  tests: TestLeakRecord[]
  /**
   * Suite-level checks (one record per test file run in a shared worker): was the file's world
   * released after it ended, and the worker's heap after a forced GC, file by file.
   */
  files?: SuiteFileRecord[]
}

/** One test file's suite-level check: its world (global, modules) released, or still held and by what. */
export interface SuiteFileRecord {
  /** Test file, relative to the project root, with forward slashes. */
  file: string
  /** The worker the file ran in (process id, plus thread id in a thread pool). */
  worker: string
  /** 0-based position of the file among those the worker ran. */
  order: number
  /** `released`: collected after a forced GC; `held`: still reachable; `unchecked`: the worker ended before the check. */
  verdict: 'released' | 'held' | 'unchecked'
  /** true when a held file fails the run (option onLeak: 'fail'), false when only reported, or ignored. */
  failed: boolean
  /** The worker's heapUsed right after the forced GC that checked this file, in bytes. */
  heapUsedAfterGc?: number
  /** heapUsedAfterGc minus that of the file checked before it in the same worker. */
  heapGrowth?: number
  /** When the check ran: at the next file's start, while the worker idled, at the worker's end. */
  checkedAt?: string
  /** For `held`: the retainer path from a GC root to the file's global object. */
  retainerPath?: string
  /** For `held`: listener, timer, spy, registry or unknown. */
  holder?: string
  /** For `held`: bytes reachable only through the file's world. */
  retainedBytes?: number
  /** For `held`: how to fix it or leave it out. */
  advice?: string
  note?: string
}

/** One project's options, as a reporter found them in the framework's configuration. */
export interface ProjectRunOptions extends RunOptions {
  /** The project's name (display name, or its root directory). */
  project: string
}

/** What a reporter knows about its run; `createRunReport` fills in the rest. */
export interface RunMetadata {
  framework: RunReport['run']['framework']
  frameworkVersion: string
  /** Default: this process's `process.version`. */
  node?: string
  /** Default: this process's `platform-arch`, e.g. linux-x64. */
  platform?: string
  /** `index/count` when the run was a shard. */
  shard?: string
  /**
   * The leak options in effect: one object, or one per project (recorded once when all projects
   * agree, else under `projects`). Made JSON-safe.
   */
  options?: RunOptions | ProjectRunOptions[]
}

/**
 * The run report the Vitest and Jest reporters write: their run metadata (Node and platform of this
 * process unless given), the options in effect and the records of the run.
 */
export function createRunReport(run: RunMetadata, tests: TestLeakRecord[], files?: SuiteFileRecord[]): RunReport {
  const options = runOptions(run.options)
  return {
    schemaVersion: runReportSchemaVersion,
    tool: 'leakproof',
    createdAt: new Date().toISOString(),
    run: {
      framework: run.framework,
      frameworkVersion: run.frameworkVersion,
      node: run.node ?? process.version,
      platform: run.platform ?? `${process.platform}-${process.arch}`,
      ...(run.shard ? { shard: run.shard } : {}),
      ...(options ? { options } : {}),
    },
    tests,
    ...(files && files.length ? { files } : {}),
  }
}

/** One RunOptions for the report: the projects' options collapsed when they agree. */
function runOptions(input: RunMetadata['options']): RunOptions | undefined {
  if (input === undefined) return undefined
  if (!Array.isArray(input)) return jsonSafe(input) as RunOptions
  const byProject = new Map<string, RunOptions>()
  for (const { project, ...options } of input) {
    if (!byProject.has(project)) byProject.set(project, jsonSafe(options) as RunOptions)
  }
  const distinct = new Set([...byProject.values()].map((o) => JSON.stringify(o)))
  if (distinct.size === 0) return undefined
  if (distinct.size === 1) return byProject.values().next().value
  return { projects: Object.fromEntries(byProject) }
}

/**
 * A JSON-safe copy of configured options: RegExps become `/source/flags` strings; functions,
 * symbols, undefined, non-finite numbers and other objects (an AbortSignal) are left out.
 */
function jsonSafe(value: unknown): unknown {
  if (value instanceof RegExp || Object.prototype.toString.call(value) === '[object RegExp]') return String(value)
  if (Array.isArray(value)) return value.map((v) => jsonSafe(v) ?? null)
  if (value && typeof value === 'object') {
    // Plain objects of any realm (Jest configs and test files live in different ones).
    if (Object.prototype.toString.call(value) !== '[object Object]') return undefined
    const out: Record<string, unknown> = {}
    for (const [key, v] of Object.entries(value)) {
      const safe = jsonSafe(v)
      if (safe !== undefined) out[key] = safe
    }
    return out
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value
  return undefined
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

/** Append one suite-level file record for the reporter (no-op without a records directory). */
export function appendSuiteRecord(record: SuiteFileRecord): void {
  const dir = process.env[recordsDirEnv]
  if (!dir) return
  mkdirSync(dir, { recursive: true })
  appendFileSync(join(dir, `${process.pid}.files`), JSON.stringify(record) + '\n')
}

/** Read the suite-level records of a run; a later record of a file (worker, order) replaces an earlier one. */
export function readSuiteRecords(dir: string): SuiteFileRecord[] {
  if (!existsSync(dir)) return []
  const byKey = new Map<string, SuiteFileRecord>()
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.files')).sort()) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (!line.trim()) continue
      const r = JSON.parse(line) as SuiteFileRecord
      byKey.set(`${r.worker}#${r.order}`, r)
    }
  }
  return [...byKey.values()].sort((a, b) => (a.worker === b.worker ? a.order - b.order : a.worker < b.worker ? -1 : 1))
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
