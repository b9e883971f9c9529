// Leak checks whose test has ended. A framework that times a test out moves on to the next test,
// but the test's `toLeak()` measurement goes on and holds the process's single measurement slot:
// the next test's check would fail with "another leak measurement is already running". The
// adapters start every `toLeak()` through `RunningChecks.begin` and, when a test ends (an
// afterEach hook their setup files register), abort the checks that test started.
import { LeakproofUsageError } from '../errors.js'
import type { LeakOptions } from '../options.js'
import type { MatcherResult } from './context.js'

/** A started check: the options to measure with (they carry the abort signal) and its cleanup. */
export interface RunningCheck {
  options: unknown
  /** Call when the check has settled, whatever the outcome. */
  end(): void
  /**
   * Whether `abort()` stopped it because its test had ended: its outcome then belongs to no
   * assertion (the test already failed, by a timeout or by the not-awaited error), and the
   * adapter settles the matcher quietly rather than leave a rejection nobody handles.
   */
  readonly abortedAtTestEnd: boolean
}

/** The error a test fails with when its leak assertion was still running as it ended. */
export function notAwaitedError(matcher: string): Error {
  return new LeakproofUsageError(
    `${matcher}() was not awaited: its measurement was still running when the test ended, so the ` +
      `test would have passed without a verdict. ${matcher}() returns a promise: write ` +
      `\`await expect(fn).not.${matcher}()\` (and make the test function async).`,
  )
}

/** The `toLeak()` measurements running in this test file, by the test that started them. */
export class RunningChecks {
  /** Controller of each running check → the test that started it (undefined when unknown). */
  private readonly running = new Map<AbortController, unknown>()
  /** `toBeCollected()` checks still waiting, by the test that made them (they hold no slot). */
  private readonly waiting = new Map<object, { test: unknown; matcher: string }>()

  /**
   * Watch an assertion that cannot be aborted (`toBeCollected()`): when its test ends with it still
   * waiting, that test did not await it. Holds the promise only, never what it checks.
   */
  watch<T>(result: Promise<T>, test: unknown, matcher: string): Promise<T> {
    const key = {}
    this.waiting.set(key, { test, matcher })
    const done = () => void this.waiting.delete(key)
    result.then(done, done)
    return result
  }

  /**
   * Give `options` a signal that `abort()` fires, combined with the user's own `signal`. Options
   * that are not an options object (or whose `signal` is not an AbortSignal) are passed through
   * unchanged, for the engine to reject with its usage error.
   *
   * `test` identifies the test that makes the check (any value the adapter can find again when
   * the test ends, such as its task object); leave it undefined when unknown.
   */
  begin(options: unknown, test?: unknown): RunningCheck {
    if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
      return { options, end: () => {}, abortedAtTestEnd: false }
    }
    const user = (options as LeakOptions | undefined)?.signal
    if (user !== undefined && !(user instanceof AbortSignal)) return { options, end: () => {}, abortedAtTestEnd: false }
    const controller = new AbortController()
    const signal = user ? AbortSignal.any([user, controller.signal]) : controller.signal
    this.running.set(controller, test)
    return {
      options: { ...(options as LeakOptions | undefined), signal },
      end: () => void this.running.delete(controller),
      get abortedAtTestEnd() {
        return controller.signal.aborted
      },
    }
  }

  /**
   * Run one `toLeak()` check: `check` measures with the options `begin` gives (they carry the abort
   * signal). A check stopped because its test ended settles quietly as the outcome `isNot` wanted:
   * that test has failed already (a timeout, or not awaited), and a rejection would reach nobody.
   */
  async track(
    options: unknown,
    test: unknown,
    isNot: boolean,
    check: (options: unknown) => Promise<MatcherResult>,
  ): Promise<MatcherResult> {
    const running = this.begin(options, test)
    try {
      return await check(running.options)
    } catch (error) {
      if (running.abortedAtTestEnd) return { pass: !isNot, message: () => 'the leak check was stopped: its test had ended' }
      throw error
    } finally {
      running.end()
    }
  }

  /**
   * A test ended (the adapters' afterEach hook): abort the checks it started. When it passed with
   * one still running, it never awaited it: throws the not-awaited error, so that this test fails
   * rather than the next one with "another leak measurement is already running".
   */
  testEnded(test: unknown, failed: boolean): void {
    let unawaited = this.abort(test) > 0 ? 'toLeak' : undefined
    for (const [key, watched] of this.waiting) {
      if (test !== undefined && watched.test !== undefined && watched.test !== test) continue
      this.waiting.delete(key)
      unawaited ??= watched.matcher
    }
    if (unawaited && !failed) throw notAwaitedError(unawaited)
  }

  /**
   * Abort the checks started by `test`, and those whose test is unknown. Without an argument,
   * every running check. The engine stops the measurement and frees its slot at once. Returns how
   * many of them `test` itself started (for the not-awaited check).
   */
  abort(test?: unknown): number {
    let own = 0
    for (const [controller, owner] of this.running) {
      if (test !== undefined && owner !== undefined && owner !== test) continue
      if (test !== undefined && owner === test) own++
      this.running.delete(controller)
      controller.abort()
    }
    return own
  }

  /** How many checks are running (for tests). */
  get size(): number {
    return this.running.size
  }
}
