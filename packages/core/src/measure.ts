import v8 from 'node:v8'
import { LeakAbortError, LeakError, LeakTimeoutError, LeakproofUsageError } from './errors.js'
import { getGc, type ForcedGc } from './gc/force-gc.js'
import { GcCounter } from './gc/gc-stats.js'
import { settle } from './gc/settle.js'
import { fakeTimersActive, realTimeout } from './gc/timers.js'
import { describe, resolveOptions, type LeakOptions, type ResolvedOptions } from './options.js'
import { buildReport, type Findings } from './report/build-report.js'
import type { LeakReport } from './report/types.js'
import { callRepeatedly, LeakproofSubjectCalls, type CallState, type Subject } from './run/call-subject.js'
import { readHeap } from './run/heap-reading.js'
import { confirmWithSnapshots } from './run/confirm-stage.js'
import { watchResources, type ResourceWatch } from './resources/index.js'
import { screenStage } from './run/screen-stage.js'

export type { Subject }

// One measurement per process at a time: two interleaved subjects share one heap and every
// reading would mix them. Kept on `process`, which Jest's and Vitest's vm contexts share.
const activeKey = Symbol.for('leakproof.activeMeasurement')
type ProcessWithFlag = NodeJS.Process & { [activeKey]?: boolean }

/** Fraction of V8's heap limit the subject may take before we stop with a leak verdict. */
const memoryBudgetFraction = 0.5
/** Subject time the adaptive screening window may take, and how far it may grow. */
const screeningBudgetMs = 150
const maxScreeningFactor = 10

function checkSubject(subject: unknown): asserts subject is Subject {
  if (typeof subject !== 'function') {
    throw new LeakproofUsageError(
      `measureLeak needs a function to call repeatedly, got ${describe(subject)}. ` +
        `Wrap the code under test: measureLeak(() => handler(request))`,
    )
  }
}

/**
 * Call `subject` repeatedly and decide whether it retains memory per call.
 * Resolves with a report (leak or clean); rejects only for usage errors, the subject's own
 * error, a timeout or an abort.
 */
export async function measureLeak(subject: () => unknown, options?: LeakOptions): Promise<LeakReport> {
  checkSubject(subject)
  const opts = resolveOptions(options)
  const gc = getGc()
  const proc = process as ProcessWithFlag
  if (proc[activeKey]) {
    throw new LeakproofUsageError(
      'another leak measurement is already running in this process. Leak checks share one heap, ' +
        'so they cannot run concurrently: do not use them in test.concurrent / describe.concurrent, ' +
        'and await each measureLeak before starting the next.',
    )
  }
  if (opts.signal?.aborted) throw new LeakAbortError('the leak measurement was aborted before it started')
  proc[activeKey] = true

  const heapLimit = v8.getHeapStatistics().heap_size_limit
  const state: CallState = new LeakproofSubjectCalls(subject, process.memoryUsage.rss() + heapLimit * memoryBudgetFraction)
  const resources = opts.resources
    ? watchResources({
        ignoreResources: opts.ignore.resources,
        ignoreListeners: opts.ignore.listeners,
        ignoreSites: opts.ignore.sites,
      })
    : undefined

  return new Promise<LeakReport>((resolve, reject) => {
    let finished = false
    const finish = (error: Error | undefined, report?: LeakReport) => {
      if (finished) return
      finished = true
      cancelWatchdog()
      opts.signal?.removeEventListener('abort', onAbort)
      resources?.dispose()
      proc[activeKey] = false
      if (error) reject(error)
      else resolve(report!)
    }
    const stop = (error: Error) => {
      state.stopReason = error
      finish(error)
    }
    const cancelWatchdog = realTimeout(opts.timeout, () => stop(timeoutError(opts, state)))
    const onAbort = () => stop(new LeakAbortError('the leak measurement was aborted'))
    opts.signal?.addEventListener('abort', onAbort, { once: true })

    run(state, opts, gc, resources).then(
      (report) => finish(undefined, report),
      (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
    )
  })
}

/** Screening calls: the option, or, when adaptive, as many as fit the time budget (up to 10x). */
function screeningCalls(opts: ResolvedOptions, perCallMs: number, callsSoFar: number): number {
  if (!opts.adaptiveIterations) return opts.iterations
  const byTime = perCallMs > 0 ? Math.floor(screeningBudgetMs / perCallMs) : opts.iterations * maxScreeningFactor
  const byBudget = Math.floor((opts.maxIterations - callsSoFar) / 2)
  return Math.max(opts.iterations, Math.min(byTime, opts.iterations * maxScreeningFactor, byBudget))
}

function timeoutError(opts: ResolvedOptions, state: CallState): LeakTimeoutError {
  const fake = fakeTimersActive()
    ? ' Fake timers are installed (vi.useFakeTimers / jest.useFakeTimers): a subject that awaits ' +
      'a timer never settles under them. Call vi.useRealTimers() / jest.useRealTimers() before ' +
      'measuring, or advance the clock inside the subject.'
    : ''
  return new LeakTimeoutError(
    `the leak measurement did not finish within ${opts.timeout} ms (${state.calls} calls made; ` +
      `the last call may never have settled).${fake} Raise the "timeout" option, or lower ` +
      `"iterations"/"warmup" for a slow subject.`,
  )
}

async function run(
  state: CallState,
  opts: ResolvedOptions,
  gc: ForcedGc,
  resources: ResourceWatch | undefined,
): Promise<LeakReport> {
  const started = performance.now()
  const counter = new GcCounter()
  counter.start()
  const findings: Findings = { decision: [], measured: 0, warmup: 0 }
  const settleCounted = async () => {
    await settle(gc)
    counter.stats.forced += 2
  }

  const before = readHeap()
  // Tracking starts before warm-up: turning it on costs a one-off heap step (its own code and
  // hooks) that must not land in the measured rounds. Only growth between checkpoints counts.
  resources?.begin()
  const warmupStarted = performance.now()
  findings.warmup = await callRepeatedly(state, opts.warmup)
  const warmupCallMs = (performance.now() - warmupStarted) / Math.max(1, findings.warmup)
  findings.decision.push({
    stage: 'warmup',
    iterations: findings.warmup,
    bytesPerIteration: 0,
    outcome: 'clean',
    note: 'JIT tiering, inline caches and one-time state settle here; not measured',
  })

  // Screening: rounds of calls, then whether what they allocated is still alive.
  const rounds = opts.samples - 1
  const perRound = Math.ceil(screeningCalls(opts, warmupCallMs, state.calls) / rounds)
  const { screened, callMs } = await screenStage({ state, opts, gc, resources, findings, counter, perRound, rounds })
  if (!state.memoryExhausted) {
    resources?.checkpoint(findings.measured)
    const found = resources ? await resources.finish() : { resources: [], listeners: [] }
    findings.resources = found.resources
    findings.listeners = found.listeners
  }

  if (state.memoryExhausted) {
    await settleCounted()
    const now = readHeap()
    const calls = Math.max(1, state.calls)
    findings.heapRate = (now.heap - before.heap) / calls
    findings.externalRate = (now.external - before.external) / calls
    findings.heapLeak = findings.heapRate >= opts.threshold
    findings.externalLeak = findings.externalRate >= opts.threshold || !findings.heapLeak
    findings.decision.push({
      stage: 'abort',
      iterations: state.calls,
      bytesPerIteration: findings.heapRate,
      externalBytesPerIteration: findings.externalRate,
      outcome: 'leak',
      note: `stopped early after ${state.calls} calls: memory grew past ${Math.round(state.rssLimit / 2 ** 20)} MB RSS, half of V8's heap limit above the starting point`,
    })
    return finishReport(findings, opts, gc, counter, started)
  }

  if (!screened) throw new Error('leakproof: screening produced no result')
  findings.screen = screened
  const suspect = screened.heapSuspect || screened.externalSuspect
  findings.heapRate = screened.heapSlope
  findings.externalRate = screened.externalSlope
  if (suspect) {
    await confirmWithSnapshots({
      state,
      opts,
      findings,
      settle: settleCounted,
      perCallMs: callMs / Math.max(1, findings.measured),
      screenCalls: findings.measured,
      startedAt: started,
    })
  }
  return finishReport(findings, opts, gc, counter, started)
}

function finishReport(
  findings: Findings,
  opts: ResolvedOptions,
  gc: ForcedGc,
  counter: GcCounter,
  started: number,
): LeakReport {
  const gcStats = counter.stop()
  return buildReport(findings, opts, gcStats, gc.source, performance.now() - started)
}

/** Like measureLeak, but throws a LeakError carrying the report when the subject leaks. */
export async function assertNoLeak(subject: () => unknown, options?: LeakOptions): Promise<LeakReport> {
  const report = await measureLeak(subject, options)
  if (report.leaked) throw new LeakError(report)
  return report
}
