// trackCollection(value): will this object be garbage-collected once the test drops it?

import { LeakproofUsageError } from '../errors.js'
import { describe } from '../options.js'
import { LeakproofCollectionMarker, retainerPathOf } from './retainer-path.js'
import { nextMacrotask, realNow } from '../gc/timers.js'
import { fullGc as gc } from '../gc/force-gc.js'

export interface CollectionCheckOptions {
  /** Give up after this many milliseconds of forced GCs. Default 2000. */
  timeout?: number
}

export interface CollectionTracker {
  /** Forces GC (several passes with macrotask turns) and says whether the value was collected. */
  isCollected(opts?: CollectionCheckOptions): Promise<boolean>
  /** Same, plus the retainer path text if not collected. */
  check(opts?: CollectionCheckOptions): Promise<{ collected: boolean; retainerPath?: string }>
  /** What is tracked, e.g. `Widget` or the label given. */
  readonly label: string
}

/** GC passes before an object is declared alive (one nearly always suffices; the rest catch chains
 * of finalizers and objects released by a macrotask that runs after the first collection). */
const GC_PASSES = 4
const DEFAULT_TIMEOUT_MS = 2000

interface CollectionState {
  collected: boolean
}

const finalized = new FinalizationRegistry<CollectionState>((state) => {
  state.collected = true
})

function labelOf(value: object): string {
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`
  try {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name
    if (typeof name === 'string' && name !== '') return name
  } catch {
    // a throwing getter
  }
  return Object.prototype.toString.call(value).slice(8, -1)
}

/**
 * Track whether `value` gets garbage-collected. Holds it only weakly: after this returns nothing
 * here keeps it alive. Throws LeakproofUsageError for primitives (they are never collected).
 */
export function trackCollection(value: object, label?: string): CollectionTracker {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    throw new LeakproofUsageError(
      `toBeCollected needs an object, got ${describe(value)}: only objects and functions are garbage-collected`,
    )
  }
  if (label !== undefined && typeof label !== 'string') {
    throw new LeakproofUsageError(`the label for trackCollection must be a string, got ${describe(label)}`)
  }
  const state: CollectionState = { collected: false }
  finalized.register(value, state)
  // Everything below closes over the WeakRef and strings only, never over `value`.
  return createTracker(new WeakRef(value), state, label ?? labelOf(value))
}

function createTracker(ref: WeakRef<object>, state: CollectionState, label: string): CollectionTracker {
  const marker = new LeakproofCollectionMarker(ref)

  const isCollected = async (opts?: CollectionCheckOptions): Promise<boolean> => {
    const timeout = checkTimeout(opts)
    const deadline = realNow() + timeout
    for (let pass = 0; pass < GC_PASSES; pass++) {
      if (state.collected) return true
      // Leave the job that created or dereferenced the WeakRef: V8 keeps its target alive until then.
      await nextMacrotask()
      gc()
      // FinalizationRegistry callbacks and WeakRef clearing happen by the next macrotask.
      await nextMacrotask()
      if (state.collected || ref.deref() === undefined) return true
      if (realNow() > deadline) break
    }
    return false
  }

  return {
    label,
    isCollected,
    async check(opts) {
      if (await isCollected(opts)) return { collected: true }
      // isCollected dereferenced the target in this job: take the snapshot in the next one.
      await nextMacrotask()
      if (state.collected) return { collected: true }
      const path = await retainerPathOf(marker).catch(() => undefined)
      return path ? { collected: false, retainerPath: path.text } : { collected: false }
    },
  }
}

function checkTimeout(opts: CollectionCheckOptions | undefined): number {
  if (opts === undefined) return DEFAULT_TIMEOUT_MS
  if (opts === null || typeof opts !== 'object') {
    throw new LeakproofUsageError(`collection check options must be an object like { timeout: 2000 }, got ${describe(opts)}`)
  }
  const { timeout } = opts
  if (timeout === undefined) return DEFAULT_TIMEOUT_MS
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
    throw new LeakproofUsageError(`option "timeout" must be a number of milliseconds, got ${describe(timeout)}`)
  }
  return timeout
}
