// The matcher types, written once: each adapter augments its framework's assertion interface
// with `LeakMatchers<R>` in a few lines (as @testing-library/jest-dom does).
import type { LeakOptions } from '../options.js'
import type { CollectionCheckOptions } from '../resources/index.js'

/** `toLeak` and `toBeCollected` on an `expect(...)`; `R` is what the framework's matchers return. */
export interface LeakMatchers<R = void> {
  /**
   * Calls the received function repeatedly (warm-up, then sampled rounds with forced GC) and
   * passes when memory is retained per call. Use as `await expect(() => handler(req)).not.toLeak()`.
   * Always await it.
   */
  toLeak(options?: LeakOptions): Promise<R>
  /**
   * Passes when the object is garbage-collected after forced GC. Pass a tracker, as
   * `await expect(trackCollection(obj)).toBeCollected()`: `expect(obj)` itself keeps `obj` alive.
   */
  toBeCollected(options?: CollectionCheckOptions): Promise<R>
}
