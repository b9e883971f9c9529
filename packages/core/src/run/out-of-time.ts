// A check that runs out of its time budget (the `timeout` option) while the subject keeps
// settling is not a failure of the code under test: what the evidence gathered so far decides is
// the verdict (a clean screen is clean, a confirmed leak is a leak), and where it decides nothing
// the verdict is `inconclusive`, never a leak. (A call that never settles stays an error: the
// subject is broken. measure.ts tells the two apart.)
import type { Findings } from './findings.js'
import { formatBytes } from '../report/units.js'
import type { DecisionStep, InconclusiveDetail } from '../report/types.js'

/**
 * Thrown by the call loop when the deadline has passed between two calls: the measurement stops,
 * and `decideAtDeadline` turns what it found into the report.
 */
export class OutOfTime extends Error {
  override name = 'OutOfTime'
  constructor() {
    super('leakproof: the time budget ran out')
  }
}

export interface DeadlineInput {
  /** Calls of the subject made, warm-up included. */
  calls: number
  /** Time the calls themselves took, in ms. */
  callMs: number
  /** The time budget (the `timeout` option). */
  timeoutMs: number
  /** Whether open handles and listeners are checked (the `resources` option). */
  resources: boolean
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms < 10 ? ms.toFixed(2) : Math.round(ms)} ms`
}

function lastOf(decision: DecisionStep[], stage: DecisionStep['stage']): DecisionStep | undefined {
  for (let i = decision.length - 1; i >= 0; i--) if (decision[i]!.stage === stage) return decision[i]
  return undefined
}

/** `3 B/call of JS heap` (and/or external) from a screen step. */
function suspected(step: DecisionStep): { text: string; bytes: number } {
  const heap = step.bytesPerIteration
  const external = step.externalBytesPerIteration ?? 0
  const parts: string[] = []
  if (heap > 0 || external <= 0) parts.push(`${formatBytes(heap)}/call of JS heap`)
  if (external > 0 && external >= heap / 4) parts.push(`${formatBytes(external)}/call of external memory`)
  return { text: parts.join(' and '), bytes: Math.max(heap, external) }
}

/**
 * At the deadline: decide from the findings so far, add a `timeout` step to the decision saying
 * so, and return the inconclusive detail, or undefined when the evidence decided (a leak already
 * confirmed, a clean screen, snapshots whose last judgement found no growth of user data).
 */
export function decideAtDeadline(findings: Findings, input: DeadlineInput): InconclusiveDetail | undefined {
  const { calls, timeoutMs } = input
  const msPerCall = input.callMs / Math.max(1, calls)
  const budget = `the ${formatMs(timeoutMs)} budget`
  const pace = `${calls} calls, ${formatMs(msPerCall)} per call`
  const stage = findings.stage
  const screen = lastOf(findings.decision, 'screen')
  const step = (outcome: DecisionStep['outcome'], note: string) =>
    findings.decision.push({
      stage: 'timeout',
      iterations: 0,
      bytesPerIteration: findings.heapRate ?? 0,
      ...(findings.externalRate === undefined ? {} : { externalBytesPerIteration: findings.externalRate }),
      outcome,
      note,
    })

  const resourceLeak = (findings.resources?.length ?? 0) > 0 || (findings.listeners?.length ?? 0) > 0
  if (findings.heapLeak || findings.externalLeak) {
    step('leak', `out of ${budget} after the leak was confirmed (${pace}); the rest of the explanation was not gathered`)
    return undefined
  }

  // Whether the heap evidence decided clean.
  const confirmed = findings.lastConfirm
  const confirmClean =
    confirmed !== undefined && ![confirmed.heap, confirmed.external].some((o) => o === 'unsure' || o === 'leak')
  const screenClean = screen?.outcome === 'clean'
  const heapClean = screenClean || confirmClean
  const resourcesChecked = findings.resources !== undefined || !input.resources

  if (resourceLeak) {
    step('leak', `out of ${budget} in the ${stage} stage (${pace}); open handles or listeners grew per call` + (heapClean ? '' : '; heap growth not confirmed'))
    return undefined
  }
  if (heapClean && resourcesChecked) {
    step(
      'clean',
      `out of ${budget} in the ${stage} stage (${pace}); decided on the evidence so far: ` +
        (confirmClean ? 'the heap snapshots showed no growth of user data' : 'the screen found no growth'),
    )
    return undefined
  }

  let detail: string
  let bytes: number | undefined
  if (heapClean) {
    detail = `the screen found no heap growth, but open handles and listeners were not checked before ${budget}`
  } else if (!screen) {
    detail =
      stage === 'warmup'
        ? `the warm-up did not finish before ${budget}: nothing was measured`
        : `the screen did not finish before ${budget}: no growth was seen, nor ruled out`
  } else {
    const s = suspected(screen)
    bytes = s.bytes
    if (screen.outcome === 'inconclusive') {
      detail = `the screen suspected growth of ${s.text} and screened again; the second window did not finish before ${budget}`
    } else if (!confirmed) {
      detail = `the screen suspected growth of ${s.text}; heap snapshots did not confirm it before ${budget}`
    } else {
      detail =
        `the screen suspected growth of ${s.text}; the heap snapshots were ambiguous ` +
        `(${confirmed.note}), and a longer interval did not finish before ${budget}`
    }
  }
  step('inconclusive', `${detail} (${pace}); not reported as a leak`)
  return {
    reason: 'timeout',
    stage,
    detail,
    ...(bytes === undefined ? {} : { suspectedBytesPerIteration: Math.round(bytes * 10) / 10 }),
    calls,
    msPerCall: Math.round(msPerCall * 1000) / 1000,
    timeoutMs,
  }
}
