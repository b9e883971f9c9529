// What an inconclusive check (out of time before the evidence decided) does to a test, for the
// matcher and per-test mode alike: pass with a warning (the default), or fail with
// `{ inconclusive: 'fail' }`. The run-report record says `inconclusive` either way.
import { defaultOptions, type LeakOptions } from '../options.js'
import type { LeakReport, LeakVerdict } from '../report/types.js'

/** The report's verdict (`leaked` decides, for a report built without `verdict`). */
export function verdictOf(report: LeakReport): LeakVerdict {
  return report.leaked ? 'leak' : report.verdict === 'inconclusive' ? 'inconclusive' : 'clean'
}

/** The `inconclusive` option in effect (measureLeak has validated it by the time this is asked). */
export function inconclusiveMode(options: LeakOptions | undefined): 'warn' | 'fail' {
  return options?.inconclusive ?? defaultOptions.inconclusive
}

/** The warning an inconclusive check that passes prints. */
export function inconclusiveWarning(report: LeakReport, testName?: string): string {
  return (
    `leakproof: inconclusive leak check${testName ? ` in "${testName}"` : ''}: passed, not verified.\n` +
    `${report.summary}\n` +
    `Set { inconclusive: 'fail' } to fail the test instead; \`leakproof report --inconclusive=error\` fails CI on it.`
  )
}

/** The failure message of an inconclusive check with { inconclusive: 'fail' }. */
export function inconclusiveFailure(report: LeakReport): string {
  return (
    `The leak check was inconclusive, and { inconclusive: 'fail' } fails the test.\n\n${report.summary}\n\n` +
    `Set { inconclusive: 'warn' } (the default) to pass it with a warning.`
  )
}

/** Warn on the console: Vitest and Jest show a test's console output with the test. */
export function warnInconclusive(report: LeakReport, testName?: string): void {
  console.warn(inconclusiveWarning(report, testName))
}
