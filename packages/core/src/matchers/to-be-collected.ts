import { trackCollection, type CollectionTracker } from '../resources/index.js'
import { hint, type MatcherContextLike, type MatcherResult } from './context.js'

function isTracker(value: unknown): value is CollectionTracker {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CollectionTracker).check === 'function' &&
    typeof (value as CollectionTracker).isCollected === 'function'
  )
}

/**
 * Said when the object itself was passed and is still alive: Vitest's and Jest's `expect(value)`
 * keep `value` until the assertion settles (the retainer path then ends in their internals, such
 * as chai's `__flags`), so only a tracker can show it collected.
 */
export const passTrackerHint =
  'expect(value) keeps `value` alive until the assertion settles, so pass a tracker instead: ' +
  '`const tracked = trackCollection(value); value = undefined; await expect(tracked).toBeCollected()`.'

/**
 * `await expect(value).toBeCollected()`: the object is garbage-collected after forced GC.
 * Accepts the object itself or a `trackCollection(value)` handle (use the handle when the test
 * framework's own expect() machinery keeps the received value alive).
 */
export async function toBeCollected(this: MatcherContextLike, received: unknown, options?: { timeout?: number }): Promise<MatcherResult> {
  const passedTracker = isTracker(received)
  let tracker: CollectionTracker | undefined = passedTracker ? (received as CollectionTracker) : trackCollection(received as object)
  // Drop our own strong reference before collecting.
  received = undefined
  const result = await tracker.check(options)
  const label = tracker.label
  tracker = undefined
  const head = hint(this, 'toBeCollected', 'value', '')
  return {
    pass: result.collected,
    message: () =>
      result.collected
        ? `${head}\n\nExpected ${label} to stay alive, but it was garbage-collected.`
        : `${head}\n\nExpected ${label} to be garbage-collected, but it is still reachable` +
          (result.retainerPath ? `:\n  ${result.retainerPath}` : '.') +
          (passedTracker ? '' : `\n\n${passTrackerHint}`),
  }
}
