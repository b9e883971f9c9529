// Per-test mode: every selected test runs once as usual, then again and again through core's
// measureLeak, each repeat wrapped in the test's afterEach + beforeEach hooks, with forced GC and
// heap samples between rounds. Runs in Jest's outer realm, driven by jest-circus events that the
// leakproof test environment forwards (see ../environment.ts).

import { LeakproofUsageError, defaultOptions, resolveOptions, type LeakOptions, type TestLeakRecord } from '@leakproof/core'
import { checkQueuedTests, concurrentTestError, mergeOptions, recordCheckedTest, type QueuedTest, type TestFailure } from '@leakproof/core/adapter'
import {
  allTests,
  callInSequence,
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
  currentTestName?: string
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
  snapshotCounter?: number
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

export interface EachTestModeInit {
  /** The test file's global (environment.global). */
  global: Record<PropertyKey, unknown>
  testPath: string
  options: LeakOptions
  exclude: Array<(name: string) => boolean>
  /** The test environment: the registries of its mock machinery are trimmed between repeats. */
  environment?: object
}

/** A test that passed its first run, waiting for its group's check. */
interface Waiting {
  test: CircusTest
  queued: QueuedTest
  /** Its snapshot counter before its first run: every repeat's toMatchSnapshot() starts there. */
  snapshotCounter: number | undefined
}

export class EachTestMode {
  private running: RunningTest | undefined
  private startedAt = 0
  private waiting: Waiting[] = []
  private state: CircusState | undefined

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

  /**
   * jest-circus event handler (environment.handleTestEvent). Tests run once as usual; the ones
   * that pass wait, and are checked together (core screens them as one subject and bisects what
   * the screen does not clear) before the world their hooks built changes: before a
   * beforeAll/afterAll hook runs, and when the file's tests end. A failure goes on the test's own
   * errors, which jest-circus reads when it reports the file.
   */
  async handle(event: CircusEvent, state: CircusState): Promise<void> {
    this.state = state
    switch (event.name) {
      case 'run_start':
        this.refuseConcurrent(state)
        break
      case 'test_start':
        if (event.test) this.start(event.test)
        break
      case 'test_done':
        if (event.test) this.done(event.test)
        break
      case 'hook_start':
        if (event.hook?.type === 'beforeAll' || event.hook?.type === 'afterAll') await this.checkWaiting()
        break
      case 'run_describe_finish':
        if (!event.describeBlock?.parent) await this.checkWaiting()
        break
      case 'run_finish':
        await this.checkWaiting()
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

  private start(test: CircusTest): void {
    this.running = { test }
    this.startedAt = performance.now()
    const counters = this.snapshotCounters()
    this.running.snapshotCounter = counters?.get(jestTestId(test))
  }

  private done(test: CircusTest): void {
    const running = this.running
    this.running = undefined
    if (!running || running.test !== test) return
    const firstRunMs = performance.now() - this.startedAt
    // Not repeated: concurrent tests (refused above), test.failing (expected to throw), opt-outs,
    // and generator functions (Jest 29 runs them through co; repeating them would change how).
    if (test.concurrent || test.failing || this.isExcluded(test, test.fn) || isGeneratorFunction(test.fn)) return
    // A failing first run keeps its own result: no verdict on top of it.
    if (test.errors.length > 0) return
    if (running.skipReason !== undefined) {
      this.record(test, 'skipped')
      return
    }
    // A test that asserts on memory itself (toLeak / toBeCollected) already has its verdict.
    if (running.measuredBy) return
    const frames = test.asyncError?.stack ? stackFrames(test.asyncError.stack) : ''
    const { beforeEach, afterEach } = eachHooks(test)
    this.waiting.push({
      test,
      snapshotCounter: running.snapshotCounter,
      queued: {
        test: this.checkedTest(test),
        run: this.replay(test, running.snapshotCounter),
        options: mergeOptions(this.init.options, running.options),
        firstRunMs,
        minTimeout: eachTestTimeoutMs,
        hookCount: beforeEach.length + afterEach.length,
        optOut,
        ignore: 'leakCheckOptions({ ignore: { types: [...] } })',
        ...(frames ? { frames } : {}),
      },
    })
  }

  /** One complete run of a test: its beforeEach hooks, the test, its afterEach hooks, in a fresh context. */
  private replay(test: CircusTest, snapshotCounter: number | undefined): () => unknown {
    const { beforeEach, afterEach } = eachHooks(test)
    const sequence = [...beforeEach.map((h) => h.fn), test.fn, ...afterEach.map((h) => h.fn)]
    const id = jestTestId(test)
    return () => {
      // The repeat runs after the test ended: it is the running test again, for expect
      // (currentTestName, snapshots) and for code that asks circus which test runs.
      if (this.state) this.state.currentlyRunningTest = test
      this.expect()?.setState({ currentTestName: id })
      // Every repeat's toMatchSnapshot() must compare with the snapshots the first run used.
      const counters = this.snapshotCounters()
      if (counters) {
        if (snapshotCounter === undefined) counters.delete(id)
        else counters.set(id, snapshotCounter)
      }
      return callInSequence(sequence, Object.create(null))
    }
  }

  private async checkWaiting(): Promise<void> {
    // A test whose result turned into a failure after it ended (expect.assertions) is not repeated.
    const batch = this.waiting.splice(0).filter((w) => w.test.errors.length === 0)
    if (batch.length === 0) return
    const restore = this.saveExpectState()
    const state = this.state
    const running = state?.currentlyRunningTest
    // Between repeats, what Jest keeps of a test's mocks and replaced globals is trimmed.
    const framework = trackFrameworkState(this.init.environment)
    const queue = batch.map((w) => {
      const run = w.queued.run
      return {
        ...w.queued,
        run: () => {
          framework.afterRun() // the run before this one has ended
          return run()
        },
      }
    })
    const byQueued = new Map(queue.map((q, i) => [q, batch[i]!.test]))
    let failures: TestFailure[]
    try {
      failures = await checkQueuedTests(queue)
    } finally {
      framework.dispose()
      restore?.()
      if (state) state.currentlyRunningTest = running
    }
    for (const { test, error } of failures) {
      const circusTest = byQueued.get(test)!
      circusTest.errors.push(circusTest.asyncError ? [error, circusTest.asyncError] : error)
    }
  }

  private snapshotCounters(): Map<string, number> | undefined {
    const counters = this.expect()?.getState().snapshotState?._counters
    return isMapLike(counters) ? counters : undefined
  }

  private expect(): ExpectLike | undefined {
    const expect = this.init.global.expect as ExpectLike | undefined
    return expect && typeof expect.getState === 'function' && typeof expect.setState === 'function' ? expect : undefined
  }

  // expect counts assertions per test (expect.assertions(n), hasAssertions) and snapshots per
  // name: after the repeats, put back what the first runs left, so the tests report as if run once.
  private saveExpectState(): (() => void) | undefined {
    const expect = this.expect()
    if (!expect) return undefined
    const state = expect.getState()
    const saved = {
      currentTestName: state.currentTestName,
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
      const restored: Partial<ExpectStateLike> = { currentTestName: saved.currentTestName }
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
