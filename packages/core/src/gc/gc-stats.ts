import v8 from 'node:v8'
import type { GcStats } from '../report/types.js'

interface GcProfile {
  statistics: Array<{ gcType: string; cost: number }>
}

/**
 * Counts collections by kind while measuring. v8.GCProfiler records in C++ and hands the data
 * over only at stop(), so, unlike a PerformanceObserver (whose entry buffers showed up as a
 * ±392 B alternation between heap samples), it adds nothing to the heap being measured.
 */
export class GcCounter {
  readonly stats: GcStats = { forced: 0, minor: 0, major: 0, incremental: 0, weakCallbacks: 0, gcTimeMs: 0 }
  private profiler: { start(): void; stop(): GcProfile | undefined } | undefined

  start(): void {
    const Profiler = (v8 as { GCProfiler?: new () => { start(): void; stop(): GcProfile | undefined } }).GCProfiler
    if (!Profiler) return
    this.profiler = new Profiler()
    this.profiler.start()
  }

  stop(): GcStats {
    const profile = this.profiler?.stop()
    this.profiler = undefined
    let micros = 0
    for (const entry of profile?.statistics ?? []) {
      micros += entry.cost
      if (entry.gcType === 'Scavenge' || entry.gcType.startsWith('Minor')) this.stats.minor++
      else if (entry.gcType === 'MarkSweepCompact') this.stats.major++
      else if (entry.gcType === 'IncrementalMarking') this.stats.incremental++
      else if (entry.gcType === 'ProcessWeakCallbacks') this.stats.weakCallbacks++
    }
    this.stats.gcTimeMs = Math.round(micros / 10) / 100
    return this.stats
  }
}
