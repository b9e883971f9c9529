import { describe, expect, test } from 'vitest'
import { assertNoLeak, LeakError, measureLeak } from '../../src/index.js'

describe('the report', () => {
  test('a clean verdict carries the series it used and GC statistics', async () => {
    const report = await measureLeak(() => JSON.parse('{"a":[1,2,3]}'))
    expect(report.leaked).toBe(false)
    expect(report.kinds).toEqual([])
    expect(report.warmupIterations).toBeGreaterThanOrEqual(200)
    expect(report.iterations).toBeGreaterThanOrEqual(400)
    expect(report.samples.heapUsed).toHaveLength(11)
    // The series is the screening window: on a busy machine the engine may screen twice (a
    // shrinking heap) or confirm with snapshots (more calls after the window), so relate it to
    // the decision rather than to fixed numbers.
    const lastScreen = report.decision.filter((d) => d.stage === 'screen').at(-1)!
    expect(report.samples.iteration[10]).toBe(lastScreen.iterations)
    for (let i = 1; i < 11; i++) expect(report.samples.iteration[i]).toBeGreaterThan(report.samples.iteration[i - 1]!)
    const screenedOnce = report.decision.filter((d) => d.stage === 'screen').length === 1
    if (screenedOnce) expect(report.samples.iteration[0]).toBe(0)
    if (!report.decision.some((d) => d.stage === 'confirm')) expect(report.iterations).toBe(lastScreen.iterations)
    expect(report.iterations).toBeLessThanOrEqual(100_000)
    // The survivor screen reads V8's sampling profile once, which collects fully: one forced GC.
    expect(report.gc.forced).toBeGreaterThanOrEqual(1)
    expect(report.gc.major).toBeGreaterThanOrEqual(report.gc.forced)
    expect(report.durationMs).toBeGreaterThan(0)
    expect(report.summary).toMatch(/^No leak: retained growth/)
    expect(report.decision.map((d) => d.stage)).toEqual(expect.arrayContaining(['warmup', 'screen']))
  })

  test('a leak verdict says what grew, per call, in the summary', async () => {
    class Session { constructor(readonly id: number) {} }
    const sessions = new Map<number, Session>()
    let id = 0
    const report = await measureLeak(() => { sessions.set(id, new Session(id++)) })
    expect(report.leaked).toBe(true)
    expect(report.kinds).toContain('heap')
    expect(report.bytesPerIteration).toBeGreaterThan(20)
    expect(report.summary).toMatch(/^Leak: the subject retained [\d.]+ B\/call of JS heap/)
    expect(report.retainedTypes.map((t) => t.name)).toContain('Session')
    const session = report.retainedTypes.find((t) => t.name === 'Session')!
    expect(session.countPerIteration).toBeCloseTo(1, 1)
    expect(report.summary).toContain('Session')
  })

  test('assertNoLeak throws a LeakError carrying the report, and resolves for clean code', async () => {
    const keep: string[] = []
    const error = await assertNoLeak(() => { keep.push('k' + keep.length) }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LeakError)
    expect((error as LeakError).report.leaked).toBe(true)
    expect((error as LeakError).message).toBe((error as LeakError).report.summary)
    await expect(assertNoLeak(() => 'k'.repeat(3))).resolves.toMatchObject({ leaked: false })
  })

  test('state held only by the subject closure is kept alive until the verdict', async () => {
    const report = await measureLeak(
      (() => {
        const onlyHere: object[] = []
        return async () => {
          await null
          onlyHere.push({ at: Date.now() })
        }
      })(),
    )
    expect(report.leaked).toBe(true)
  })
})
