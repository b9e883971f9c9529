import type { LeakReport } from './report/types.js'

/** Wrong use of leakproof: bad options, not a function, no way to force GC. The message names the fix. */
export class LeakproofUsageError extends Error {
  override name = 'LeakproofUsageError'
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
  }

  /** @deprecated The same as `call` (leakproof says "call" for what the subject is called). */
  get iteration(): number {
    return this.call
  }
}

/** The measurement took longer than `timeout`, or a call never settled. */
export class LeakTimeoutError extends Error {
  override name = 'LeakTimeoutError'
}

/** The measurement was aborted through `signal`. */
export class LeakAbortError extends Error {
  override name = 'AbortError'
}
