import v8 from 'node:v8'
import { LeakAbortError, LeakError, LeakInconclusiveError, LeakTimeoutError, LeakproofUsageError } from './errors.js'
import { getGc, type ForcedGc } from './gc/force-gc.js'
import { GcCounter } from './gc/gc-stats.js'
import { settle } from './gc/settle.js'
import { fakeTimersActive, realNow, realTimeout } from './gc/timers.js'
import { describe, resolveOptions, type LeakOptions, type ResolvedOptions } from './options.js'
import { buildReport, type Findings } from './report/build-report.js'
import type { InconclusiveDetail, LeakReport } from './report/types.js'
import { callRepeatedly, LeakproofSubjectCalls, type CallState, type Subject } from './run/call-subject.js'
import { readHeap } from './run/heap-reading.js'
import { confirmWithSnapshots } from './run/confirm-stage.js'
import { decideAtDeadline, formatMs, OutOfTime } from './run/out-of-time.js'
import { watchResources, type ResourceWatch } from './resources/index.js'
import { screenStage } from './run/screen-stage.js'
import { pauseTiering } from './run/tiering.js'

export type { Subject }

// One measurement per process at a time: two interleaved subjects share one heap and every
// reading would mix them. Kept on `process`, which Jest's and Vitest's vm contexts share.
const activeKey = Symbol.for('leakproof.activeMeasurement')
/** The running measurement: the name of the test that started it, or true when not known. */
type ProcessWithFlag = NodeJS.Process & { [activeKey]?: boolean | string }

/** Fraction of V8's heap limit the subject may take before we stop with a leak verdict. */
const memoryBudgetFraction = 0.5
/** Bound on the first call's settling, before the measurement fails early. */
const firstCallBoundMs = 5_000
/** Calls after which the subject's pace is checked against the timeout. */
const pacingCalls = 5
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

/** What one measurement has found so far: a report can be built from it at any point (the deadline). */
interface Measurement {
  findings: Findings
  counter: GcCounter
  /** realNow() when the measurement started (the real clock: fake timers replace performance.now). */
  started: number
}

/**
 * Call `subject` repeatedly and decide whether it retains memory per call.
 * Resolves with a report: `verdict` leak, clean, or inconclusive (out of time before the evidence
 * decided; `leaked` false). Rejects only for usage errors, the subject's own error, a call that
 * never settled, a subject too slow for a check, or an abort.
 */
export async function measureLeak(subject: () => unknown, options?: LeakOptions): Promise<LeakReport> {
  return measureLeakOf(undefined, subject, options)
}

/** measureLeak on behalf of a test (`owner`, its name): a concurrent check's error names it. */
export async function measureLeakOf(owner: string | undefined, subject: () => unknown, options?: LeakOptions): Promise<LeakReport> {
  return measureWith(owner, subject, options, false)
}

/**
 * The screen alone, on behalf of `owner`: no heap snapshots. A report whose verdict is clean
 * (see screenedClean) cleared the subject; anything else (suspect at the screen, a leak found
 * by the memory guard or the resource watch, out of time) needs a full measurement to decide.
 * Per-test mode screens a group of tests this way and measures only the groups it did not clear.
 */
export async function screenLeakOf(owner: string | undefined, subject: () => unknown, options?: LeakOptions): Promise<LeakReport> {
  return measureWith(owner, subject, options, true)
}

/** Whether a report of screenLeakOf cleared its subject. */
export function screenedClean(report: LeakReport): boolean {
  return report.verdict === 'clean' && !report.decision.some((d) => d.outcome === 'suspect')
}

async function measureWith(owner: string | undefined, subject: () => unknown, options: LeakOptions | undefined, screenOnly: boolean): Promise<LeakReport> {
  checkSubject(subject)
  const opts = resolveOptions(options)
  const gc = getGc()
  const proc = process as ProcessWithFlag
  const running = proc[activeKey]
  if (running) {
    throw new LeakproofUsageError(
      `another leak measurement is already running in this process${typeof running === 'string' ? ` (started by the test "${running}")` : ''}. Leak checks share one heap, ` +
        'so they cannot run concurrently: do not use them in test.concurrent / describe.concurrent, ' +
        'and await each measureLeak before starting the next.',
    )
  }
  if (opts.signal?.aborted) throw new LeakAbortError('the leak measurement was aborted before it started')
  proc[activeKey] = owner ?? true

  const heapLimit = v8.getHeapStatistics().heap_size_limit
  const startedAt = realNow()
  const state: CallState = new LeakproofSubjectCalls(
    subject,
    process.memoryUsage.rss() + heapLimit * memoryBudgetFraction,
    startedAt + opts.timeout,
    // Between calls: out of time, unless not one call settled in the whole budget.
    () => (state.settled === 0 ? timeoutError(opts, state) : new OutOfTime()),
  )
  const m: Measurement = {
    findings: { stage: 'warmup', decision: [], measured: 0, warmup: 0 },
    counter: new GcCounter(),
    started: realNow(),
  }
  // Out of time with the calls still settling: the report says what the evidence so far decided.
  const outOfTimeReport = () => {
    const inconclusive = decideAtDeadline(m.findings, {
      calls: state.calls,
      callMs: state.callMs,
      timeoutMs: opts.timeout,
      resources: opts.resources,
    })
    return finishReport(m, opts, gc, inconclusive)
  }
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
      cancelFirstCall()
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
    // The watchdog: a call that stopped settling is the subject's fault, an error; calls still
    // settling mean the budget was too small, and the evidence so far gives the verdict.
    const cancelWatchdog = realTimeout(opts.timeout, () => {
      if (callStuck(opts, state)) return stop(timeoutError(opts, state))
      state.stopReason = new OutOfTime()
      finishWith(outOfTimeReport)
    })
    const finishWith = (report: () => LeakReport) => {
      if (finished) return
      try {
        finish(undefined, report())
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)))
      }
    }
    // A first call that has not settled after a short while will not settle in time either
    // (a subject awaiting a timer under fake timers, a request nobody answers): fail now.
    const cancelFirstCall = realTimeout(Math.min(firstCallBoundMs, opts.timeout), () => {
      if (state.settled === 0 && state.calls === 1) stop(firstCallError(opts, state))
    })
    const onAbort = () => stop(new LeakAbortError('the leak measurement was aborted'))
    opts.signal?.addEventListener('abort', onAbort, { once: true })

    run(state, opts, gc, resources, m, screenOnly).then(
      (report) => finish(undefined, report),
      (error: unknown) =>
        error instanceof OutOfTime ? finishWith(outOfTimeReport) : finish(error instanceof Error ? error : new Error(String(error))),
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

function fakeTimersHint(): string {
  return fakeTimersActive()
    ? ' Fake timers are installed (vi.useFakeTimers / jest.useFakeTimers): a subject that awaits ' +
        'a timer never settles under them. Call vi.useRealTimers() / jest.useRealTimers() before ' +
        'measuring, or advance the clock inside the subject.'
    : ''
}

/** A call pending this many times the subject's mean call time (and at least a second) has stopped. */
const stuckFactor = 50
const minStuckMs = 1000

/**
 * Whether the call running at the deadline has stopped settling: the first call (not one call
 * settled within the whole budget), or one pending for a large part of the budget or for far longer
 * than the subject's calls take. A counter still moving means the budget was too small for this
 * subject, not that the subject is broken.
 */
function callStuck(opts: ResolvedOptions, state: CallState): boolean {
  if (state.settled >= state.calls) return false
  if (state.settled === 0) return true
  const waited = realNow() - state.callStartedAt
  if (waited > opts.timeout / 4) return true
  return waited > Math.max(minStuckMs, (stuckFactor * state.callMs) / state.settled)
}

function timeoutError(opts: ResolvedOptions, state: CallState): LeakTimeoutError {
  if (state.calls === 0) {
    return new LeakTimeoutError(
      `the leak measurement did not finish within ${opts.timeout} ms: the time ran out before the first call. Raise the "timeout" option.`,
    )
  }
  const waited = realNow() - state.callStartedAt
  return new LeakTimeoutError(
    `the leak measurement did not finish within ${opts.timeout} ms: call ${state.calls} has not settled ` +
      `after ${formatMs(waited)}.${fakeTimersHint()} Raise the "timeout" option if a call can take that long; ` +
      `otherwise check that the promise the subject returns resolves.`,
  )
}

function firstCallError(opts: ResolvedOptions, state: CallState): LeakTimeoutError {
  return new LeakTimeoutError(
    `the subject's first call has not settled after ${formatMs(realNow() - state.callStartedAt)}: a leak check ` +
      `calls it hundreds of times, so it must settle on its own.${fakeTimersHint()} Check that the ` +
      `promise it returns resolves (a request that is answered, a timer that fires).`,
  )
}

/**
 * After warm-up's first calls: a subject too slow for the calls a verdict needs within the
 * timeout fails now, with its cost per call and what to change, rather than at the timeout.
 */
function checkPace(opts: ResolvedOptions, calls: number, elapsedMs: number, spentMs: number): void {
  if (calls === 0) return
  const perCall = elapsedMs / calls
  const needed = opts.warmup + opts.iterations
  const projected = spentMs + perCall * needed
  if (projected <= opts.timeout) return
  const fits = Math.max(1, Math.floor(opts.timeout / perCall / 3))
  throw new LeakTimeoutError(
    `the subject takes ${formatMs(perCall)} per call; a leak check makes at least ${needed} calls ` +
      `(warmup ${opts.warmup} + iterations ${opts.iterations}), about ${formatMs(projected)}, more than the ` +
      `timeout of ${formatMs(opts.timeout)}. Make each call cheaper (a smaller input), lower the counts ` +
      `(e.g. { warmup: ${Math.max(1, Math.floor(fits / 3))}, iterations: ${Math.max(10, fits)} }), or raise "timeout".`,
  )
}

async function run(
  state: CallState,
  opts: ResolvedOptions,
  gc: ForcedGc,
  resources: ResourceWatch | undefined,
  m: Measurement,
  screenOnly: boolean,
): Promise<LeakReport> {
  const { findings, counter } = m
  counter.start()

  const before = readHeap()
  // Tracking starts before warm-up: turning it on costs a one-off heap step (its own code and
  // hooks) that must not land in the measured rounds. Only growth between checkpoints counts.
  resources?.begin()
  const warmupStarted = realNow()
  // The first call may do one-time work (a lazy initialisation): the next few tell the subject's
  // pace; the rest of the warm-up follows.
  findings.warmup = await callRepeatedly(state, Math.min(opts.warmup, 1))
  const probe = Math.min(opts.warmup - findings.warmup, pacingCalls)
  const rssBefore = process.memoryUsage.rss()
  const probeStarted = realNow()
  const probed = await callRepeatedly(state, probe)
  findings.warmup += probed
  // A subject that would exhaust memory before the timeout gets its leak verdict from the
  // memory guard instead.
  const rssPerCall = (process.memoryUsage.rss() - rssBefore) / Math.max(1, probed)
  if (rssPerCall * (opts.warmup + opts.iterations) < state.rssLimit - rssBefore) {
    checkPace(opts, probed, realNow() - probeStarted, realNow() - warmupStarted)
  }
  // The last third of the warm-up and the screen run without new compiled code (see
  // run/tiering.ts): what the first part compiled is what the windows run, and the jobs it queued
  // finish during that last third, before sampling starts.
  const rest = opts.warmup - findings.warmup
  findings.warmup += await callRepeatedly(state, rest - Math.ceil(rest / 3))
  const resumeTiering = pauseTiering()
  try {
    findings.warmup += await callRepeatedly(state, opts.warmup - findings.warmup)
    return await screenAndDecide()
  } finally {
    resumeTiering()
  }

  // The screen, and the snapshots when it is suspect (tiering resumes between them).
  async function screenAndDecide(): Promise<LeakReport> {
    const { started } = m
    const settleCounted = async () => {
      await settle(gc)
      counter.stats.forced += 2
    }
    const warmupCallMs = (realNow() - warmupStarted) / Math.max(1, findings.warmup)
    findings.decision.push({
      stage: 'warmup',
      iterations: findings.warmup,
      bytesPerIteration: 0,
      outcome: 'clean',
      note: 'JIT tiering, inline caches and one-time state settle here; not measured',
    })

    // Screening: rounds of calls, then whether what they allocated is still alive.
    findings.stage = 'screen'
    const rounds = opts.samples - 1
    const perRound = Math.ceil(screeningCalls(opts, warmupCallMs, state.calls) / rounds)
    const { screened, callMs } = await screenStage({ state, opts, gc, resources, findings, counter, perRound, rounds, survivorsOnly: screenOnly })
    resumeTiering()
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
      return finishReport(m, opts, gc)
    }

    if (!screened) throw new Error('leakproof: screening produced no result')
    findings.screen = screened
    const suspect = screened.heapSuspect || screened.externalSuspect
    findings.heapRate = screened.heapSlope
    findings.externalRate = screened.externalSlope
    if (suspect && !screenOnly) {
      findings.stage = 'confirm'
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
    return finishReport(m, opts, gc)
  }
}

function finishReport(m: Measurement, opts: ResolvedOptions, gc: ForcedGc, inconclusive?: InconclusiveDetail): LeakReport {
  // A copy: a run the deadline overtook may still stop the counter again.
  const gcStats = { ...m.counter.stop() }
  return buildReport(m.findings, opts, gcStats, gc.source, realNow() - m.started, inconclusive)
}

/**
 * Like measureLeak, but throws a LeakError carrying the report when the subject leaks, and a
 * LeakInconclusiveError when the check was inconclusive and the `inconclusive` option is 'fail'.
 */
export async function assertNoLeak(subject: () => unknown, options?: LeakOptions): Promise<LeakReport> {
  const report = await measureLeak(subject, options)
  if (report.leaked) throw new LeakError(report)
  if (report.verdict === 'inconclusive' && resolveOptions(options).inconclusive === 'fail') throw new LeakInconclusiveError(report)
  return report
}
