// The few pieces of Vitest's runner the per-test mode needs, found the same way in Vitest 3, 4
// and 5. Vitest 4.1+ and 5 expose them as statics of the `TestRunner` class exported by 'vitest'
// (5 has no 'vitest/suite' entry any more); Vitest 3 and 4 export them from 'vitest/suite'.
import * as vitest from 'vitest'

export type HookFn = (...args: unknown[]) => unknown

export interface SuiteLike {
  name: string
  type?: string
  /** 'run' for what runs, 'skip' / 'todo' for what does not (filters included). */
  mode?: string
  meta?: Record<string, unknown>
  suite?: SuiteLike
  file?: SuiteLike
  filepath?: string
  tasks?: SuiteLike[]
}

export interface TestContextLike {
  onTestFinished?: unknown
  onTestFailed?: unknown
  [key: string]: unknown
}

/** The fields of a Vitest test task (RunnerTestCase) that leakproof reads. */
export interface TaskLike {
  id: string
  name: string
  type: string
  concurrent?: boolean
  fails?: boolean
  meta: Record<string, unknown>
  suite?: SuiteLike
  file: SuiteLike & { filepath: string }
  context: TestContextLike
  result?: { state: string; errors?: unknown[] }
  location?: { line: number; column: number }
  onFinished?: HookFn[]
  onFailed?: HookFn[]
  /** Async assertions of the run (`.resolves` / `.rejects`), awaited when the test ends. */
  promises?: unknown[]
}

export interface SuiteHooks {
  beforeEach: HookFn[]
  afterEach: HookFn[]
  beforeAll?: HookFn[]
  afterAll?: HookFn[]
}

interface RunnerApi {
  getFn: (task: TaskLike) => (() => unknown) | undefined
  getHooks: (suite: SuiteLike) => SuiteHooks
  getCurrentSuite: () => { tasks: unknown[] }
}

interface TestRunnerStatics {
  getTestFn?: RunnerApi['getFn']
  getSuiteHooks?: RunnerApi['getHooks']
  getCurrentSuite?: RunnerApi['getCurrentSuite']
}

async function loadRunnerApi(): Promise<RunnerApi> {
  const statics = (vitest as unknown as { TestRunner?: TestRunnerStatics }).TestRunner
  if (statics?.getTestFn && statics.getSuiteHooks && statics.getCurrentSuite) {
    return { getFn: statics.getTestFn, getHooks: statics.getSuiteHooks, getCurrentSuite: statics.getCurrentSuite }
  }
  const suite = (await import('vitest/suite')) as unknown as RunnerApi
  return { getFn: suite.getFn, getHooks: suite.getHooks, getCurrentSuite: suite.getCurrentSuite }
}

export const runnerApi: RunnerApi = await loadRunnerApi()

export type HookSequence = 'stack' | 'list' | 'parallel'

/** Vitest's per-worker state (3, 4 and 5 keep it on globalThis under this name). */
interface WorkerStateLike {
  config?: { sequence?: { hooks?: HookSequence; shuffle?: unknown }; testTimeout?: number }
  rpc?: { onTaskUpdate?: (packs: unknown[], events: unknown[]) => Promise<void> }
  /** The file while it is collected, then the suite or test that runs. */
  current?: SuiteLike & { type?: string }
}
const workerState = () => (globalThis as { __vitest_worker__?: WorkerStateLike }).__vitest_worker__

/** The project's `sequence.hooks` setting (default 'stack'), as the worker received it. */
export function hookSequence(): HookSequence {
  return workerState()?.config?.sequence?.hooks ?? 'stack'
}

/**
 * The test timeout new tests of this file get: the project's `testTimeout` (Vitest's default when
 * it sets none) as the worker received it, with any `vi.setConfig` of the file's setup files.
 */
export function configuredTestTimeout(): number | undefined {
  const timeout = workerState()?.config?.testTimeout
  return typeof timeout === 'number' ? timeout : undefined
}

/**
 * Report a finished test's changed result to the main process, as the runner does when a test
 * ends. False where the worker has no way to (the caller then reports the failure another way).
 */
export function resendTestResult(task: TaskLike): boolean {
  const rpc = workerState()?.rpc
  if (typeof rpc?.onTaskUpdate !== 'function') return false
  rpc.onTaskUpdate([[task.id, task.result, task.meta]], [[task.id, 'test-finished', undefined]]).catch(() => undefined)
  return true
}

/**
 * Make `task` the running test while one of its repeats runs after it ended (per-test mode checks
 * a file's tests together): global `expect` (snapshots, currentTestName) and `vi` read it from the
 * worker. Returns the function that puts the running test back.
 */
export function enterTest(task: TaskLike): () => void {
  const state = workerState()
  const expectState = expect.getState() as { currentTestName?: string }
  const previous = { current: state?.current, name: expectState.currentTestName }
  // The test whose run the check is in: the global expect() files `.resolves` / `.rejects`
  // assertions on Vitest's running test (a callback in onFinished, the promise in promises), which
  // a repeat of another test cannot change. What a repeat added there is taken off again.
  const host = previous.current as Partial<Pick<TaskLike, 'onFinished' | 'onFailed' | 'promises'>> | undefined
  const hostLists = host && host !== (task as unknown) ? listLengths(host) : undefined
  if (state) state.current = task as unknown as WorkerStateLike['current']
  expect.setState({ currentTestName: testName(task) })
  const unfile = host && host !== (task as unknown) ? fileSnapshotsUnder(task, (host as { id?: string }).id) : undefined
  return () => {
    if (state) state.current = previous.current
    expect.setState({ currentTestName: previous.name })
    if (host && hostLists) trimLists(host, hostLists)
    unfile?.()
  }
}

type SnapshotStateLike = Record<string, unknown>

/**
 * Snapshots of a repeat, filed under the repeated test. Vitest files a snapshot under the test it
 * is running, which during a check is the test the check runs in: a repeat's toMatchSnapshot() was
 * compared with that test's snapshots (and failed on run 2), its inline snapshots piled up there.
 * The file's SnapshotState is told the repeated test's id and name instead, for as long as the
 * repeat runs.
 */
function fileSnapshotsUnder(task: TaskLike, hostId: string | undefined): (() => void) | undefined {
  const snapshotState = (expect.getState() as unknown as { snapshotState?: SnapshotStateLike }).snapshotState
  if (!snapshotState || hostId === undefined) return undefined
  const name = testName(task)
  const rekey = (arg: unknown) =>
    typeof arg === 'object' && arg !== null && (arg as { testId?: unknown }).testId === hostId ? { ...arg, testId: task.id, testName: name } : arg
  const replaced: Array<[string, unknown, boolean]> = []
  for (const method of ['match', 'probeExpectedSnapshot']) {
    const original = snapshotState[method]
    if (typeof original !== 'function') continue
    replaced.push([method, original, Object.prototype.hasOwnProperty.call(snapshotState, method)])
    snapshotState[method] = function (this: unknown, arg: unknown, ...rest: unknown[]) {
      return (original as (...args: unknown[]) => unknown).call(this, rekey(arg), ...rest)
    }
  }
  return () => {
    for (const [method, original, own] of replaced) {
      if (own) snapshotState[method] = original
      else delete snapshotState[method]
    }
  }
}

type HostLists = Partial<Record<'onFinished' | 'onFailed' | 'promises', unknown[]>>

function listLengths(host: HostLists): Record<keyof HostLists, number | undefined> {
  return { onFinished: host.onFinished?.length, onFailed: host.onFailed?.length, promises: host.promises?.length }
}

function trimLists(host: HostLists, lengths: Record<keyof HostLists, number | undefined>): void {
  for (const key of ['onFinished', 'onFailed', 'promises'] as const) {
    const list = host[key]
    if (Array.isArray(list)) list.length = Math.min(list.length, lengths[key] ?? 0)
  }
}

/** Whether the project shuffles test order (sequence.shuffle). */
export function shuffledTests(): boolean {
  const shuffle = workerState()?.config?.sequence?.shuffle
  return shuffle === true || (typeof shuffle === 'object' && shuffle !== null && (shuffle as { tests?: unknown }).tests === true)
}

/** True while a test (or its hooks) runs, as opposed to while test files are collected. */
export function insideTest(): boolean {
  return workerState()?.current?.type === 'test'
}

/** The running test (Vitest 3's matcher context has no `task`: its worker state does). */
export function runningTest(): TaskLike | undefined {
  const current = workerState()?.current
  return current?.type === 'test' ? (current as unknown as TaskLike) : undefined
}

/** The test file being collected (top-level tests have no suite; the file carries their settings). */
export function collectingFile(): SuiteLike | undefined {
  const current = workerState()?.current
  return current && typeof current.filepath === 'string' ? current : undefined
}

/** Vitest's `currentTestName`: suite names and the test name joined with ' > ', without the file. */
export function testName(task: TaskLike): string {
  const names = [task.name]
  for (let s = task.suite; s && s.filepath === undefined; s = s.suite) {
    if (s.name) names.unshift(s.name)
  }
  return names.join(' > ')
}

export const { expect, beforeEach, afterEach, afterAll, onTestFinished, inject, vi } = vitest
