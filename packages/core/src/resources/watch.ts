// The resource watch the engine runs across a measurement: handles, timers and file descriptors
// (handles.ts) and listener counts (listeners.ts), begun, checkpointed and finished together.

import type { ListenerLeak, ResourceLeak } from '../report/types.js'
import type { IgnorePattern } from '../options.js'
import { watchHandles } from './handles.js'
import { watchListeners } from './listeners.js'

export interface ResourceWatch {
  /** Start: record what exists now (ignored later), install async_hooks init tracking (only while watching). */
  begin(): void
  /** Record counts now; call at least at the start, middle and end of the measured calls, with the calls made so far. */
  checkpoint(callsSoFar: number): void
  /** Settle (short backoff, only when something looks leaked), then compute findings; stops tracking. */
  finish(): Promise<{ resources: ResourceLeak[]; listeners: ListenerLeak[] }>
  /** Stop tracking and restore everything without findings (on error/abort). Idempotent. */
  dispose(): void
  /** Call before a forced GC whose heap reading must be comparable to the others (a screening round). */
  beforeCollection(): void
  /**
   * After that GC (and the reading): wait until the records of the resources it freed are
   * dropped, so that the next round's GC frees them. Then every reading holds the records of
   * exactly one round of calls, not one or two depending on when V8 ran the cleanup task.
   */
  afterCollection(): Promise<void>
}

export interface WatchResourcesOptions {
  /** Resource types to ignore, e.g. `'TCPSocketWrap'`, `/Timeout/`. */
  ignoreResources: IgnorePattern[]
  /** Listener leaks to ignore, matched against `Target 'event'`. */
  ignoreListeners: IgnorePattern[]
  /** Creation stacks to ignore: resources created there are not counted. */
  ignoreSites: IgnorePattern[]
}

/**
 * Watch timers, handles, file descriptors and listener counts across a measurement. The engine
 * calls begin(), checkpoint() at the start, middle and end of the measured calls, then finish()
 * (or dispose() on error/abort).
 */
export function watchResources(opts: WatchResourcesOptions): ResourceWatch {
  const handles = watchHandles(opts)
  const listeners = watchListeners(opts.ignoreListeners)
  return {
    begin() {
      handles.begin()
      listeners.begin()
    },
    checkpoint(callsSoFar) {
      handles.checkpoint(callsSoFar)
      listeners.checkpoint(callsSoFar)
    },
    async finish() {
      // Handles first: their settle waits while the listener patches are still recording.
      const resources = await handles.finish()
      return { resources, listeners: await listeners.finish() }
    },
    dispose() {
      handles.dispose()
      listeners.dispose()
    },
    beforeCollection: () => handles.beforeCollection(),
    afterCollection: () => handles.afterCollection(),
  }
}
