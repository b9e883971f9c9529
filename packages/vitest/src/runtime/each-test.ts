// Per-test mode: a selected test runs once as usual; when it passes, it is run again and again —
// beforeEach hooks, body, afterEach hooks and cleanups each time — as the subject of core's
// measureLeak, and fails with the leak report when those runs retain memory.
//
// Where it hooks in: a beforeEach hook (registered by the setup file, so it is on every test
// file) registers an onTestFinished callback for each selected test. Vitest calls it after the
// test's own afterEach hooks and cleanups, so every measured run is a complete, sequential unit
// (set up, run, tear down) that never overlaps the first run's state. Everything used is public
// in Vitest 3, 4 and 5: beforeEach, onTestFinished, the task on the test context, and the
// runner's getFn / getHooks (see vitest-api.ts).
import { LeakproofUsageError, type LeakOptions } from '@leakproof/core'
import {
  checkQueuedTests,
  concurrentTestError,
  describeError,
  mergeOptions,
  recordCheckedTest,
  type CheckedTest,
  type QueuedTest,
  type TestFailure,
} from '@leakproof/core/adapter'
import type { EachTestSetting } from '../config.js'
import { trackFrameworkState } from './framework-state.js'
import { leakAssertionCount } from './matchers.js'
import { workerSettings } from './settings.js'
import {
  afterAll,
  beforeEach,
  enterTest,
  expect,
  hookSequence,
  resendTestResult,
  runnerApi,
  shuffledTests,
  testName,
  type HookFn,
  type HookSequence,
  type SuiteLike,
  type TaskLike,
} from './vitest-api.js'

/** `meta` key read on tests, suites and files: true, false or LeakOptions. */
export const metaKey = 'leakproof'

/** How a test leaves per-test mode, for the messages. */
const optOut = '{ meta: { leakproof: false } } or leakTest.with(false)'

/** True while a per-test measurement replays a test: the replayed beforeEach hooks include ours. */
let replaying = false

/** The test, its suites from the innermost out, then the file. */
function nodesOf(task: TaskLike): SuiteLike[] {
  const nodes: SuiteLike[] = [task]
  for (let s = task.suite; s; s = s.suite) nodes.push(s)
  if (!nodes.includes(task.file)) nodes.push(task.file)
  return nodes
}

/** The leak options a test is checked with, or undefined when per-test mode does not apply to it. */
export function testSetting(task: TaskLike): LeakOptions | undefined {
  const { options, eachTest } = workerSettings()
  let explicit: EachTestSetting | undefined
  for (const node of nodesOf(task)) {
    const value = node.meta?.[metaKey] as EachTestSetting | undefined
    if (value !== undefined) {
      explicit = value
      break
    }
  }
  if (explicit === false) return undefined
  if (explicit === undefined) return eachTest === false ? undefined : eachTest
  const base = eachTest === false ? options : eachTest
  if (explicit === true) return base
  if (typeof explicit !== 'object' || explicit === null || Array.isArray(explicit)) {
    throw new LeakproofUsageError(
      `meta.${metaKey} must be true, false or leak options like { calls: 100 }, got ${JSON.stringify(explicit)}`,
    )
  }
  return mergeOptions(base, explicit)
}

/** A test that passed its first run, waiting for the end of its group (see flushPoint). */
interface Pending {
  task: TaskLike
  queued: QueuedTest
}

/** Tests of the running file waiting to be checked together. */
const pending: Pending[] = []

/** Register the per-test mode's hooks on the current test file (the setup file does this). */
export function installEachTest(): void {
  // The context is destructured: Vitest parses a hook's first parameter for the test.extend
  // fixtures it uses, and fails every test of a file with fixtures when it is a plain name.
  beforeEach(({ task }: { task?: TaskLike }) => {
    if (replaying) return
    if (!task || task.type !== 'test') return
    // A file that stopped early (bail) left its tests: they belong to no group any more.
    if (pending.length > 0 && pending[0]!.task.file !== task.file) pending.length = 0
    const options = task.fails ? undefined : testSetting(task)
    if (options && task.concurrent) {
      throw concurrentTestError(
        'a test that runs concurrently (test.concurrent, describe.concurrent or sequence.concurrent)',
        `Run it sequentially, or leave it out with ${optOut}.`,
      )
    }
    const flush = pending.length > 0 || options ? flushPoint(task) : false
    if (!options && !flush) return
    const assertionsBefore = leakAssertionCount()
    const started = performance.now()
    const register = task.context.onTestFinished as ((fn: HookFn, timeout?: number) => void) | undefined
    // Timeout 0: no hook timeout around the checks; the engine has its own (`timeout` option).
    register?.(async () => {
      if (options) queueTest(task, options, performance.now() - started, assertionsBefore)
      if (flush) await checkPending(task)
    }, 0)
    // Timeout 0: Vitest wraps the hook without a timer. It is synchronous, and it is among the
    // hooks every repeated run calls: no timer per run for it.
  }, 0)
  // Tests still waiting when the file ends (a test order leakproof could not foresee): no verdict.
  afterAll(() => {
    for (const { task } of pending.splice(0)) {
      recordCheckedTest(checkedTest(task), 'skipped', { error: 'per-test mode could not check this test before its hooks ended (shuffled order?)' })
    }
  })
}

function checkedTest(task: TaskLike): CheckedTest {
  const location = task.location
  return { testPath: task.file.filepath, name: testName(task), ...(location ? { line: location.line } : {}) }
}

function queueTest(task: TaskLike, options: LeakOptions, firstRunMs: number, assertionsBefore: number): void {
  // A failing (or skipped) first run keeps its own result: no verdict on top of it.
  if (task.result?.state !== 'pass') return
  // The test makes its own leak assertions (toLeak / toBeCollected): nothing to add, and the
  // engine's measurements cannot nest.
  if (leakAssertionCount() !== assertionsBefore) return
  const location = task.location
  pending.push({
    task,
    queued: {
      test: checkedTest(task),
      run: () => undefined,
      options,
      firstRunMs,
      optOut,
      ignore: '{ meta: { leakproof: { ignore: { types: [...] } } } }',
      // Vitest shows the code at a test file's frame: point at the test (with includeTaskLocation).
      ...(location ? { frames: `    at ${task.file.filepath}:${location.line}:${location.column}` } : {}),
    },
  })
}

/**
 * Whether the tests waiting must be checked when `task` ends: it is the last test to run of the
 * file, or of a suite with beforeAll/afterAll hooks (its tests can only be repeated before its
 * afterAll hooks run). Under a shuffled order, after every test.
 */
function flushPoint(task: TaskLike): boolean {
  if (shuffledTests()) return true
  for (let suite: SuiteLike | undefined = task.suite ?? task.file; suite; suite = parentOf(suite, task)) {
    if (lastToRun(suite) !== task) return false
    if (suite === task.file || suite.filepath !== undefined) return true
    const hooks = runnerApi.getHooks(suite)
    if ((hooks.afterAll?.length ?? 0) > 0 || (hooks.beforeAll?.length ?? 0) > 0) return true
  }
  return false
}

function parentOf(suite: SuiteLike, task: TaskLike): SuiteLike | undefined {
  if (suite === task.file || suite.filepath !== undefined) return undefined
  return suite.suite ?? task.file
}

/** The last test under `suite` that runs (not skipped, todo or filtered out), in run order. */
function lastToRun(suite: SuiteLike): SuiteLike | undefined {
  const tasks = suite.tasks ?? []
  for (let i = tasks.length - 1; i >= 0; i--) {
    const child = tasks[i]!
    if (child.mode !== 'run' && child.mode !== 'only') continue
    if (child.type === 'test') return child
    const last = lastToRun(child)
    if (last) return last
  }
  return undefined
}

/**
 * Check the tests waiting, together (core screens them as one subject and bisects only what the
 * screen does not clear). A failure of `current` fails it here; an earlier test's failure is put
 * on that test's result and sent again, as Vitest does when a test ends.
 */
async function checkPending(current: TaskLike): Promise<void> {
  const batch = pending.splice(0)
  if (batch.length === 0) return
  const replays = new Map<QueuedTest, Replay>()
  // Between repeats, what Vitest does between tests: mock config, and its registries trimmed.
  const framework = trackFrameworkState()
  for (const { task, queued } of batch) {
    const replay = createReplay(task)
    replays.set(queued, replay)
    queued.run = framework.around(replay.run)
  }
  const byQueued = new Map(batch.map((p) => [p.queued, p.task]))
  replaying = true
  let failures: TestFailure[]
  try {
    failures = await checkQueuedTests(batch.map((p) => p.queued))
  } finally {
    replaying = false
    framework.dispose()
    for (const replay of replays.values()) replay.restore()
  }
  let own: { error: unknown } | undefined
  for (const { test, error } of failures) {
    const task = byQueued.get(test)!
    // No channel to the main process for an earlier test: the running test carries its failure.
    if (task === current || !failFinishedTest(task, error)) own ??= { error }
  }
  if (own) throw own.error
}

/** Fail a test that already ended as passed: its result, sent again to the main process. */
function failFinishedTest(task: TaskLike, error: unknown): boolean {
  const result = (task.result ??= { state: 'pass' })
  const before = { state: result.state, errors: result.errors }
  result.state = 'fail'
  result.errors = [...(result.errors ?? []), serializableError(error)]
  if (resendTestResult(task)) return true
  result.state = before.state
  result.errors = before.errors
  return false
}

/** An error as Vitest's reporters read one: name, message, stack. */
function serializableError(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) }
  return { name: 'Error', message: describeError(error) }
}

/** Suites whose hooks apply to the test, outermost (the file) first — as Vitest walks them. */
function hookChain(task: TaskLike): SuiteLike[] {
  const chain: SuiteLike[] = []
  let suite: SuiteLike | undefined = task.suite ?? task.file
  while (suite) {
    chain.unshift(suite)
    if (suite.filepath !== undefined) break
    suite = suite.suite ?? suite.file
  }
  return chain
}

async function runAll(fns: HookFn[], sequence: HookSequence, call: (fn: HookFn) => unknown): Promise<unknown[]> {
  if (sequence === 'parallel') return Promise.all(fns.map(async (fn) => call(fn)))
  const results: unknown[] = []
  for (const fn of fns) results.push(await call(fn))
  return results
}

interface Replay {
  /** One complete run of the test: beforeEach hooks, body, afterEach hooks, cleanups, onTestFinished. */
  run: () => Promise<void>
  /** Put back what the replay replaced on the task and its context. */
  restore: () => void
}

function createReplay(task: TaskLike): Replay {
  const fn = runnerApi.getFn(task)
  if (!fn) throw new LeakproofUsageError(`per-test mode could not find the function of test "${task.name}"`)
  const sequence = hookSequence()
  const chain = hookChain(task)
  const args = [task.context, chain[chain.length - 1]]
  // Same order as Vitest: beforeEach outer to inner; afterEach inner to outer, each suite's own
  // hooks reversed under the default 'stack' sequence; cleanups reversed under 'stack'.
  const before = chain.map((suite) => runnerApi.getHooks(suite).beforeEach)
  const after = [...chain].reverse().map((suite) => {
    const hooks = runnerApi.getHooks(suite).afterEach
    return sequence === 'stack' ? [...hooks].reverse() : hooks
  })
  const stacked = <T>(list: T[]): T[] => (sequence === 'stack' ? [...list].reverse() : list)

  const context = task.context
  const signal = trackSignalListeners(context.signal)
  const saved = {
    onFinished: task.onFinished,
    onFailed: task.onFailed,
    contextFinished: context.onTestFinished,
    contextFailed: context.onTestFailed,
  }

  const run = async (): Promise<void> => {
    const leave = enterTest(task)
    try {
      await runOnce()
    } finally {
      leave()
    }
  }
  const runOnce = async (): Promise<void> => {
    // Callbacks the run registers (onTestFinished / onTestFailed, via the global functions or the
    // context) are collected here and called at the end of this run, as Vitest would.
    const finished: HookFn[] = []
    const failed: HookFn[] = []
    task.onFinished = finished
    task.onFailed = failed
    context.onTestFinished = (cb: HookFn) => void finished.push(cb)
    context.onTestFailed = (cb: HookFn) => void failed.push(cb)
    // A snapshot assertion counts calls per test: each run starts from zero, as a retry does.
    const snapshotState = (expect.getState() as { snapshotState?: { clearTest?: (id: string) => void } }).snapshotState
    snapshotState?.clearTest?.(task.id)

    let failure: { error: unknown } | undefined
    const fail = (error: unknown) => void (failure ??= { error })
    const cleanups: unknown[] = []
    try {
      for (const hooks of before) cleanups.push(...(await runAll(hooks, sequence, (hook) => hook(...args))))
      await fn()
    } catch (error) {
      fail(error)
    }
    try {
      for (const hooks of after) await runAll(hooks, sequence, (hook) => hook(...args))
      const callable = cleanups.filter((c): c is HookFn => typeof c === 'function')
      await runAll(stacked(callable), sequence, (cleanup) => cleanup())
    } catch (error) {
      fail(error)
    }
    for (const cb of [...finished].reverse()) {
      try {
        await cb(context)
      } catch (error) {
        fail(error)
      }
    }
    signal.release()
    if (failure) {
      for (const cb of stacked(failed)) {
        try {
          await cb(context)
        } catch {
          // the run already failed with its first error
        }
      }
      throw failure.error
    }
  }

  const restore = () => {
    signal.restore()
    task.onFinished = saved.onFinished
    task.onFailed = saved.onFailed
    context.onTestFinished = saved.contextFinished
    context.onTestFailed = saved.contextFailed
  }
  return { run, restore }
}

/**
 * Listeners a run adds to the test context's AbortSignal, removed when the run ends. Vitest 4
 * wraps the test function so that each call adds an 'abort' listener to that signal and never
 * removes it (it calls the function once per attempt; Vitest 5 removes it, and gives each attempt
 * a fresh signal). Removing what a finished run added is what a fresh signal per run would do.
 */
function trackSignalListeners(signal: unknown): { release: () => void; restore: () => void } {
  // Duck-typed: under a DOM environment (jsdom, happy-dom) the global EventTarget is the DOM
  // library's, and Node's AbortSignal is not an instance of it.
  const target = signal as EventTarget | null | undefined
  if (typeof target?.addEventListener !== 'function' || typeof target.removeEventListener !== 'function') return { release: () => {}, restore: () => {} }
  type Listener = Parameters<EventTarget['removeEventListener']>
  type Added = [Listener[0], Listener[1], Listener[2]]
  const added: Added[] = []
  const hadOwn = Object.prototype.hasOwnProperty.call(signal, 'addEventListener')
  const own = (signal as { addEventListener: unknown }).addEventListener
  Object.defineProperty(signal, 'addEventListener', {
    configurable: true,
    writable: true,
    value: function addEventListener(this: EventTarget, ...args: Added) {
      if (args[1]) added.push(args)
      const inherited = Reflect.get(Object.getPrototypeOf(signal) as object, 'addEventListener') as EventTarget['addEventListener']
      return (hadOwn ? (own as EventTarget['addEventListener']) : inherited).apply(this, args)
    },
  })
  return {
    release() {
      for (const [type, listener, options] of added.splice(0)) target.removeEventListener(type, listener, options)
    },
    restore() {
      this.release()
      if (hadOwn) (signal as { addEventListener: unknown }).addEventListener = own
      else delete (signal as { addEventListener?: unknown }).addEventListener
    },
  }
}
