import type { ForcedGc } from './force-gc.js'
import { nextMacrotask } from './timers.js'

/**
 * Collect fully and let the heap settle: full GC, one real macrotask (FinalizationRegistry
 * callbacks and WeakRef clearing run there), full GC again (it also releases `external` memory,
 * which lags one collection).
 */
export async function settle(gc: ForcedGc): Promise<void> {
  gc.full()
  await nextMacrotask()
  gc.full()
}
