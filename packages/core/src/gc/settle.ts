import type { ForcedGc } from './force-gc.js'
import { nextMacrotask } from './timers.js'

/** Event-loop turns the subject's deferred work (setImmediate chains) gets before a snapshot. */
const maxDrainTurns = 20
const minDrainTurns = 2

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

/**
 * Let the subject's deferred work run before a snapshot. A subject that settles in microtasks (an
 * in-process request: fastify's inject) never yields to the event loop during an interval of
 * calls, so every call's setImmediate-deferred cleanup waits until the snapshot, and the second
 * hop of such a chain is still queued after settle's one macrotask. Measured: fastify 5 inject
 * left 400 queued Immediates, each holding its finished request (MockSocket, Response, streams,
 * ~9 KB), in snapshots B and C but none in A, so user data "grew" 3.7 MB in the first interval of
 * a clean workload. Pending refed Immediates are counted by getActiveResourcesInfo(); a subject
 * that keeps one pending for ever (a setImmediate poll loop) costs at most `maxDrainTurns` turns.
 */
export async function drainImmediates(): Promise<void> {
  // Two turns at least: handles closed during the calls (a server or socket per call) are
  // released in the loop's close phase, which runs after the check phase that resolves the first
  // turn. Measured: a clean listen-then-close subject left every closed http.Server of the interval
  // alive in the next snapshot, held by its native TCPServerWrap, and was reported as a leak.
  for (let turn = 0; turn < maxDrainTurns && (turn < minDrainTurns || pendingImmediates() > 0); turn++) await nextMacrotask()
}

function pendingImmediates(): number {
  let n = 0
  for (const r of process.getActiveResourcesInfo()) if (r === 'Immediate') n++
  return n
}

