import { cutOwnErrorFrames, cutOwnFrames } from './report/paths.js'
import type { LeakReport } from './report/types.js'

/** Wrong use of leakproof: bad options, not a function, no way to force GC. The message names the fix. */
export class LeakproofUsageError extends Error {
  override name = 'LeakproofUsageError'
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options)
    cutOwnErrorFrames(this)
  }
}

/** A leak was found. Carries the full report. */
export class LeakError extends Error {
  override name = 'LeakError'
  declare readonly report: LeakReport
  constructor(report: LeakReport) {
    super(report.summary)
    // Not enumerable: test runners print an error's own enumerable properties, and the summary
    // in the message already says everything a reader needs.
    Object.defineProperty(this, 'report', { value: report, enumerable: false, configurable: true })
    // Frames of leakproof's own code say nothing about the user's: the stack starts at their call.
    cutOwnErrorFrames(this)
  }
}

/**
 * A check was inconclusive (out of time before the evidence decided) and the `inconclusive`
 * option is 'fail'. Carries the full report.
 */
export class LeakInconclusiveError extends Error {
  override name = 'LeakInconclusiveError'
  declare readonly report: LeakReport
  constructor(report: LeakReport, message: string = report.summary) {
    super(message)
    Object.defineProperty(this, 'report', { value: report, enumerable: false, configurable: true })
  }
}

/** The subject threw or rejected: this is the subject's error, not a verdict. */
export class SubjectError extends Error {
  override name = 'SubjectError'
  constructor(
    /** Which call of the subject threw (1-based). */
    readonly call: number,
    override readonly cause: unknown,
  ) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)
    super(`the subject threw on call ${call}: ${detail}`, { cause })
    cutOwnErrorFrames(this)
    // The subject's own error: its frames below the subject are leakproof's loop that called it.
    if (cause instanceof Error && typeof cause.stack === 'string') {
      try {
        cause.stack = cutOwnFrames(cause.stack)
      } catch {
        // a read-only stack
      }
    }
  }

  /** @deprecated The same as `call` (leakproof says "call" for what the subject is called). */
  get iteration(): number {
    return this.call
  }
}

/**
 * A call never settled (the first within a few seconds, a later one by the timeout), or the
 * subject is too slow for the calls a check needs within `timeout`.
 */
export class LeakTimeoutError extends Error {
  override name = 'LeakTimeoutError'
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options)
    cutOwnErrorFrames(this)
  }
}

/** The measurement was aborted through `signal`. */
export class LeakAbortError extends Error {
  override name = 'AbortError'
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options)
    cutOwnErrorFrames(this)
  }
}
