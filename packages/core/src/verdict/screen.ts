import type { SampleSeries } from '../run/series.js'
import { largestSmoothedJump, meanGrowth, medianIncrement, theilSen } from './statistics.js'

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
