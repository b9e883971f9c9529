// What a check that runs out of time decides from the evidence it has: the rules alone, on
// findings as the stages leave them (no subject, no clock).
import { describe, expect, test } from 'vitest'
import { resolveOptions } from '../../src/options.js'
import { buildReport, type Findings } from '../../src/report/build-report.js'
import { decideAtDeadline, type DeadlineInput } from '../../src/run/out-of-time.js'
import type { ConfirmResult } from '../../src/verdict/confirm.js'

const input: DeadlineInput = { calls: 1250, callMs: 60_000, timeoutMs: 60_000, resources: true }
const gc = { forced: 0, minor: 0, major: 0, incremental: 0, weakCallbacks: 0, gcTimeMs: 0 }

function warmedUp(): Findings {
  return {
    stage: 'warmup',
    decision: [{ stage: 'warmup', iterations: 200, bytesPerIteration: 0, outcome: 'clean', note: 'not measured' }],
    measured: 0,
    warmup: 200,
  }
}

/** After a screen with this outcome and slope (open handles and listeners checked, none found). */
function screened(outcome: 'clean' | 'suspect' | 'inconclusive', slope: number): Findings {
  const f = warmedUp()
  f.stage = outcome === 'suspect' ? 'confirm' : 'screen'
  f.measured = 400
  f.heapRate = slope
  f.decision.push({ stage: 'screen', iterations: 400, bytesPerIteration: slope, externalBytesPerIteration: 0, outcome, note: '...' })
  if (outcome !== 'inconclusive') {
    f.screen = { heapSlope: slope, externalSlope: 0, heapSuspect: outcome === 'suspect', externalSuspect: false, shrinking: false, noisyJump: undefined }
    f.resources = []
    f.listeners = []
  }
  return f
}

const judged = (heap: ConfirmResult['heap']): ConfirmResult => ({ heap, external: 'clean', heapRate: 3, externalRate: 0, note: 'user data grew 6 then 0 B/call' })

function report(f: Findings, inconclusive = decideAtDeadline(f, input)) {
  return buildReport(f, resolveOptions(), gc, 'expose-gc', 60_000, inconclusive)
}

describe('out of time: the evidence so far decides', () => {
  test('in the warm-up: nothing measured, inconclusive', () => {
    const r = report(warmedUp())
    expect(r).toMatchObject({ leaked: false, verdict: 'inconclusive', kinds: [] })
    expect(r.inconclusive).toEqual({
      reason: 'timeout',
      stage: 'warmup',
      detail: 'the warm-up did not finish before the 60 s budget: nothing was measured',
      calls: 1250,
      msPerCall: 48,
      timeoutMs: 60_000,
    })
    expect(r.decision.at(-1)).toMatchObject({ stage: 'timeout', outcome: 'inconclusive' })
    expect(r.summary).toMatch(/^Inconclusive: the warm-up did not finish before the 60 s budget: nothing was measured, after 1250 calls \(48 ms per call\)\. Not reported as a leak\./)
    expect(r.summary).toContain(`{ inconclusive: 'fail' }`)
  })

  test('the screen found nothing: clean', () => {
    const r = report(screened('clean', 0.2))
    expect(r).toMatchObject({ leaked: false, verdict: 'clean' })
    expect(r.inconclusive).toBeUndefined()
    expect(r.decision.at(-1)).toMatchObject({ stage: 'timeout', outcome: 'clean' })
    expect(r.decision.at(-1)!.note).toContain('the screen found no growth')
    expect(r.summary).toMatch(/^No leak: .*\nDecided when the time budget ran out: out of the 60 s budget/)
  })

  test('a clean screen, but open handles and listeners not yet checked: inconclusive', () => {
    const f = screened('clean', 0.2)
    delete f.resources
    delete f.listeners
    expect(report(f).inconclusive?.detail).toBe('the screen found no heap growth, but open handles and listeners were not checked before the 60 s budget')
    // Not asked for: nothing left to check.
    const g = screened('clean', 0.2)
    delete g.resources
    expect(decideAtDeadline(g, { ...input, resources: false })).toBeUndefined()
  })

  test('the screen suspected growth, the snapshots had not confirmed it: inconclusive, never a leak', () => {
    const r = report(screened('suspect', 3))
    expect(r).toMatchObject({ leaked: false, verdict: 'inconclusive', kinds: [] })
    expect(r.inconclusive).toMatchObject({
      stage: 'confirm',
      detail: 'the screen suspected growth of 3 B/call of JS heap; heap snapshots did not confirm it before the 60 s budget',
      suspectedBytesPerIteration: 3,
    })
  })

  test('a second screening window cut short: inconclusive', () => {
    expect(report(screened('inconclusive', 12)).inconclusive).toMatchObject({
      stage: 'screen',
      detail: 'the screen suspected growth of 12 B/call of JS heap and screened again; the second window did not finish before the 60 s budget',
    })
  })

  test("the snapshots' last judgement: nothing grew is clean, one interval's growth is inconclusive", () => {
    const paused = screened('suspect', 3)
    paused.lastConfirm = judged('paused')
    expect(report(paused).verdict).toBe('clean')
    expect(paused.decision.at(-1)!.note).toContain('the heap snapshots showed no growth of user data')

    const unsure = screened('suspect', 3)
    unsure.lastConfirm = judged('unsure')
    const r = report(unsure)
    expect(r.verdict).toBe('inconclusive')
    expect(r.inconclusive!.detail).toMatch(/heap snapshots were ambiguous \(user data grew 6 then 0 B\/call\), and a longer interval did not finish/)
  })

  test('a confirmed leak stays a leak; so do open handles found by the screen', () => {
    const confirmed = screened('suspect', 80)
    confirmed.heapLeak = true
    expect(report(confirmed)).toMatchObject({ leaked: true, verdict: 'leak', kinds: ['heap'] })
    expect(confirmed.decision.at(-1)).toMatchObject({ stage: 'timeout', outcome: 'leak' })

    const handles = screened('suspect', 3)
    handles.resources = [{ type: 'Timeout', countPerIteration: 1, retainedCount: 400 }]
    const r = report(handles)
    expect(r).toMatchObject({ leaked: true, verdict: 'leak', kinds: ['resources'] })
    expect(r.inconclusive).toBeUndefined()
    expect(r.decision.at(-1)!.note).toContain('heap growth not confirmed')
  })

  test('a measurement that did not run out of time: verdict clean or leak, no timeout step', () => {
    const f = screened('clean', 0.1)
    const r = buildReport(f, resolveOptions(), gc, 'expose-gc', 100)
    expect(r.verdict).toBe('clean')
    expect(r.decision.some((d) => d.stage === 'timeout')).toBe(false)
  })
})
