import { LeakInconclusiveError, LeakproofUsageError } from '../errors.js'
import { measureLeakOf } from '../measure.js'
import type { LeakOptions } from '../options.js'
import { callSite, hint, printReceived, recordVerdict, type MatcherContextLike, type MatcherResult } from './context.js'
import { inconclusiveFailure, inconclusiveMode, verdictOf, warnInconclusive } from './inconclusive.js'

/**
 * `await expect(fn).not.toLeak(options?)` / `await expect(fn).toLeak()`.
 * Calls `fn` repeatedly; passes when it leaks. Errors from `fn` reject the assertion as that
 * error, never as a verdict.
 */
export async function toLeak(this: MatcherContextLike, received: unknown, options?: LeakOptions): Promise<MatcherResult> {
  if (typeof received !== 'function') {
    throw new LeakproofUsageError(
      `${hint(this, 'toLeak', 'fn')}\n\nexpect() needs the function to call repeatedly, got ${printReceived(this, received)}.\n` +
        'Wrap the code under test: await expect(() => handler(request)).not.toLeak()',
    )
  }
  // Before the first await: the stack still holds the test's `expect(...)` call.
  const site = callSite(this)
  let report
  try {
    report = await measureLeakOf(this.currentTestName, received as () => unknown, options)
  } catch (error) {
    recordVerdict(this, site, 'error', undefined, error instanceof Error ? error.message : String(error))
    throw error
  }
  const verdict = verdictOf(report)
  recordVerdict(this, site, verdict, report)
  const head = hint(this, 'toLeak', 'fn', 'options')
  if (verdict === 'inconclusive') {
    // Out of time before the evidence decided: not a failure of the code under test. `.not.toLeak()`
    // passes with a warning unless { inconclusive: 'fail' }; `.toLeak()` did not see its leak.
    if (inconclusiveMode(options) === 'fail') {
      throw new LeakInconclusiveError(report, `${head}\n\n${inconclusiveFailure(report)}`)
    }
    if (this.isNot) warnInconclusive(report, this.currentTestName)
    return {
      pass: false,
      message: () => `${head}\n\nExpected the function to leak, but the check was inconclusive.\n\n${report.summary}`,
    }
  }
  return {
    pass: report.leaked,
    message: () =>
      report.leaked
        ? `${head}\n\nExpected the function not to leak, but it did.\n\n${report.summary}`
        : `${head}\n\nExpected the function to leak, but it did not.\n\n${report.summary}`,
  }
}
