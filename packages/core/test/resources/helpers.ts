import { performance } from 'node:perf_hooks' // the real clock, even under fake timers
import type { ListenerLeak, ResourceLeak } from '../../src/report/types.js'
import { watchResources, type WatchResourcesOptions } from '../../src/resources/index.js'

export interface MeasureOptions extends Partial<WatchResourcesOptions> {
  calls?: number
  /** Checkpoints besides start and end (the engine takes one in the middle). Default [calls / 2]. */
  midpoints?: number[]
}

/**
 * What the engine does with a ResourceWatch: begin, checkpoint at the start / middle / end of the
 * measured calls, finish. The subject gets the call number (1-based).
 */
export async function measure(
  subject: (call: number) => unknown,
  options: MeasureOptions = {},
): Promise<{ resources: ResourceLeak[]; listeners: ListenerLeak[]; ms: number }> {
  const calls = options.calls ?? 20
  const midpoints = options.midpoints ?? [calls / 2]
  const watch = watchResources({
    ignoreResources: options.ignoreResources ?? [],
    ignoreListeners: options.ignoreListeners ?? [],
    ignoreSites: options.ignoreSites ?? [],
  })
  watch.begin()
  try {
    watch.checkpoint(0)
    for (let call = 1; call <= calls; call++) {
      await subject(call)
      if (midpoints.includes(call)) watch.checkpoint(call)
    }
    watch.checkpoint(calls)
    const started = performance.now()
    const findings = await watch.finish()
    return { ...findings, ms: performance.now() - started }
  } finally {
    watch.dispose()
  }
}

export const noop = (): void => {}

/** Counts of one type in process.getActiveResourcesInfo(). */
export function activeCount(type: string): number {
  return process.getActiveResourcesInfo().filter((t) => t === type).length
}
