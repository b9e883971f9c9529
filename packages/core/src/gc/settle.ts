import type { ForcedGc } from './force-gc.js'
import { nextMacrotask } from './timers.js'

/**
 * Collect fully and let the heap settle: full GC, one real macrotask (FinalizationRegistry
 * callbacks and WeakRef clearing run there), full GC again (it also releases `external` memory,
 * which lags one collection). Used before heap snapshots and final readings.
 */
export async function settle(gc: ForcedGc): Promise<void> {
  gc.full()
  await nextMacrotask()
  gc.full()
}

/**
 * One full GC and a macrotask: what a screening round needs. What the macrotask releases, and
 * `external` memory freed by this GC, show up one round later, the same lag in every round, so
 * slopes are unaffected while each round costs one collection instead of two.
 */
export async function settleRound(gc: ForcedGc): Promise<void> {
  gc.full()
  await nextMacrotask()
}
