import { describe, expect, it } from 'vitest'
import { judgeGrowth } from '../../src/resources/index.js'

const series = (...values: number[]) => values.map((value, i) => ({ calls: (i * 400) / (values.length - 1), value }))

describe('judgeGrowth (proportional to calls)', () => {
  it('steady growth in both halves is a leak, with the per-call rate', () => {
    expect(judgeGrowth(series(0, 200, 400))).toEqual({ leak: true, net: 400, perCall: 1 })
    expect(judgeGrowth(series(5, 15, 25))).toMatchObject({ leak: true, net: 20, perCall: 0.05 })
  })

  it('a one-off (all growth in one half) is not', () => {
    expect(judgeGrowth(series(0, 2, 2)).leak).toBe(false) // keep-alive pool
    expect(judgeGrowth(series(0, 50, 50)).leak).toBe(false) // burst
    expect(judgeGrowth(series(0, 0, 50)).leak).toBe(false) // late one-off
  })

  it('needs at least max(3, 1% of calls) and halves within 4x of each other', () => {
    expect(judgeGrowth(series(0, 1, 2)).leak).toBe(false) // below 3
    expect(judgeGrowth(series(0, 1, 3)).leak).toBe(false) // 3 < 1% of 400 calls
    expect(judgeGrowth(series(0, 2, 4)).leak).toBe(true)
    expect(judgeGrowth(series(0, 90, 100)).leak).toBe(false) // 90 then 10: unbalanced
    expect(judgeGrowth(series(0, 60, 100)).leak).toBe(true)
  })

  it('uses the checkpoint nearest the middle, and net growth alone without one', () => {
    const points = [
      { calls: 0, value: 0 },
      { calls: 100, value: 100 },
      { calls: 200, value: 100 },
      { calls: 400, value: 100 },
    ]
    expect(judgeGrowth(points).leak).toBe(false)
    expect(judgeGrowth([{ calls: 0, value: 0 }, { calls: 400, value: 10 }]).leak).toBe(true)
    expect(judgeGrowth([]).leak).toBe(false)
  })
})
