// Per-test mode, the part both adapters share: measure a test that passed its first run by running
// it again and again (the adapter supplies one complete run: hooks, body, cleanups), write its
// run-report record, and frame what the framework reports — the leak, or the test's own error when
// a repeat failed. How a test is found, repeated and opted out stays in the adapters.
import { LeakError, LeakInconclusiveError, LeakproofUsageError, SubjectError } from '../errors.js'
import { measureLeakOf } from '../measure.js'
import type { LeakOptions } from '../options.js'
import { appendTestRecord, type TestLeakRecord } from '../report/run-report.js'
import type { LeakReport } from '../report/types.js'
import { recordFile } from './context.js'
import { inconclusiveFailure, inconclusiveMode, verdictOf, warnInconclusive } from './inconclusive.js'

/** A test as per-test mode's run-report records name it. */
export interface CheckedTest {
  /** The test file: absolute, or relative to the working directory. */
  testPath: string
  /** Describe blocks and the test title joined with ' > '. */
  name: string
  /** 1-based line of the test's declaration, when the framework knows it. */
  line?: number
}

/** Append the per-test record of a test (verdict `skipped` for an opt-out that ran once, say). */
export function recordCheckedTest(
  test: CheckedTest,
  verdict: TestLeakRecord['verdict'],
  extra: { report?: LeakReport; error?: string } = {},
): void {
  appendTestRecord({
    file: recordFile(test.testPath),
    name: test.name,
    ...(test.line === undefined ? {} : { line: test.line }),
    verdict,
    source: 'each-test',
    ...(extra.error === undefined ? {} : { error: extra.error }),
    ...(extra.report === undefined ? {} : { report: extra.report }),
  })
}

export interface RepeatCheck {
  test: CheckedTest
  /** One complete run of the test: beforeEach hooks, body, afterEach hooks (sync or async). */
  run: () => unknown
  options: LeakOptions
  /** beforeEach/afterEach hooks around every run, when the adapter can count them (for the message). */
  hookCount?: number
  /** How to leave this test out of per-test mode, in the framework's terms: ends both failure notes. */
  optOut: string
  /** How to ignore known retention, in the framework's terms (leak failures). */
  ignore?: string
  /** Stack frames (`    at …` lines) pointing at the test, shown under the leak failure. */
  frames?: string
}

/**
 * Measure a test that passed its first run. Clean: resolves with the report. A leak: rejects with
 * a LeakError framed for a whole test. Inconclusive (out of time before the evidence decided):
 * resolves with the report after a console warning, or rejects with a LeakInconclusiveError
 * under { inconclusive: 'fail' }. A repeat that threw: rejects with the test's own error,
 * with a note saying which run failed. Anything else the engine throws (a timeout, bad options)
 * rejects unchanged. Every outcome writes the test's run-report record first.
 */
export async function checkRepeatedTest(check: RepeatCheck): Promise<LeakReport> {
  let report: LeakReport
  try {
    report = await measureLeakOf(check.test.name, check.run, check.options)
  } catch (error) {
    if (error instanceof SubjectError) {
      recordCheckedTest(check.test, 'error', { error: describeError(error.cause) })
      throw repeatFailure(error.cause, error.call, check.optOut)
    }
    recordCheckedTest(check.test, 'error', { error: describeError(error) })
    throw error
  }
  const verdict = verdictOf(report)
  recordCheckedTest(check.test, verdict, { report })
  if (report.leaked) throw leakFailure(report, check)
  if (verdict === 'inconclusive') {
    if (inconclusiveMode(check.options) === 'fail') throw inconclusiveTestFailure(report, check)
    warnInconclusive(report, check.test.name)
  }
  return report
}

/** The error an inconclusive test fails with under { inconclusive: 'fail' }, framed for a whole test. */
export function inconclusiveTestFailure(report: LeakReport, check: Pick<RepeatCheck, 'hookCount' | 'optOut' | 'frames'>): LeakInconclusiveError {
  const runs = 1 + report.warmupIterations + report.iterations
  const error = new LeakInconclusiveError(
    report,
    'leakproof: the leak check of this test was inconclusive.\n' +
      `${runsPhrase(runs, check.hookCount)}\n\n` +
      `${inconclusiveFailure(report)}\n\n` +
      `Too slow to check? Leave the test out with ${check.optOut}.`,
  )
  error.stack = `${error.name}: ${error.message}${check.frames ? '\n' + check.frames : ''}`
  return error
}

/**
 * What a concurrent test fails with in per-test mode: `what` names it, `fix` says the framework's
 * ways out (run it sequentially, or leave it out).
 */
export function concurrentTestError(what: string, fix: string): LeakproofUsageError {
  return new LeakproofUsageError(
    `per-test leak mode cannot check ${what}: concurrent tests share one heap, so no test can be measured on its own. ${fix}`,
  )
}

// Errors of a test come from the test file's realm (Jest runs it in a vm context): shapes, not instanceof.
function isErrorLike(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as Error).message === 'string'
}

/** `Name: message` of an error from any realm, for a record. */
export function describeError(error: unknown): string {
  if (!isErrorLike(error)) return String(error)
  const name = typeof error.name === 'string' && error.name ? error.name : 'Error'
  return `${name}: ${error.message}`
}

function runsPhrase(runs: number, hookCount: number | undefined): string {
  const hooks =
    hookCount === undefined
      ? 'with its beforeEach/afterEach hooks around every run'
      : hookCount === 0
        ? 'no beforeEach/afterEach hooks'
        : `its ${hookCount} beforeEach/afterEach hook${hookCount === 1 ? '' : 's'} around every run`
  return `It ran ${runs} times (${hooks}), with forced garbage collection before each look at the heap.`
}

/** The error a leaking test fails with: core's LeakError (it carries `.report`), framed for a whole test. */
export function leakFailure(report: LeakReport, check: Pick<RepeatCheck, 'hookCount' | 'optOut' | 'ignore' | 'frames'>): LeakError {
  const error = new LeakError(report)
  // Its first run, then every call the measurement made.
  const runs = 1 + report.warmupIterations + report.iterations
  error.message =
    'leakproof: this test retains memory every time it runs.\n' +
    `${runsPhrase(runs, check.hookCount)}\n\n` +
    `${report.summary}\n\n` +
    `Not a leak you can fix? Leave the test out with ${check.optOut}` +
    (check.ignore ? `; ignore known retention with ${check.ignore}.` : '.')
  // The engine's frames say nothing about the user's code: the test's own, when known.
  error.stack = `${error.name}: ${error.message}${check.frames ? '\n' + check.frames : ''}`
  return error
}

/**
 * A test that passed its first run but failed when repeated: its own error (hook or assertion),
 * with a note saying which run failed. `call` is the engine's 1-based call number: run `call + 1`.
 */
export function repeatFailure(cause: unknown, call: number, optOut: string): unknown {
  const note =
    `\n\n(leakproof per-test mode: the test passed its first run and failed on run ${call + 1}, when it ` +
    'was run again with its beforeEach/afterEach hooks. A test checked per test must pass when ' +
    `repeated: reset its state in its hooks, or leave it out with ${optOut}.)`
  if (isErrorLike(cause) && Object.isExtensible(cause)) {
    try {
      const before = cause.message
      // Runners print the stack, which starts with the message: put the note in both.
      const stack = cause.stack
      const message = before + note
      cause.message = message
      if (typeof stack === 'string' && before && stack.includes(before)) cause.stack = stack.replace(before, () => message)
      return cause
    } catch {
      // a read-only message: report a new error instead
    }
  }
  return new Error(`${isErrorLike(cause) ? describeError(cause) : String(cause)}${note}`)
}
