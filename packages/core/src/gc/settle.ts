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
 * A macrotask, then one full GC: what a screening round needs. The reading that follows is taken
 * synchronously after the collection, so it holds only what survived it. Read after the
 * macrotask instead, it also held whatever the process allocated during that turn (a test
 * runner's RPC and timers): measured in a Vitest worker, post-GC readings then moved by up to
 * 150 KB between rounds, against about 50 KB read straight after the collection. What the
 * macrotask releases (FinalizationRegistry callbacks) is collected by the same round's GC.
 */
export async function settleRound(gc: ForcedGc): Promise<void> {
  await nextMacrotask()
  gc.full()
}
