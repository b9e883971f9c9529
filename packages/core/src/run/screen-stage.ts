// The screen: a cheap first look at whether the subject's calls retain memory. Two ways:
// - survivors (the default): objects the measured calls allocated that are still alive, sampled
//   by V8's heap profiler; scavenges between rounds, one full collection (V8's, when it reports
//   the profile) at the end, a few more only when the survivors look suspect.
// - heap readings (without an inspector, or for a subject that allocates so much that sampling
//   could not see a threshold-sized leak): a full GC and a heap reading after every round.
import type { ForcedGc } from '../gc/force-gc.js'
import { drainImmediates, settle, settleRound } from '../gc/settle.js'
import { nextMacrotask, realNow } from '../gc/timers.js'
import type { GcCounter } from '../gc/gc-stats.js'
import type { ResolvedOptions } from '../options.js'
import type { ResourceWatch } from '../resources/index.js'
import { screen, screenSurvivors, type ScreenResult } from '../verdict/screen.js'
import { callRepeatedly, type CallState } from './call-subject.js'
import type { Findings } from './findings.js'
import { SampleSeries, type HeapReading } from '../samples/series.js'
import { drain, isShrinking, maxDrainRounds, readHeap } from './heap-reading.js'
import { allocationPerCall, startSurvivorSampling, type SurvivorCount } from './survivors.js'

export interface ScreenStageInput {
  state: CallState
  opts: ResolvedOptions
  gc: ForcedGc
  resources: ResourceWatch | undefined
  findings: Findings
  counter: GcCounter
  /** Calls per round and rounds (samples - 1). */
  perRound: number
  rounds: number
  /**
   * Screen by survivors or not at all: a subject that allocates too much per call for sampling to
   * see a threshold-sized leak is reported suspect at once (a group of tests in per-test mode,
   * which is then split), instead of screened by heap readings.
   */
  survivorsOnly?: boolean
}

export interface ScreenStageResult {
  screened: ScreenResult | undefined
  /** Wall time of the measured calls, for sizing later intervals. */
  callMs: number
}

/** Expected samples a threshold-sized leak must give over the window for sampling to see it. */
const minExpectedSamples = 8
/** Samples per window the interval aims at for a threshold-sized leak (about 6 a round). */
const targetSamples = 64
/**
 * Samples per window at most, whatever the subject allocates (each costs a stack walk of a few
 * microseconds): a whole test run in per-test mode allocates tens of KB.
 */
const maxWindowSamples = 200_000
/**
 * Samples per window a screen-only check (a group of tests in per-test mode) may take when it
 * allocates too much for maxWindowSamples at an interval that still sees its threshold. Measured on
 * Jest groups (10 tests, 1 MB a run, mostly expect()'s matcher closures): sampling them that finely
 * costs ~5 µs a sample, less than splitting them unscreened into checks that each pay their own
 * warm-up and window.
 */
const maxGroupWindowSamples = 600_000
const minInterval = 128

/** Sampling interval for a window of `calls`: fine enough for the threshold, coarse enough to be cheap. */
export function samplingInterval(threshold: number, calls: number, allocatedPerCall: number): number {
  return Math.max(minInterval, (threshold * calls) / targetSamples, (allocatedPerCall * calls) / maxWindowSamples)
}

/**
 * The interval a screen samples at, or undefined when sampling cannot see a threshold-sized leak
 * at a bearable cost. A screen-only check (a group of tests) that allocates too much for
 * maxWindowSamples is sampled at the coarsest interval that still sees its threshold, up to
 * maxGroupWindowSamples. Pure.
 */
export function screenInterval(threshold: number, calls: number, allocatedPerCall: number, screenOnly: boolean): number | undefined {
  let interval = samplingInterval(threshold, calls, allocatedPerCall)
  const coarsestSeeing = Math.max(minInterval, (threshold * calls) / minExpectedSamples)
  if (screenOnly && interval > coarsestSeeing && (allocatedPerCall * calls) / coarsestSeeing <= maxGroupWindowSamples) interval = coarsestSeeing
  return (threshold * calls) / interval >= minExpectedSamples ? interval : undefined
}

export async function screenStage(input: ScreenStageInput): Promise<ScreenStageResult> {
  const { opts, perRound, rounds, state } = input
  const calls = perRound * rounds
  const rate = await allocationPerCall(async () => {
    const made = await callRepeatedly(state, 1)
    input.findings.warmup += made
    return made
  }, input.gc.minor)
  const interval = screenInterval(opts.threshold, calls, rate, input.survivorsOnly === true)
  if (interval !== undefined) {
    const result = await screenBySurvivors(input, interval)
    if (result) return result
  }
  if (input.survivorsOnly) return unscreened(input, rate)
  return screenByReadings(input)
}

function unscreened(input: ScreenStageInput, allocatedPerCall: number): ScreenStageResult {
  input.findings.decision.push({
    stage: 'screen',
    iterations: 0,
    bytesPerIteration: 0,
    outcome: 'suspect',
    note: `not screened: ${Math.round(allocatedPerCall / 1024)} KB allocated per call, too much for sampling to see ${input.opts.threshold} B/call`,
  })
  return {
    screened: { heapSlope: 0, externalSlope: 0, heapSuspect: true, externalSuspect: false, shrinking: false, noisyJump: undefined },
    callMs: 0,
  }
}

/** Windows a survivor screen may take: the second lets one-off JIT metadata of the first fade. */
const maxSurvivorWindows = 2

async function screenBySurvivors(input: ScreenStageInput, interval: number): Promise<ScreenStageResult | undefined> {
  const { state, opts, gc, resources, findings, perRound, rounds } = input
  const sampling = await startSurvivorSampling(interval)
  if (!sampling) return undefined
  const subject = sampling.wrap(state.subject)
  let callMs = 0
  // One window of rounds; resolves with the calls made at each mark and the readings there.
  const runWindow = async (first: boolean, perRound: number) => {
    sampling.newWindow()
    // Two scavenges: earlier young garbage is gone before the first reading of `external`.
    gc.minor()
    gc.minor()
    const readings: HeapReading[] = [readHeap()]
    const marks: number[] = [findings.measured]
    if (first) resources?.checkpoint(findings.measured)
    sampling.mark()
    for (let r = 1; r <= rounds && !state.memoryExhausted; r++) {
      const t = realNow()
      findings.measured += await callRepeatedly(state, perRound, subject)
      callMs += realNow() - t
      gc.minor()
      sampling.mark()
      marks.push(findings.measured)
      readings.push(readHeap())
      if (first && r === rounds >> 1) resources?.checkpoint(findings.measured)
    }
    return { marks, readings }
  }
  const judge = (window: { marks: number[]; readings: HeapReading[] }, count: SurvivorCount) => {
    const series = new SampleSeries(window.marks.length)
    let cumulative = window.readings[0]!.heap
    series.add(window.marks[0]!, { ...window.readings[0]!, heap: cumulative })
    for (let r = 1; r < window.marks.length; r++) {
      cumulative += count.bytesPerRound[r - 1]!
      series.add(window.marks[r]!, { ...window.readings[r]!, heap: cumulative })
    }
    findings.series = series
    return screenSurvivors(series, count.largest, opts.threshold, input.survivorsOnly === true)
  }
  // Reading the profile collects fully (V8 does it), once. Before it, real macrotasks: V8 keeps
  // WeakRef targets alive until the job that created or dereferenced them ends, and a loop of
  // synchronous calls is one job (Node's AbortSignal and the resource watch hold their targets
  // through WeakRefs: every Timeout of the window survived, measured); handles closed during the
  // calls are released in the loop's close phase, a turn later.
  // The window's last reading of `external` is retaken after that collection and a turn: backing
  // stores of dropped ArrayBuffers are freed by a concurrent sweeper, so a reading after scavenges
  // still held megabytes of a clean subject's temporaries (4 KB ArrayBuffers, measured).
  const read = async (window: { readings: HeapReading[] }) => {
    await nextMacrotask()
    await nextMacrotask()
    const count = await sampling.read()
    input.counter.stats.forced += 1
    await nextMacrotask()
    const last = window.readings.length - 1
    window.readings[last] = { ...window.readings[last]!, external: readHeap().external }
    return count
  }
  try {
    let screened: ScreenResult | undefined
    let callsPerRound = perRound
    for (let attempt = 0; attempt < maxSurvivorWindows && !state.memoryExhausted; attempt++) {
      const window = await runWindow(attempt === 0, callsPerRound)
      if (state.memoryExhausted) break
      let count = await read(window)
      if (!count) return undefined
      screened = judge(window, count)
      if (screened.heapSuspect) {
        // Settled the way a heap snapshot is before the confirmation's verdict: deferred work run,
        // then collections and turns until the heap stops shrinking (FinalizationRegistry
        // cleanups that release more, WeakRefs of the resource watch, a test runner's per-run
        // state released a few turns later). Measured in Vitest's per-test mode: 17-34 B/run of
        // a clean test's survivors after one collection, all of it gone in the snapshots.
        await drainImmediates()
        await drain(async () => {
          await settle(gc)
          input.counter.stats.forced += 2
        })
        count = await read(window)
        if (!count) return undefined
        screened = judge(window, count)
      }
      const suspect = screened.heapSuspect || screened.externalSuspect
      const survived = count.samplesPerRound.reduce((a, b) => a + b, 0)
      // A step (one doubled backing store) may not recur in a window of the same length: measured
      // under load, a Map of numbers doubled in the first window and not in the second, and the
      // second window's clean screen let the leak through (1 in 20). Steps go to the snapshots.
      // A screen-only check (a group of tests in per-test mode) screens a step again instead,
      // over as many calls as the subject has made in all: a table that gains an entry per call
      // doubles again within them, and its new backing store alone is a step again; a one-off
      // object (a library's cache filled once) is not.
      const screenStepAgain = input.survivorsOnly === true && screened.heapStepOnly === true && !screened.externalSuspect && attempt === 0
      const last = !suspect || attempt === maxSurvivorWindows - 1 || (screened.heapStep === true && !screenStepAgain)
      findings.decision.push({
        stage: 'screen',
        iterations: findings.measured - window.marks[0]!,
        bytesPerIteration: screened.heapSlope,
        externalBytesPerIteration: screened.externalSlope,
        outcome: !suspect ? 'clean' : last ? 'suspect' : 'inconclusive',
        note:
          `${survived} sampled object${survived === 1 ? '' : 's'} of the calls still alive ` +
          `(1 sample per ${Math.round(interval)} B allocated) over ${rounds} rounds of ${callsPerRound} calls` +
          (!suspect
            ? ''
            : last
              ? '; confirming with heap snapshots (user objects vs. code and V8 internals)'
              : screenStepAgain
                ? '; one object alone over the threshold: screening a window as long as all the calls so far'
                : '; screening a second window (compiled code of the first fades)'),
      })
      if (screenStepAgain) callsPerRound = Math.min(4 * perRound, Math.max(perRound, Math.ceil((findings.warmup + findings.measured) / rounds)))
      if (last) break
    }
    return { screened, callMs }
  } finally {
    await sampling.stop()
  }
}

/**
 * The heap-reading screen: dry rounds through the exact sampling path (calls, GC, reading) until
 * the heap stops shrinking, then rounds of calls with a full GC and a reading after each.
 */
async function screenByReadings(input: ScreenStageInput): Promise<ScreenStageResult> {
  const { state, opts, gc, resources, findings, perRound, rounds } = input
  const sampleRound = async (): Promise<HeapReading> => {
    resources?.beforeCollection()
    await settleRound(gc)
    input.counter.stats.forced += 1
    const reading = readHeap()
    await resources?.afterCollection()
    return reading
  }
  const series = new SampleSeries(opts.samples)
  findings.series = series
  // Every sample follows a round of calls: a drained heap holds less than one read after calls
  // (the resource watch's records of one round's timers made a 100-190 KB step, measured).
  const dryRound = async (): Promise<HeapReading> => {
    findings.warmup += await callRepeatedly(state, perRound)
    return sampleRound()
  }
  let callMs = 0
  let screened: ScreenResult | undefined
  for (let attempt = 0; attempt < 2 && !state.memoryExhausted; attempt++) {
    // A heap that is still shrinking (garbage of an earlier test being released) hides growth:
    // dry rounds go on while it shrinks, and a window that shrank anyway is screened again, once.
    let start = await dryRound()
    for (let i = 0; i < maxDrainRounds && !state.memoryExhausted; i++) {
      const next = await dryRound()
      const shrank = isShrinking(start.heap, next.heap)
      start = next
      if (!shrank) break
    }
    if (state.memoryExhausted) break
    if (attempt === 0) resources?.checkpoint(findings.measured)
    series.length = 0
    const first = findings.measured
    series.add(first, start)
    for (let r = 1; r <= rounds && !state.memoryExhausted; r++) {
      const t = realNow()
      findings.measured += await callRepeatedly(state, perRound)
      callMs += realNow() - t
      series.add(findings.measured, await sampleRound())
      if (attempt === 0 && r === rounds >> 1) resources?.checkpoint(findings.measured)
    }
    screened = screen(series, opts.threshold)
    if (!screened.shrinking) break
    findings.decision.push({
      stage: 'screen',
      iterations: findings.measured - first,
      bytesPerIteration: screened.heapSlope,
      outcome: 'inconclusive',
      note: 'the heap shrank across the window (earlier garbage still being released); screening again',
    })
  }
  if (screened && !state.memoryExhausted) {
    const suspect = screened.heapSuspect || screened.externalSuspect
    findings.decision.push({
      stage: 'screen',
      iterations: findings.measured,
      bytesPerIteration: screened.heapSlope,
      externalBytesPerIteration: screened.externalSlope,
      outcome: suspect ? 'suspect' : 'clean',
      note: !suspect
        ? `flat across ${rounds} rounds of ${perRound} calls (heap readings after a full GC)`
        : screened.noisyJump !== undefined && screened.heapSlope < opts.threshold
          ? `the heap moved by up to ${Math.round(screened.noisyJump / 1024)} KB between rounds, too noisy to show flatness; confirming with heap snapshots`
          : 'heap grew across rounds; confirming with heap snapshots (user objects vs. code and V8 internals)',
    })
  }
  return { screened, callMs }
}
