import type { SampleSeries } from '../run/series.js'
import { meanGrowth, medianIncrement, theilSen } from './statistics.js'

export interface ScreenResult {
  /** Robust heap growth estimate, bytes per call. */
  heapSlope: number
  externalSlope: number
  /** Heap grew enough to need object-level confirmation. */
  heapSuspect: boolean
  externalSuspect: boolean
  /** The heap shrank across the window by more than the threshold: the window was disturbed. */
  shrinking: boolean
}

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
  return {
    heapSlope,
    externalSlope,
    heapSuspect: heapSlope >= threshold || heapMean >= threshold || heapStep >= threshold,
    externalSuspect: externalSlope >= threshold || externalMean >= threshold || externalStep >= threshold,
    shrinking: !(heapSlope >= threshold || heapMean >= threshold || heapStep >= threshold) && (heapSlope <= -threshold || heapMean <= -threshold),
  }
}
