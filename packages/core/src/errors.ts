import type { LeakReport } from './report/types.js'

/** Wrong use of leakproof: bad options, not a function, no way to force GC. The message names the fix. */
export class LeakproofUsageError extends Error {
  override name = 'LeakproofUsageError'
}

/** A leak was found. Carries the full report. */
export class LeakError extends Error {
  override name = 'LeakError'
  constructor(readonly report: LeakReport) {
    super(report.summary)
  }
}

/** The subject threw or rejected: this is the subject's error, not a verdict. */
export class SubjectError extends Error {
  override name = 'SubjectError'
  constructor(
    readonly iteration: number,
    override readonly cause: unknown,
  ) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)
    super(`the subject threw on call ${iteration}: ${detail}`, { cause })
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
