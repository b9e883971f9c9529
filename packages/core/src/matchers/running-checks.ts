// Leak checks whose test has ended. A framework that times a test out moves on to the next test,
// but the test's `toLeak()` measurement goes on and holds the process's single measurement slot:
// the next test's check would fail with "another leak measurement is already running". The
// adapters start every `toLeak()` through `RunningChecks.begin` and, when a test ends (an
// afterEach hook their setup files register), abort the checks that test started.
import type { LeakOptions } from '../options.js'

/** A started check: the options to measure with (they carry the abort signal) and its cleanup. */
export interface RunningCheck {
  options: unknown
  /** Call when the check has settled, whatever the outcome. */
  end(): void
}

/** The `toLeak()` measurements running in this test file, by the test that started them. */
export class RunningChecks {
  /** Controller of each running check → the test that started it (undefined when unknown). */
  private readonly running = new Map<AbortController, unknown>()

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
      return { options, end: () => {} }
    }
    const user = (options as LeakOptions | undefined)?.signal
    if (user !== undefined && !(user instanceof AbortSignal)) return { options, end: () => {} }
    const controller = new AbortController()
    const signal = user ? AbortSignal.any([user, controller.signal]) : controller.signal
    this.running.set(controller, test)
    return {
      options: { ...(options as LeakOptions | undefined), signal },
      end: () => void this.running.delete(controller),
    }
  }

  /**
   * Abort the checks started by `test`, and those whose test is unknown. Without an argument,
   * every running check. The engine stops the measurement and frees its slot at once.
   */
  abort(test?: unknown): void {
    for (const [controller, owner] of this.running) {
      if (test !== undefined && owner !== undefined && owner !== test) continue
      this.running.delete(controller)
      controller.abort()
    }
  }

  /** How many checks are running (for tests). */
  get size(): number {
    return this.running.size
  }
}
