// The parts of jest-circus's state and events per-test mode reads (Jest 29 and 30 agree on these).
// Typed here, structurally, so this package needs no @jest/types at run time or in its .d.ts.

import { lineInStack } from '@leakproof/core/adapter'

export type TestFn = (this: unknown, ...args: unknown[]) => unknown

export interface CircusHook {
  type: 'beforeAll' | 'beforeEach' | 'afterAll' | 'afterEach'
  fn: TestFn
}

export interface CircusDescribeBlock {
  type: 'describeBlock'
  name: string
  parent?: CircusDescribeBlock
  hooks: CircusHook[]
  children: Array<CircusDescribeBlock | CircusTest>
  mode?: string
}

export interface CircusTest {
  type: 'test'
  name: string
  fn: TestFn
  parent: CircusDescribeBlock
  concurrent?: boolean
  failing?: boolean
  mode?: string
  timeout?: number
  asyncError?: Error
  errors: unknown[]
}

export interface CircusState {
  rootDescribeBlock: CircusDescribeBlock
  testTimeout: number
  currentlyRunningTest?: CircusTest | null
}

export interface CircusEvent {
  name: string
  test?: CircusTest
  describeBlock?: CircusDescribeBlock
  hook?: CircusHook
}

export const ROOT_DESCRIBE_BLOCK_NAME = 'ROOT_DESCRIBE_BLOCK'

/** What the matchers and the setup file read of circus's state (in a test file's realm). */
export interface CircusRunState {
  currentlyRunningTest?: CircusTest | null
  /** The default test timeout: Jest's 5000, or the config's `testTimeout` (set before setup files run). */
  testTimeout?: unknown
}

/** jest-circus's state, on the test file's global (undefined under another test runner). */
export function circusState(): CircusRunState | undefined {
  const global = globalThis as Record<symbol, unknown>
  const key = Object.getOwnPropertySymbols(global).find((s) => s.description === 'JEST_STATE_SYMBOL')
  return key ? (global[key] as CircusRunState | undefined) : undefined
}

/** jest-circus's running test (also while its hooks run). */
export function runningTest(): CircusTest | undefined {
  const test = circusState()?.currentlyRunningTest
  return test && typeof test.name === 'string' ? test : undefined
}

/** Describe block names and the test name, without circus's root block. */
export function titlePath(test: CircusTest): string[] {
  const parts = [test.name]
  for (let block: CircusDescribeBlock | undefined = test.parent; block; block = block.parent) {
    if (block.parent || block.name !== ROOT_DESCRIBE_BLOCK_NAME) parts.unshift(block.name)
  }
  return parts
}

/** `outer > inner > test`: the name in run reports. */
export function fullName(test: CircusTest): string {
  return titlePath(test).join(' > ')
}

/** Jest's own test id (`outer inner test`): expect's currentTestName and the snapshot key. */
export function jestTestId(test: CircusTest): string {
  return titlePath(test).join(' ')
}

/**
 * The beforeEach hooks (outermost first) and afterEach hooks (innermost first) of a test, as
 * jest-circus runs them (including Jest's own root hook for clearMocks / resetMocks / restoreMocks).
 */
export function eachHooks(test: CircusTest): { beforeEach: CircusHook[]; afterEach: CircusHook[] } {
  const beforeEach: CircusHook[] = []
  const afterEach: CircusHook[] = []
  for (let block: CircusDescribeBlock | undefined = test.parent; block; block = block.parent) {
    const own = block.hooks.filter((h) => h.type === 'beforeEach')
    beforeEach.unshift(...own)
    afterEach.push(...block.hooks.filter((h) => h.type === 'afterEach'))
  }
  return { beforeEach, afterEach }
}

/** All tests under a describe block. */
export function allTests(block: CircusDescribeBlock): CircusTest[] {
  return block.children.flatMap((child) => (child.type === 'test' ? [child] : allTests(child)))
}

/** 1-based line of the test's declaration in its file, from the stack circus keeps. */
export function declarationLine(test: CircusTest, testPath: string): number | undefined {
  const error = test.asyncError
  return error ? lineInStack(readStack(error), testPath) : undefined
}

/**
 * The stack of circus's `asyncError`, read without freezing its message. V8 formats `stack` on
 * first read, with the message of that moment, and jest-circus gives this error its message later
 * (Jest 29: "Exceeded timeout of … ms" when the test times out), then prints its stack. Read while
 * the message is still empty, the stack would keep an empty header: it follows the message instead.
 */
function readStack(error: Error): string | undefined {
  let message: unknown
  let stack: unknown
  try {
    message = error.message
    stack = error.stack
  } catch {
    return undefined
  }
  if (typeof stack !== 'string') return undefined
  const firstFrame = stack.indexOf('\n    at ')
  if (message === '' && firstFrame !== -1 && Object.isExtensible(error)) {
    const frames = stack.slice(firstFrame)
    try {
      Object.defineProperty(error, 'stack', {
        configurable: true,
        enumerable: false,
        get(this: Error) {
          return `${String(this.name)}: ${String(this.message)}${frames}`
        },
        set(this: Error, value: unknown) {
          Object.defineProperty(this, 'stack', { value, writable: true, configurable: true, enumerable: false })
        },
      })
    } catch {
      // a non-configurable stack: leave it
    }
  }
  return stack
}

/** Call a test or hook function as circus does: with `done` when it declares a parameter. */
export function callTestFn(fn: TestFn, context: unknown): unknown {
  if (fn.length === 0) return fn.call(context)
  return new Promise<void>((resolve, reject) => {
    const done = (reason?: unknown) => {
      if (reason === undefined || reason === null || reason === false) resolve()
      else reject(reason instanceof Error || isErrorLike(reason) ? reason : new Error(`Failed: ${String(reason)}`))
    }
    try {
      fn.call(context, done)
    } catch (error) {
      reject(error)
    }
  })
}

function isErrorLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'message' in value && 'stack' in value
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

/**
 * Call functions one after the other with the same `this`; stays synchronous while they do, so a
 * synchronous test is repeated without a promise per call.
 */
export function callInSequence(fns: TestFn[], context: unknown, from = 0): unknown {
  for (let i = from; i < fns.length; i++) {
    const result = callTestFn(fns[i]!, context)
    if (isThenable(result)) {
      return Promise.resolve(result).then(() => {
        const rest = callInSequence(fns, context, i + 1)
        return isThenable(rest) ? rest : undefined
      })
    }
  }
  return undefined
}
