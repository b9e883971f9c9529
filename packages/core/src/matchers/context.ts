import { pathToFileURL } from 'node:url'
import { relativePath } from '../report/paths.js'
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
  /**
   * 1-based line of the running test's declaration, when the adapter knows it. A run-report
   * record gets the line of the `expect(...)` call in the test file; this line is the fallback
   * when the matcher is called from a helper in another file.
   */
  testLine?: number
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

/** A test file as run reports name it: relative to the project root (report/paths.ts), with forward slashes. */
export function recordFile(path: string): string {
  return relativePath(path).replace(/\\/g, '/')
}

/**
 * The 1-based line of the first frame of `stack` that is in `file` (an absolute path; frames may
 * name it as a path or a file:// URL), or undefined. Test frameworks source-map the stacks of test
 * files, so for TypeScript this is the line in the .ts file.
 */
export function lineInStack(stack: string | undefined, file: string): number | undefined {
  if (!stack || !file) return undefined
  const names = [file, file.replace(/\\/g, '/')]
  try {
    names.push(pathToFileURL(file).href)
  } catch {
    // not a path
  }
  for (const frame of stack.split('\n')) {
    for (const name of names) {
      let at = frame.indexOf(name)
      while (at !== -1) {
        // The file name must end here: `/a/x.test.ts:3:1`, not `/a/x.test.tsx:3:1`.
        const match = /^:(\d+):\d+\)?\s*$/.exec(frame.slice(at + name.length))
        if (match) return Number(match[1])
        at = frame.indexOf(name, at + 1)
      }
    }
  }
  return undefined
}

/** Where a matcher was called: the test file (as records name it) and the line in it. */
export interface CallSite {
  file: string
  line?: number
}

/**
 * The call site of the running matcher: the line of the `expect(...)` call in the test file, read
 * from the stack (call this synchronously at the start of the matcher, before any `await`), else
 * the test's own line when the adapter gave it.
 */
export function callSite(ctx: MatcherContextLike): CallSite {
  const path = ctx.testPath ?? ''
  let line: number | undefined
  if (path) {
    // Frames between the matcher and the test: the framework's expect wrappers and the adapter's.
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 50
    try {
      line = lineInStack(new Error().stack, path)
    } finally {
      Error.stackTraceLimit = limit
    }
  }
  line ??= typeof ctx.testLine === 'number' && ctx.testLine > 0 ? ctx.testLine : undefined
  return { file: recordFile(path), ...(line === undefined ? {} : { line }) }
}

/** Record a matcher verdict for the run report (only when a leakproof reporter is active). */
export function recordVerdict(
  ctx: MatcherContextLike,
  site: CallSite,
  verdict: TestLeakRecord['verdict'],
  report?: LeakReport,
  error?: string,
): void {
  appendTestRecord({
    file: site.file,
    name: ctx.currentTestName ?? '(unknown test)',
    ...(site.line === undefined ? {} : { line: site.line }),
    verdict,
    source: 'matcher',
    ...(error === undefined ? {} : { error }),
    ...(report === undefined ? {} : { report }),
  })
}
