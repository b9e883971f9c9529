import { appendTestRecord, type TestLeakRecord } from '../report/run-report.js'
import type { LeakReport } from '../report/types.js'

/**
 * The part of the matcher context that Vitest's and Jest's `expect.extend` both provide. The
 * matchers here use only this, so they serve both frameworks (and the standalone `expect`).
 */
export interface MatcherContextLike {
  isNot?: boolean
  promise?: string
  currentTestName?: string
  testPath?: string
  utils?: {
    matcherHint?: (name: string, received?: string, expected?: string, options?: { isNot?: boolean; promise?: string }) => string
    printReceived?: (value: unknown) => string
    RECEIVED_COLOR?: (text: string) => string
  }
}

export interface MatcherResult {
  pass: boolean
  message: () => string
}

export function hint(ctx: MatcherContextLike, name: string, received = 'received', expected = ''): string {
  const fn = ctx.utils?.matcherHint
  if (fn) return fn(name, received, expected, { isNot: ctx.isNot ?? false, promise: ctx.promise ?? '' })
  return `expect(${received})${ctx.isNot ? '.not' : ''}.${name}(${expected})`
}

export function printReceived(ctx: MatcherContextLike, value: unknown): string {
  return ctx.utils?.printReceived ? ctx.utils.printReceived(value) : String(value)
}

/** Record a matcher verdict for the run report (only when a leakproof reporter is active). */
export function recordVerdict(ctx: MatcherContextLike, verdict: TestLeakRecord['verdict'], report?: LeakReport, error?: string): void {
  const cwd = process.cwd()
  const path = ctx.testPath ?? ''
  const file = (path.startsWith(cwd) ? path.slice(cwd.length + 1) : path).replace(/\\/g, '/')
  appendTestRecord({
    file,
    name: ctx.currentTestName ?? '(unknown test)',
    verdict,
    source: 'matcher',
    ...(error === undefined ? {} : { error }),
    ...(report === undefined ? {} : { report }),
  })
}
