// Opting tests and suites in and out of per-test mode, in any Vitest version. (Vitest 4.1+ also
// takes `{ meta: { leakproof: ... } }` in test and describe options; these helpers set the same
// `meta` key, so both ways mix.)
import { LeakproofUsageError } from '@leakproof/core'
import { test, type TestFunction } from 'vitest'
import type { EachTestSetting } from '../config.js'
import { metaKey } from './each-test.js'
import { collectingFile, insideTest, runnerApi, type SuiteLike } from './vitest-api.js'

type TestOptionsArg = Parameters<typeof test>[1]

/** Same call shapes as Vitest's `test(name, fn, timeout?)` / `test(name, options, fn)`. */
export interface LeakTestFn {
  (name: string, fn?: TestFunction, timeout?: number): void
  (name: string, options: TestOptionsArg, fn?: TestFunction): void
}

export interface LeakTestApi extends LeakTestFn {
  /** Only this test (and other `.only`s) runs. */
  only: LeakTestFn
  /** Skipped, like `test.skip`. */
  skip: LeakTestFn
  /** A `leakTest` whose check uses these options, or — with `false` — a plain test that is never checked. */
  with: (setting: EachTestSetting) => LeakTestApi
}

function checkSetting(setting: unknown, where: string): asserts setting is EachTestSetting {
  if (typeof setting === 'boolean') return
  if (setting === null || typeof setting !== 'object' || Array.isArray(setting)) {
    throw new LeakproofUsageError(`${where} takes true, false or leak options like { calls: 100 }, got ${String(setting)}`)
  }
}

function markLatestTest(setting: EachTestSetting): void {
  const tasks = runnerApi.getCurrentSuite().tasks as { type?: string; meta?: Record<string, unknown> }[]
  const latest = tasks[tasks.length - 1]
  if (!latest || latest.type !== 'test') {
    throw new LeakproofUsageError('leakTest() must be called where test() can be: at the top of a file or inside describe()')
  }
  latest.meta ??= Object.create(null) as Record<string, unknown>
  latest.meta[metaKey] = setting
}

function makeLeakTest(setting: EachTestSetting): LeakTestApi {
  const variant =
    (base: (...args: never[]) => unknown): LeakTestFn =>
    (...args: unknown[]) => {
      ;(base as (...a: unknown[]) => unknown)(...args)
      markLatestTest(setting)
    }
  return Object.assign(variant(test), {
    only: variant(test.only),
    skip: variant(test.skip),
    with: (next: EachTestSetting) => {
      checkSetting(next, 'leakTest.with()')
      return makeLeakTest(next)
    },
  })
}

/**
 * A test that per-test mode checks for leaks, whether or not the plugin's `eachTest` is on:
 * it runs once, then again and again with its hooks, and fails with the leak report when the
 * runs retain memory. `leakTest.with({ calls: 60 })` sets options for the check;
 * `leakTest.with(false)` opts a test out when `eachTest` is on.
 *
 * ```ts
 * leakTest('handler lets go of each request', async () => {
 *   await handler(request)
 * })
 * ```
 */
export const leakTest: LeakTestApi = makeLeakTest(true)

/**
 * Per-test mode for every test in the enclosing `describe` block, or in the file when called at
 * its top level: `true` (check them), `false` (do not), or options for their checks. Tests and
 * inner suites can still override it.
 */
export function checkEachTest(setting: EachTestSetting = true): void {
  checkSetting(setting, 'checkEachTest()')
  if (insideTest()) {
    throw new LeakproofUsageError(
      'checkEachTest() runs while tests are collected: call it at the top of a test file or inside describe(), ' +
        'not inside a test or hook. For one test, use leakTest() or { meta: { leakproof: ... } }.',
    )
  }
  const collector = runnerApi.getCurrentSuite() as { suite?: SuiteLike }
  // Top-level tests have no suite (Vitest deletes the default collector's): mark the file.
  const suite = collector.suite ?? collectingFile()
  if (!suite) throw new LeakproofUsageError('checkEachTest() must be called at the top of a test file or inside describe()')
  suite.meta ??= Object.create(null) as Record<string, unknown>
  suite.meta[metaKey] = setting
}
