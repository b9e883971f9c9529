import { SubjectError } from '../errors.js'
import { realNow } from '../gc/timers.js'

export type Subject = () => unknown

/** Mutable state of one measurement's calls. */
export interface CallState {
  readonly subject: Subject
  /** All calls made so far, warm-up included. */
  calls: number
  /** Set by the watchdog or the abort signal; the loop stops at the next call. */
  stopReason: Error | undefined
  /** Resident-set size at which calling stops: the subject would exhaust memory. */
  readonly rssLimit: number
  /** Set when the loop stopped because memory ran past rssLimit. */
  memoryExhausted: boolean
  /** Calls that returned or settled. */
  settled: number
  /** Time the settled calls took, in ms: the subject's own pace, without the GCs between rounds. */
  callMs: number
  /** realNow() when the latest call started. */
  callStartedAt: number
  /**
   * realNow() past which no new call starts: checked between calls, because a timer cannot fire
   * while synchronous calls keep the event loop busy (a subject of 50 MB per call ran for minutes
   * past its timeout). `onDeadline` gives the error to stop with (OutOfTime: the report then says
   * what the evidence so far decided).
   */
  deadline: number
  onDeadline: () => Error
}

/**
 * The state of a measurement's calls, as a class rather than a literal: retainer paths that run
 * through the engine's hold on the subject start at `(subject)` by recognising this class's name
 * in the heap snapshot (heap/render-path.ts SUBJECT_HOLDER).
 */
export class LeakproofSubjectCalls implements CallState {
  calls = 0
  stopReason: Error | undefined = undefined
  memoryExhausted = false
  settled = 0
  callMs = 0
  callStartedAt = 0
  constructor(
    readonly subject: Subject,
    readonly rssLimit: number,
    readonly deadline: number,
    readonly onDeadline: () => Error,
  ) {}
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

/**
 * Calls between two resident-set checks, and the time after which one is made anyway. Reading
 * the RSS is a system call (about 12 us, measured): checked on every call it took a quarter of a
 * trivial subject's calling time. A subject that allocates a lot per call is slow, so the time
 * bound keeps the overshoot past the limit to a few calls.
 */
const rssCheckCalls = 64
const rssCheckMs = 1

/**
 * Call the subject (or `subject`, the same function wrapped) `count` times, awaiting it when it returns a promise. Returns how many calls
 * were made (fewer when memory ran out). A throw or rejection becomes a SubjectError.
 */
export async function callRepeatedly(state: CallState, count: number, subject: Subject = state.subject): Promise<number> {
  let lastCheck = realNow()
  let sinceCheck = 0
  for (let i = 0; i < count; i++) {
    if (state.stopReason) throw state.stopReason
    const now = realNow()
    if (now >= state.deadline) throw (state.stopReason = state.onDeadline())
    state.callStartedAt = now
    const call = ++state.calls
    let result: unknown
    try {
      result = subject()
    } catch (error) {
      throw new SubjectError(call, error)
    }
    if (isThenable(result)) {
      try {
        await result
      } catch (error) {
        throw new SubjectError(call, error)
      }
      result = undefined
    }
    state.settled++
    const end = realNow()
    state.callMs += end - now
    if (++sinceCheck < rssCheckCalls && end - lastCheck < rssCheckMs) continue
    sinceCheck = 0
    lastCheck = realNow()
    if (process.memoryUsage.rss() > state.rssLimit) {
      state.memoryExhausted = true
      return i + 1
    }
  }
  if (state.stopReason) throw state.stopReason
  return count
}
