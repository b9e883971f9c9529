// Per-test mode: every selected test runs once as usual, then again and again through core's
// measureLeak, each repeat wrapped in the test's afterEach + beforeEach hooks, with forced GC and
// heap samples between rounds. Runs in Jest's outer realm, driven by jest-circus events that the
// leakproof test environment forwards (see ../environment.ts).

import { LeakproofUsageError, defaultOptions, resolveOptions, type LeakOptions, type TestLeakRecord } from '@leakproof/core'
import { checkRepeatedTest, concurrentTestError, fitToTest, mergeOptions, recordCheckedTest } from '@leakproof/core/adapter'
import {
  allTests,
  callInSequence,
  callTestFn,
  declarationLine,
  eachHooks,
  fullName,
  jestTestId,
  type CircusEvent,
  type CircusState,
  type CircusTest,
  type TestFn,
} from './circus.js'
import { controllerKey, noLeakCheckMark, type EachTestController } from './controller.js'
import { trackFrameworkState } from './framework-state.js'

/** `testEnvironmentOptions.leakproof`: leak options for every test, plus which tests to leave out. */
export interface EachTestOptions extends LeakOptions {
  /**
   * Tests not to repeat: a substring of the full test name (`describe > test`), or a regular
   * expression written as a string, `'/^db /i'`.
   */
  exclude?: string[]
}

interface SnapshotStateLike {
  _counters?: Map<string, number>
  added?: number
  matched?: number
  unmatched?: number
  updated?: number
}

interface ExpectStateLike {
  assertionCalls?: number
  numPassingAsserts?: number
  suppressedErrors?: unknown[]
  snapshotState?: SnapshotStateLike
}

interface ExpectLike {
  getState(): ExpectStateLike
  setState(state: Partial<ExpectStateLike>): void
}

interface RunningTest {
  test: CircusTest
  skipReason?: string
  options?: LeakOptions
  measuredBy?: string
}

interface Original {
  fn: TestFn
  timeout: number | undefined
}

const ownKeys = new Set(['exclude'])
/**
 * Least measurement timeout in per-test mode: twice core's default. A whole test with its hooks
 * is a heavier subject than a function, and a clean test reported as a timeout is worse than a
 * slow verdict in the CI job this mode is for.
 */
const eachTestTimeoutMs = 2 * defaultOptions.timeout
/** How a test leaves per-test mode, for the messages. */
const optOut = 'noLeakCheck(fn), skipLeakCheck() in its body, or testEnvironmentOptions.leakproof.exclude'

/** Longest delay setTimeout accepts. */
const maxTimerMs = 2_147_483_647

function optionError(message: string): never {
  throw new LeakproofUsageError(`testEnvironmentOptions.leakproof: ${message}`)
}

function toPattern(text: string): (name: string) => boolean {
  const regex = /^\/(.+)\/([a-z]*)$/.exec(text)
  if (regex) {
    let re: RegExp
    try {
      re = new RegExp(regex[1]!, regex[2])
    } catch (error) {
      optionError(`exclude pattern ${text} is not a valid regular expression (${(error as Error).message})`)
    }
    return (name) => re.test(name)
  }
  return (name) => name.includes(text)
}

/** Validate `testEnvironmentOptions.leakproof` once, when the environment is created. */
export function parseEachTestOptions(raw: unknown): { options: LeakOptions; exclude: Array<(name: string) => boolean> } {
  if (raw === undefined) return { options: {}, exclude: [] }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    optionError('must be an object like { iterations: 400, exclude: ["slow suite"] }')
  }
  const input = raw as Record<string, unknown>
  const options: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(input)) if (!ownKeys.has(key)) options[key] = value
  const exclude = input.exclude
  if (exclude !== undefined && (!Array.isArray(exclude) || !exclude.every((e) => typeof e === 'string'))) {
    optionError('"exclude" must be an array of strings (test name substrings or "/regex/flags")')
  }
  try {
    resolveOptions(options as LeakOptions)
  } catch (error) {
    if (error instanceof LeakproofUsageError) optionError(error.message)
    throw error
  }
  return { options: options as LeakOptions, exclude: ((exclude as string[] | undefined) ?? []).map(toPattern) }
}

/** Rebuild RegExps made in the test file's realm, which core's `instanceof RegExp` does not accept. */
function adoptOptions(options: LeakOptions): LeakOptions {
  const ignore = options.ignore
  if (!ignore || typeof ignore !== 'object') return { ...options }
  const adopt = (list: unknown) =>
    Array.isArray(list)
      ? list.map((p: unknown) =>
          Object.prototype.toString.call(p) === '[object RegExp]' && !(p instanceof RegExp)
            ? new RegExp((p as RegExp).source, (p as RegExp).flags)
            : p,
        )
      : list
  const copy: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(ignore)) copy[key] = adopt(value)
  return { ...options, ignore: copy as LeakOptions['ignore'] }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `Exceeded timeout of ${ms} ms for a test.\nAdd a timeout value to this test to increase the timeout, ` +
              'if this is a long-running test. See https://jestjs.io/docs/api#testname-fn-timeout.',
          ),
        ),
      ms,
    )
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

export interface EachTestModeInit {
  /** The test file's global (environment.global). */
  global: Record<PropertyKey, unknown>
  testPath: string
  options: LeakOptions
  exclude: Array<(name: string) => boolean>
  /** The test environment: the registries of its mock machinery are trimmed between repeats. */
  environment?: object
}

export class EachTestMode {
  private running: RunningTest | undefined
  private readonly originals = new WeakMap<CircusTest, Original>()

  constructor(private readonly init: EachTestModeInit) {
    const controller: EachTestController = {
      skip: (reason) => {
        if (this.running) this.running.skipReason = reason ?? 'skipLeakCheck() called in the test'
      },
      configure: (options) => {
        // Over the project's options and earlier calls: `ignore` lists add up, as everywhere.
        if (this.running) this.running.options = mergeOptions(this.running.options, adoptOptions(options))
      },
      measuresItself: (matcher) => {
        if (this.running && !this.running.measuredBy) this.running.measuredBy = matcher
      },
    }
    Object.defineProperty(init.global, controllerKey, { value: controller, configurable: true })
  }

  /** jest-circus event handler (environment.handleTestEvent). */
  async handle(event: CircusEvent, state: CircusState): Promise<void> {
    switch (event.name) {
      case 'run_start':
        this.refuseConcurrent(state)
        break
      case 'test_fn_start':
        if (event.test) this.wrap(event.test, state)
        break
      case 'test_done':
        if (event.test) this.restore(event.test)
        break
    }
  }

  private isExcluded(test: CircusTest, fn: TestFn): boolean {
    if ((fn as unknown as Record<symbol, unknown>)[noLeakCheckMark] === true) return true
    const name = fullName(test)
    const id = jestTestId(test)
    return this.init.exclude.some((matches) => matches(name) || matches(id))
  }

  // Concurrent tests start before their turn and share one heap: no per-test verdict is possible.
  // Refused before jest-circus starts them, so their bodies never run.
  private refuseConcurrent(state: CircusState): void {
    for (const test of allTests(state.rootDescribeBlock)) {
      if (!test.concurrent || this.isExcluded(test, test.fn)) continue
      const error = concurrentTestError(
        `test.concurrent ("${fullName(test)}")`,
        "Make it a plain test(), or leave it out with test.concurrent('…', noLeakCheck(fn)) or testEnvironmentOptions.leakproof.exclude.",
      )
      if (test.asyncError?.stack) error.stack = `${error.name}: ${error.message}\n${stackFrames(test.asyncError.stack)}`
      test.fn = () => {
        throw error
      }
    }
  }

  private wrap(test: CircusTest, state: CircusState): void {
    if (test.concurrent) return
    const original = this.originals.get(test) ?? { fn: test.fn, timeout: test.timeout }
    this.originals.set(test, original)
    // Not repeated: test.failing (expected to throw), opt-outs, and generator functions (Jest 29
    // runs them through co; repeating them here would change how they run).
    if (test.failing || this.isExcluded(test, original.fn) || isGeneratorFunction(original.fn)) return
    const testTimeout = original.timeout || state.testTimeout
    // jest-circus's timer would cut the repeats short: the first run keeps the test's own timeout
    // (enforced in run()), the repeats are bounded by the measurement's `timeout`.
    test.timeout = maxTimerMs
    const mode = this
    test.fn = function leakCheckedTest(this: unknown) {
      return mode.run(test, original.fn, this, testTimeout)
    }
  }

  private restore(test: CircusTest): void {
    const original = this.originals.get(test)
    if (!original) return
    test.fn = original.fn
    test.timeout = original.timeout
    this.running = undefined
  }

  private async run(test: CircusTest, fn: TestFn, context: unknown, testTimeout: number): Promise<void> {
    const running: RunningTest = { test }
    this.running = running
    const snapshots = this.expect()?.getState().snapshotState
    const id = jestTestId(test)
    const counters = isMapLike(snapshots?._counters) ? snapshots!._counters! : undefined
    const snapshotCounter = counters?.get(id)

    // 1. The test as it would run anyway: its own failure is reported as itself, nothing else.
    const started = performance.now()
    const first = callTestFn(fn, context)
    if (isThenable(first)) await withTimeout(Promise.resolve(first), testTimeout)
    const firstRunMs = performance.now() - started

    if (running.skipReason !== undefined) {
      this.record(test, 'skipped')
      return
    }
    // A test that asserts on memory itself (toLeak / toBeCollected) already has its verdict.
    if (running.measuredBy) return

    // 2. Repeats: afterEach hooks of the previous run, beforeEach hooks, the test.
    const { beforeEach, afterEach } = eachHooks(test)
    const sequence = [...afterEach.map((h) => h.fn), ...beforeEach.map((h) => h.fn), fn]
    const expectState = this.saveExpectState()
    // Every repeat's toMatchSnapshot() must compare with the snapshots the first run used.
    const resetSnapshots = counters
      ? () => {
          if (snapshotCounter === undefined) counters.delete(id)
          else counters.set(id, snapshotCounter)
        }
      : undefined
    const framework = trackFrameworkState(this.init.environment)
    const subject = () => {
      framework.afterRun() // the run before this one has ended
      resetSnapshots?.()
      return callInSequence(sequence, context)
    }
    // As many runs as fit the test's cost (a slow test gets fewer, and the time for them).
    const options = fitToTest(mergeOptions(this.init.options, running.options), firstRunMs, eachTestTimeoutMs)
    const frames = test.asyncError?.stack ? stackFrames(test.asyncError.stack) : ''

    try {
      // Core measures the repeats, writes the record and frames the failure (a leak, or the
      // test's own error from a repeat, with a note saying which run).
      await checkRepeatedTest({
        test: this.checkedTest(test),
        run: subject,
        options,
        hookCount: beforeEach.length + afterEach.length,
        optOut,
        ignore: 'leakCheckOptions({ ignore: { types: [...] } })',
        ...(frames ? { frames } : {}),
      })
    } finally {
      this.restoreExpectState(expectState)
      framework.dispose()
    }
  }

  private expect(): ExpectLike | undefined {
    const expect = this.init.global.expect as ExpectLike | undefined
    return expect && typeof expect.getState === 'function' && typeof expect.setState === 'function' ? expect : undefined
  }

  // expect counts assertions per test (expect.assertions(n), hasAssertions) and snapshots per
  // name: after the repeats, put back what the first run left, so the test reports as if run once.
  private saveExpectState(): (() => void) | undefined {
    const expect = this.expect()
    if (!expect) return undefined
    const state = expect.getState()
    const saved = {
      assertionCalls: state.assertionCalls,
      numPassingAsserts: state.numPassingAsserts,
      suppressed: state.suppressedErrors?.length ?? 0,
    }
    const snapshots = state.snapshotState
    const counts = snapshots
      ? { added: snapshots.added, matched: snapshots.matched, unmatched: snapshots.unmatched, updated: snapshots.updated }
      : undefined
    return () => {
      const now = expect.getState()
      const restored: Partial<ExpectStateLike> = {}
      if (saved.assertionCalls !== undefined) restored.assertionCalls = saved.assertionCalls
      if (saved.numPassingAsserts !== undefined) restored.numPassingAsserts = saved.numPassingAsserts
      // Keep one repeat's suppressed error (a real failure), not one per repeat.
      if (now.suppressedErrors && now.suppressedErrors.length > saved.suppressed + 1) {
        restored.suppressedErrors = now.suppressedErrors.slice(0, saved.suppressed + 1)
      }
      expect.setState(restored)
      if (snapshots && counts) Object.assign(snapshots, counts)
    }
  }

  private restoreExpectState(restore: (() => void) | undefined): void {
    restore?.()
  }

  private checkedTest(test: CircusTest): { testPath: string; name: string; line?: number } {
    const line = declarationLine(test, this.init.testPath)
    return { testPath: this.init.testPath, name: fullName(test), ...(line === undefined ? {} : { line }) }
  }

  private record(test: CircusTest, verdict: TestLeakRecord['verdict']): void {
    recordCheckedTest(this.checkedTest(test), verdict)
  }
}

function isGeneratorFunction(fn: unknown): boolean {
  return Object.prototype.toString.call(fn) === '[object GeneratorFunction]'
}

// jest-circus and expect live in the test file's realm: check shapes, not instanceof.
function isMapLike(value: unknown): value is Map<string, number> {
  return typeof value === 'object' && value !== null && typeof (value as Map<string, number>).get === 'function' && typeof (value as Map<string, number>).set === 'function' && typeof (value as Map<string, number>).delete === 'function'
}

function stackFrames(stack: string): string {
  const lines = stack.split('\n')
  const first = lines.findIndex((l) => /^\s+at /.test(l))
  return first === -1 ? '' : lines.slice(first).join('\n')
}
