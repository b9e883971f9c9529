import { describe, expect, test } from 'vitest'
import { largestJump, largestSmoothedJump, meanGrowth, median, medianIncrement, theilSen } from '../../src/verdict/statistics.js'

const x = Array.from({ length: 11 }, (_, i) => i * 400)
const line = (slope: number) => x.map((v) => 1e6 + v * slope)

describe('statistics of a heap series', () => {
  test.each([
    ['odd count', [3, 1, 2], 2],
    ['even count', [4, 1, 3, 2], 2.5],
    ['empty', [], 0],
  ])('median: %s', (_, values, expected) => {
    expect(median(values)).toBe(expected)
  })

  test.each([
    ['a straight line', line(5), 5],
    ['flat', line(0), 0],
    // A step late in the window crosses fewer than half of the pairs: the median slope stays 0
    // (the mean would not). A step in the middle crosses more than half and shows as growth.
    ['flat with one 200 KB step before the last two samples', line(0).map((v, i) => (i >= 9 ? v + 200e3 : v)), 0],
    ['flat with one 200 KB step in the middle', line(0).map((v, i) => (i >= 5 ? v + 200e3 : v)), 200e3 / 3600],
    ['a line with one outlying sample', line(5).map((v, i) => (i === 3 ? v + 500e3 : v)), 5],
  ])('Theil–Sen slope: %s', (_, y, expected) => {
    expect(theilSen(x, y)).toBeCloseTo(expected, 6)
  })

  test('mean growth: first to last sample, blind to the middle', () => {
    expect(meanGrowth(x, line(5))).toBeCloseTo(5)
    const dip = line(0).map((v, i) => (i === 5 ? v - 1e6 : v))
    expect(meanGrowth(x, dip)).toBe(0)
    expect(meanGrowth([0], [1])).toBe(0)
  })

  test('median increment: a few large steps do not make it grow; every round growing does', () => {
    const steps = line(0).map((v, i) => (i >= 3 ? v + 30e3 : v)).map((v, i) => (i >= 8 ? v + 30e3 : v))
    expect(medianIncrement(x, steps)).toBe(0)
    expect(medianIncrement(x, line(7))).toBeCloseTo(7)
  })

  test('largest jump, raw and smoothed: a single-sample spike is smoothed away, a plateau is not', () => {
    const spike = line(0).map((v, i) => (i === 5 ? v + 200e3 : v))
    expect(largestJump(spike)).toBe(200e3)
    expect(largestSmoothedJump(spike)).toBe(0)
    const plateau = line(0).map((v, i) => (i === 5 || i === 6 ? v + 200e3 : v))
    expect(largestSmoothedJump(plateau)).toBe(200e3)
  })
})
