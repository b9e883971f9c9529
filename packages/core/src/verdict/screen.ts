import type { SampleSeries } from '../samples/series.js'
import { largestSmoothedJump, meanGrowth, median, medianIncrement, theilSen } from './statistics.js'

export interface ScreenResult {
  /** Robust heap growth estimate, bytes per call. */
  heapSlope: number
  externalSlope: number
  /** Heap grew enough to need object-level confirmation. */
  heapSuspect: boolean
  externalSuspect: boolean
  /** The heap shrank across the window by more than the threshold: the window was disturbed. */
  shrinking: boolean
  /** Largest heap change between two rounds, when it was too large for the series to prove flatness. */
  noisyJump: number | undefined
  /**
   * One surviving object alone is a threshold-sized leak (survivor screen): a backing store that
   * grows by doubling. A later window may hold no doubling at all, so only snapshots, whose
   * intervals escalate, or a window as long as all the calls before it, can clear it.
   */
  heapStep?: boolean
  /** The step was the only reason for suspicion (survivor screen): not steady, not a burst. */
  heapStepOnly?: boolean
}

/**
 * Heap changes between rounds up to this size never make a series too noisy to call flat: a
 * fresh, small heap is flat to the byte after a full GC, but single samples jump by a few KB.
 */
const quietJumpBytes = 16 * 1024

/**
 * The cheap first look. A heap series can grow for reasons that are not leaks (code, feedback,
 * late garbage), and single samples jump, so this only decides whether the snapshot-based
 * confirmation is needed. Flat means clean; growth means "look closer".
 */
export function screen(series: SampleSeries, threshold: number): ScreenResult {
  const n = series.length
  const x = series.iteration
  const heapSlope = theilSen(x, series.heap, n)
  const heapMean = meanGrowth(x, series.heap, n)
  const externalSlope = theilSen(x, series.external, n)
  const externalMean = meanGrowth(x, series.external, n)
  // Three triggers, each blind to a different shape: Theil–Sen to a step mid-window, the mean to
  // an early drop, the median round-to-round increment to a few large steps (but not to a smooth
  // leak hidden behind a one-off drop, which the others miss).
  const heapStep = medianIncrement(x, series.heap, n)
  const externalStep = medianIncrement(x, series.external, n)
  // A fourth: noise. In a larger, older heap (a test worker after other tests) post-GC readings
  // move by 100-250 KB between rounds whatever the subject does (measured, Node 20: old space
  // accounting after a full GC), which can hide a leak of one small object per call (41 B/call
  // was screened clean in 1 of 20 runs, 1 object every 2 calls in 3 of 20). A series whose jumps
  // exceed what a threshold-sized leak adds over the whole window cannot show flatness; the
  // snapshots, which count objects exactly, decide instead. A single-sample spike is not noise
  // of that kind: the slope and the median step are blind to it, and so is this.
  const jump = largestSmoothedJump(series.heap, n)
  const noisy = jump > Math.max(quietJumpBytes, threshold * (x[n - 1]! - x[0]!))
  return {
    heapSlope,
    externalSlope,
    noisyJump: noisy ? jump : undefined,
    heapSuspect: heapSlope >= threshold || heapMean >= threshold || heapStep >= threshold || noisy,
    externalSuspect: externalSlope >= threshold || externalMean >= threshold || externalStep >= threshold,
    shrinking: !(heapSlope >= threshold || heapMean >= threshold || heapStep >= threshold) && (heapSlope <= -threshold || heapMean <= -threshold),
  }
}

/**
 * External growth below this is not suspect in a survivor screen: its readings follow scavenges only
 * (backing stores are freed by a concurrent sweeper), and a Buffer or ArrayBuffer kept per call is
 * seen anyway through its JS object among the survivors.
 */
export const externalFloorBytes = 1024 * 1024

/**
 * The survivor screen's rule. `series.heap` holds, at each round's end, the sampled bytes of the
 * subject's objects allocated up to then that are still alive at the end (cumulative);
 * `series.external` readings after a scavenge. `largest`: the largest single survivor's bytes.
 * Three shapes make a window suspect, each blind to what the others catch:
 * - steady: the median round's survivors reach half the threshold per call. One-off survivors
 *   (a compiled function's metadata, attributed to whatever JS frame was running when the
 *   compiler finished, in bursts of a few KB) land in a few rounds and never move the median;
 *   a leak lands in every round. Half, because sampling is noisy (Poisson) and a suspicion only
 *   costs the snapshots that decide.
 * - step: one object that alone is a threshold-sized leak over the window, the last backing store
 *   of an array or hash table that grows by doubling.
 * - burst: far more than the threshold over the whole window, however it is spread.
 * - spread (screen-only checks: a group of tests in per-test mode, which is split when suspect):
 *   the survivors, the largest object aside, reach the threshold over the window. A leak just
 *   above a group's threshold gives about one sample a round, in lumps, so its median round is
 *   often empty (measured: a 20 B/run leak in a Jest group cleared at 17-36 B/run); since tiering
 *   is paused while a window runs, compiled code no longer puts bursts there to excuse.
 */
export function screenSurvivors(series: SampleSeries, largest: number, threshold: number, screenOnly = false): ScreenResult {
  const n = series.length
  const x = series.iteration
  const calls = x[n - 1]! - x[0]!
  const survived = series.heap[n - 1]! - series.heap[0]!
  const heapSlope = calls > 0 ? survived / calls : 0
  const perRound: number[] = []
  for (let i = 1; i < n; i++) {
    const c = x[i]! - x[i - 1]!
    if (c > 0) perRound.push((series.heap[i]! - series.heap[i - 1]!) / c)
  }
  const steady = median(perRound)
  const externalSlope = theilSen(x, series.external, n)
  const externalGrowth = series.external[n - 1]! - series.external[0]!
  const externalMean = meanGrowth(x, series.external, n)
  const step = calls > 0 && largest >= threshold * calls
  const steadyOrBurst = steady >= threshold / 2 || heapSlope >= 4 * threshold
  const spread = screenOnly && calls > 0 && (survived - largest) / calls >= threshold
  return {
    heapSlope,
    externalSlope,
    heapStep: step,
    heapStepOnly: step && !steadyOrBurst && !spread,
    heapSuspect: calls > 0 && (steadyOrBurst || step || spread),
    externalSuspect: externalGrowth >= externalFloorBytes && (externalSlope >= threshold || externalMean >= threshold),
    shrinking: false,
    noisyJump: undefined,
  }
}
