// Suite-level mode: which test file leaks the worker.
//
// The cheap path, per file: a WeakRef to the file's global object (kept by the worker's main-realm
// registry, host.ts), and one forced GC at the next file boundary — when the next file starts, or
// when the worker has idled for a moment after the file ended, or when it exits. A file whose
// global is gone was released. Only a file still reachable costs a heap snapshot: its retainer
// path from a GC root, its retained size and what kind of holder keeps it.

import { randomBytes } from 'node:crypto'
import { threadId } from 'node:worker_threads'
import { nextMacrotask } from '../gc/timers.js'
import { relativePath } from '../report/paths.js'
import { appendSuiteRecord, type SuiteFileRecord } from '../report/run-report.js'
import { formatBytes } from '../report/units.js'
import { explainWorlds, releasedBeforeSnapshot, type WorldExplanation } from './explain.js'
import { holderAdvice, holderFails, type HolderKind } from './holder.js'
import { hostRegistry, type HostRegistry, type HostWorldResult } from './host.js'
import type { ResolvedSuiteOptions } from './options.js'

/** What the adapter says when a held file is found. */
export type HeldFileHandler = (record: SuiteFileRecord, message: string) => void

export interface SuiteWatchSettings {
  options: ResolvedSuiteOptions
  /** Where held files are told (default: stderr). */
  onHeld?: HeldFileHandler
  /** Project root for relative file names (default: LEAKPROOF_ROOT or the cwd). */
  root?: string
}

/** This worker's id in records: the process, and the thread in a thread pool. */
export function workerId(): string {
  return threadId ? `${process.pid}/${threadId}` : String(process.pid)
}

const lastHeapKey = Symbol.for('leakproof.suite.lastHeap')

/** The pending idle check of this worker (one at a time, whichever SuiteWatch scheduled it). */
const idle: { cancel?: () => void } = {}
let reporting: Promise<unknown> = Promise.resolve()

/** The heap after the previous check in this worker (kept on the main realm's registry object). */
function lastHeap(registry: HostRegistry): number | undefined {
  return (registry as unknown as Record<symbol, number | undefined>)[lastHeapKey]
}
function setLastHeap(registry: HostRegistry, value: number): void {
  ;(registry as unknown as Record<symbol, number | undefined>)[lastHeapKey] = value
}

export class SuiteWatch {
  private readonly registry = hostRegistry()
  private readonly settings: SuiteWatchSettings
  private current: number | undefined

  constructor(settings: SuiteWatchSettings) {
    this.settings = settings
  }

  /**
   * A file is about to run: check the files that ended before it (those the idle check has not
   * already decided), and report them. Await it before the file's own code runs.
   */
  async beforeFile(): Promise<SuiteFileRecord[]> {
    idle.cancel?.()
    await this.checkPending('next-file')
    return this.report()
  }

  /** The file starts: watch its world (its global object). Returns its order in this worker. */
  fileStarted(file: string, world: object): number {
    const token = randomBytes(12).toString('hex')
    const name = relativePath(file, this.settings.root)
    this.current = this.registry.add(name, token, world)
    // Replaced by the check's record; stays when the worker is killed before its last file is checked.
    appendSuiteRecord({ file: name, worker: workerId(), order: this.current, verdict: 'unchecked', failed: false })
    return this.current
  }

  /** The file ended (its environment was torn down): check it once the worker idles. */
  fileEnded(opts: { idle?: boolean } = {}): void {
    if (this.current === undefined) return
    this.registry.ended(this.current)
    this.current = undefined
    if (opts.idle !== false) this.scheduleIdle()
  }

  /**
   * Check (and report) the ended file once the worker has idled for `idleMs`: the runner has
   * returned from the file by then. Unref'd: it never keeps a worker alive. A next file that
   * starts first does the check instead (beforeFile cancels this one).
   */
  private scheduleIdle(): void {
    idle.cancel?.()
    let cancelled = false
    const timer = setTimeout(() => {
      if (cancelled) return
      void (async () => {
        await this.checkPending('idle')
        if (!cancelled) await this.report()
      })().catch(() => undefined)
    }, this.settings.options.idleMs)
    timer.unref?.()
    idle.cancel = () => {
      cancelled = true
      clearTimeout(timer)
    }
  }

  /** The worker ends: check what is still pending (the last file) and report. */
  async workerEnd(opts: { explain?: boolean } = {}): Promise<SuiteFileRecord[]> {
    idle.cancel?.()
    await this.checkPending('worker-end')
    return this.report(opts)
  }

  /** The ended files: one GC; those still alive (suspects) get a second GC in a later job. */
  private async checkPending(at: string): Promise<void> {
    for (let look = 0; look < 2 && this.registry.pendingCount() > 0; look++) {
      // Leave the job in which anything may have dereferenced a marker.
      await nextMacrotask()
      this.registry.check(at)
    }
  }

  /** Results of checks made so far (by this or an idle check): recorded, held ones explained. */
  report(opts: { explain?: boolean } = {}): Promise<SuiteFileRecord[]> {
    // One at a time in a worker: two heap snapshots at once would double the peak memory.
    const next = reporting.then(() => this.reportNow(opts.explain ?? this.settings.options.explain))
    reporting = next.catch(() => [])
    return next
  }

  private async reportNow(explain: boolean): Promise<SuiteFileRecord[]> {
    const results = this.registry.takeResults()
    if (results.length === 0) return []
    const { options } = this.settings
    const held = results.filter((r) => !r.released && !options.ignoreFiles.some((p) => p.test(r.file)))
    // Recorded before the snapshot, so that a worker killed while it is taken still names the file.
    for (const r of held) appendSuiteRecord(this.record(r, { holder: 'unknown', note: explain ? 'the worker ended before the heap snapshot for the retainer path' : 'no heap snapshot (explain: false, or the worker was ending)' }, false))
    // A new job: the check dereferenced the held worlds' WeakRefs in its own.
    if (held.length && explain) await nextMacrotask()
    const explained: Map<string, WorldExplanation> = explain
      ? await explainWorlds(held.map((r) => r.token)).catch(() => new Map<string, WorldExplanation>())
      : new Map(held.map((r) => [r.token, { holder: 'unknown', note: 'no heap snapshot (explain: false, or the worker was ending)' } satisfies WorldExplanation]))
    const records: SuiteFileRecord[] = []
    for (const r of results) {
      const record = this.record(r, explained.get(r.token))
      records.push(record)
      if (!r.released) this.registry.forget(r.order)
      appendSuiteRecord(record)
      if (record.verdict === 'released') continue
      if (record.verdict === 'held' && record.note !== 'ignored') (this.settings.onHeld ?? defaultOnHeld)(record, formatHeldFile(record))
    }
    return records
  }

  private record(r: HostWorldResult, explanation: WorldExplanation | undefined, final = true): SuiteFileRecord {
    const previous = final ? lastHeap(this.registry) : undefined
    if (final) setLastHeap(this.registry, r.heapUsed)
    const base: SuiteFileRecord = {
      file: r.file,
      worker: workerId(),
      order: r.order,
      verdict: r.released ? 'released' : 'held',
      failed: false,
      heapUsedAfterGc: r.heapUsed,
      ...(previous !== undefined ? { heapGrowth: r.heapUsed - previous } : {}),
      checkedAt: r.at,
    }
    if (r.released) return base
    // Gone by the time of the snapshot: released late (a timer or the runner let go after the GC).
    if (explanation?.note === releasedBeforeSnapshot) return { ...base, verdict: 'released', note: 'released late: gone by the heap snapshot' }
    const { options } = this.settings
    if (options.ignoreFiles.some((p) => p.test(r.file))) return { ...base, note: 'ignored' }
    const holder: HolderKind = explanation?.holder ?? 'unknown'
    const path = explanation?.retainerPath
    const ignoredHolder = path !== undefined && options.ignoreHolders.some((p) => p.test(path))
    return {
      ...base,
      failed: options.onLeak === 'fail' && !ignoredHolder && holderFails(holder),
      ...(path ? { retainerPath: path } : {}),
      holder,
      ...(explanation?.retainedBytes !== undefined ? { retainedBytes: explanation.retainedBytes } : {}),
      advice: holderAdvice(holder),
      ...(ignoredHolder ? { note: 'holder ignored by ignore.holders' } : explanation?.note ? { note: explanation.note } : {}),
    }
  }
}

function defaultOnHeld(_record: SuiteFileRecord, message: string): void {
  process.stderr.write(message + '\n')
}

/** The text a user reads for a held file. */
export function formatHeldFile(r: SuiteFileRecord): string {
  const lines = [
    `leakproof: test file ${r.file} was not released after it ended: its global object (and so its modules and everything they made) is still reachable after a forced GC.`,
  ]
  lines.push(`  Held by: ${r.retainerPath ?? `(no retainer path${r.note ? `: ${r.note}` : ''})`}`)
  if (r.advice) lines.push(`  Holder: ${r.advice}`)
  const sizes: string[] = []
  if (r.retainedBytes !== undefined) sizes.push(`${formatBytes(r.retainedBytes)} retained only through this file's world`)
  if (r.heapUsedAfterGc !== undefined) {
    const growth = r.heapGrowth !== undefined ? ` (${r.heapGrowth >= 0 ? '+' : ''}${formatBytes(r.heapGrowth)} since the file before it)` : ''
    sizes.push(`worker heap after GC ${formatBytes(r.heapUsedAfterGc)}${growth}`)
  }
  if (sizes.length) lines.push(`  Size: ${sizes.join('; ')}`)
  lines.push(
    `  Not yours to fix? Leave it out with the suite option ignore: { files: ['${r.file}'] }, or ignore: { holders: ['<part of the path>'] }; onLeak: 'warn' reports without failing.`,
  )
  return lines.join('\n')
}

/** The summary line and blocks a reporter prints for the held files of a run. */
export function formatSuiteSummary(records: readonly SuiteFileRecord[]): string {
  const held = records.filter((r) => r.verdict === 'held' && r.note !== 'ignored')
  const checked = records.filter((r) => r.verdict !== 'unchecked').length
  const head = `leakproof suite: ${records.length} test file${records.length === 1 ? '' : 's'} watched, ${checked} checked, ${held.length} not released`
  if (!held.length) return head
  const lines = held.map((r) => `  ${r.failed ? '✗' : '!'} ${r.file}  ${r.holder ?? 'unknown'}: ${r.retainerPath ?? r.note ?? '(no retainer path)'}`)
  return [head + ':', ...lines].join('\n')
}

export type { HostWorldResult }
