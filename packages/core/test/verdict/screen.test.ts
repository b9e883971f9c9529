import { describe, expect, test } from 'vitest'
import { SampleSeries } from '../../src/samples/series.js'
import { screen, screenSurvivors } from '../../src/verdict/screen.js'

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

/** A survivor series: cumulative bytes of surviving objects at the end of rounds of 400 calls. */
function survivors(perRound: number[], external: number[] = []): SampleSeries {
  const s = new SampleSeries(perRound.length + 1)
  let total = base
  s.add(0, { heap: total, external: external[0] ?? 0, arrayBuffers: 0 })
  perRound.forEach((bytes, i) => {
    total += bytes
    s.add((i + 1) * 400, { heap: total, external: external[i + 1] ?? 0, arrayBuffers: 0 })
  })
  return s
}

describe('screenSurvivors', () => {
  const cases: Array<[string, number[], number, boolean]> = [
    ['nothing survives', Array(10).fill(0), 0, false],
    // Compiled-code metadata lands in bursts of a few KB in some rounds (measured: 3 to 7 of 10
    // rounds for timer and async subjects of a fresh process).
    ['one-off bursts in a few rounds', [4200, 0, 5400, 0, 0, 19900, 0, 0, 0, 0], 2000, false],
    ['a hash table resized once', [0, 0, 545, 0, 0, 3260, 0, 0, 0, 17810], 7208, false],
    // One object per call of 68 B, sampled: every round holds some.
    ['steady: a small object per call', [27e3, 26e3, 29e3, 25e3, 28e3, 27e3, 26e3, 27e3, 28e3, 26e3], 72, true],
    ['steady at half the threshold', Array(10).fill(800), 72, true],
    ['steady below half the threshold', Array(10).fill(700), 72, false],
    // The last backing store of an array of numbers: one object, larger than a threshold leak.
    ['step: one backing store of a growing array', [0, 0, 0, 0, 0, 0, 35e3, 0, 0, 0], 35e3, true],
    ['burst: far above the threshold in two rounds', [0, 0, 0, 40e3, 0, 0, 0, 30e3, 0, 0], 1000, true],
  ]
  for (const [name, perRound, largest, suspect] of cases) {
    test(`${name}: ${suspect ? 'suspect' : 'clean'}`, () => {
      expect(screenSurvivors(survivors(perRound), largest, 4).heapSuspect).toBe(suspect)
    })
  }

  test('a step is marked as one: only snapshots or a longer window can clear it, not a second window alike', () => {
    expect(screenSurvivors(survivors([0, 0, 0, 0, 0, 0, 35e3, 0, 0, 0]), 35e3, 4).heapStep).toBe(true)
    expect(screenSurvivors(survivors(Array(10).fill(27e3)), 72, 4).heapStep).toBe(false)
  })

  test('a step alone is told apart from a step with steady or burst growth', () => {
    expect(screenSurvivors(survivors([0, 0, 0, 0, 0, 0, 35e3, 0, 0, 0]), 35e3, 4).heapStepOnly).toBe(true)
    // The same step over a small object per call: the steady growth decides, not the step.
    expect(screenSurvivors(survivors([27e3, 26e3, 29e3, 25e3, 28e3, 62e3, 26e3, 27e3, 28e3, 26e3]), 35e3, 4).heapStepOnly).toBe(false)
    // A step and a burst: far above the threshold over the window.
    expect(screenSurvivors(survivors([0, 0, 0, 60e3, 0, 0, 35e3, 0, 60e3, 0]), 35e3, 4).heapStepOnly).toBe(false)
  })

  test('a screen-only check (a group of tests) is suspect when its survivors, the largest aside, reach the threshold', () => {
    // About one sample a round, in lumps: the median round is empty, the window holds 1.4x the threshold.
    const lumpy = [0, 4400, 0, 0, 8800, 0, 4400, 0, 4400, 0]
    expect(screenSurvivors(survivors(lumpy), 4400, 4).heapSuspect).toBe(false)
    expect(screenSurvivors(survivors(lumpy), 4400, 4, true).heapSuspect).toBe(true)
    // One large object and little else stays a step alone (screened again, not split).
    const step = screenSurvivors(survivors([0, 0, 0, 0, 0, 0, 35e3, 0, 0, 900]), 35e3, 4, true)
    expect(step.heapSuspect).toBe(true)
    expect(step.heapStepOnly).toBe(true)
    // Clean groups keep a few samples: below the threshold, the largest aside.
    expect(screenSurvivors(survivors([0, 0, 900, 0, 0, 0, 0, 0, 900, 0]), 900, 4, true).heapSuspect).toBe(false)
  })

  test('the heap rate is the survivors per call over the window', () => {
    const result = screenSurvivors(survivors(Array(10).fill(4000)), 100, 4)
    expect(result.heapSlope).toBe(10)
    expect(result.shrinking).toBe(false)
  })

  test('external growth is suspect only above its floor and the threshold', () => {
    const flat = Array(10).fill(0)
    const growing = Array.from({ length: 11 }, (_, i) => i * 400 * 300)
    expect(screenSurvivors(survivors(flat, growing), 0, 4).externalSuspect).toBe(true)
    const smallSteps = Array.from({ length: 11 }, (_, i) => i * 400 * 10)
    expect(screenSurvivors(survivors(flat, smallSteps), 0, 4).externalSuspect).toBe(false)
  })
})
