import { describe, expect, test } from 'vitest'
import { SampleSeries } from '../../src/run/series.js'
import { screen } from '../../src/verdict/screen.js'

/** A screening window of 10 rounds of 400 calls with the given heap readings. */
function series(heap: number[]): SampleSeries {
  const s = new SampleSeries(heap.length)
  heap.forEach((h, i) => s.add(i * 400, { heap: h, external: 0, arrayBuffers: 0 }))
  return s
}

const base = 20e6

describe('screen', () => {
  test('flat to the byte, or a few KB of single-sample jitter, is clean', () => {
    expect(screen(series(Array(11).fill(base)), 4)).toMatchObject({ heapSuspect: false, noisyJump: undefined })
    const jitter = [0, 0, 3000, 0, 0, -2000, 0, 0, 0, 1000, 0].map((d) => base + d)
    expect(screen(series(jitter), 4)).toMatchObject({ heapSuspect: false, noisyJump: undefined })
  })

  test('steady growth at the threshold is suspect', () => {
    expect(screen(series(Array.from({ length: 11 }, (_, i) => base + i * 400 * 5)), 4).heapSuspect).toBe(true)
  })

  test('a single-sample spike is not noise; a two-sample plateau is', () => {
    const spike = [0, 0, 0, 0, 0, 216e3, 0, 0, 0, 0, 0].map((d) => base + d)
    expect(screen(series(spike), 4)).toMatchObject({ heapSuspect: false, noisyJump: undefined })
    const twoSamples = [0, 0, 0, 0, 0, 216e3, 216e3, 0, 0, 0, 0].map((d) => base + d)
    expect(screen(series(twoSamples), 4).noisyJump).toBe(216e3)
  })

  test('a series too noisy to show flatness is suspect, even with no trend', () => {
    // Readings of a larger heap after full GCs (measured: ±100-250 KB between rounds): a 16 KB
    // per round leak is invisible in them, so the screen must not call them flat.
    // No trend by slope, mean or median step: only the size of the jumps says "not flat".
    const noisy = [0, 0, 0, 230e3, 230e3, 230e3, 230e3, 0, 0, 0, 0].map((d) => base + d)
    const result = screen(series(noisy), 4)
    expect(result.heapSlope).toBeLessThan(4)
    expect(result.heapSuspect).toBe(true)
    expect(result.noisyJump).toBe(230e3)
  })
})
