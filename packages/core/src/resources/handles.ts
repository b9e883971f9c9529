// Handle, timer and file-descriptor leaks: counts that grow with the calls and stay after settling.
//
// While watching, an async_hooks `init` hook records each resource created (type, creation stack,
// WeakRef). Counts per type, read at each checkpoint:
// - handles and timers (Timeout, TCPServerWrap, FSEventWrap, Worker, …): the recorded ones still
//   open (`hasRef()` / `_destroyed`, the test getActiveResourcesInfo applies), capped by
//   process.getActiveResourcesInfo(). What existed before begin() never counts, and unref()'d
//   timers and handles never do either.
// - requests (FSReqCallback, ConnectWrap, …) and `fd` (open file descriptors from
//   /proc/self/fd that are not sockets, pipes or event-loop inodes: FileHandles and raw fds show
//   only there): the raw count, judged by its growth.
// A type leaks when its count grows in proportion to the calls (growth.ts) and is still there
// after a short backoff. Records are dropped by a FinalizationRegistry once the resource object is
// collected, so a clean run retains nothing per call. No destroy hook: with one, Node tracks every
// promise's destruction (measured: 2.3x the cost of `init` alone on promise-heavy code).

import { createHook, type AsyncHook } from 'node:async_hooks'
import type { ResourceLeak } from '../report/types.js'
import { matchesAny, type IgnorePattern } from '../options.js'
import { countAll, handleTypes, isTrackedAsyncType, resourceNameOf, WORKER_TYPE } from './active.js'
import { judgeGrowth, roundRate, type GrowthPoint } from './growth.js'
import { creatingInternalResource, nextMacrotask, realDelay as delay, realNow } from '../gc/timers.js'
import { captureFrames, formatFrames, framesKey, type Frames } from './stacks.js'

/** The handle part of the resource watch (watch.ts), with the same calls. */
export interface HandleWatch {
  /** Start: record what exists now (ignored later), install async_hooks init tracking (only while watching). */
  begin(): void
  /** Record counts now; call at least at the start, middle and end of the measured calls, with the calls made so far. */
  checkpoint(callsSoFar: number): void
  /** Settle (short backoff, only when something looks leaked), then compute findings; stops tracking. */
  finish(): Promise<ResourceLeak[]>
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

export interface WatchHandlesOptions {
  /** Resource types to ignore, e.g. `'TCPSocketWrap'`, `/Timeout/`. */
  ignoreResources: IgnorePattern[]
  /** Creation stacks to ignore: resources created there are not counted. */
  ignoreSites: IgnorePattern[]
}

/**
 * Waits between re-counts while a leak is suspected (ms; 0 = one macrotask turn). What is
 * released during them (a socket closed a few ticks later, an fs request completing, a server
 * closing asynchronously) is not a leak. Sum: 197 ms. A clean run waits for none of them.
 */
export const SETTLE_BACKOFF_MS: readonly number[] = [0, 0, 2, 5, 10, 20, 40, 60, 60]

const sentinelToken = Symbol('leakproof.collectionSentinel')

/** Macrotask turns afterCollection() waits at most for the registry's cleanup. */
const MAX_CLEANUP_TURNS = 8

/** A resource created while watching, known through async_hooks `init`. */
interface Creation {
  asyncId: number
  /** getActiveResourcesInfo-style type name (`fd` for FILEHANDLE). */
  type: string
  asyncType: string
  frames: Frames | undefined
  /** Created at a site matching `ignoreSites`: never counted. */
  ignored: boolean
  ref: WeakRef<object>
  /** Checkpoints recorded before it was created. */
  checkpointsBefore: number
}

interface Checkpoint {
  calls: number
  counts: Map<string, number>
}

/** TickObject stacks kept (oldest dropped first) to attribute handles created in a nextTick. */
const RECENT_TICKS = 64
/**
 * Stack captures per async type (and for TickObjects) per watch. A capture costs ~5 µs in plain
 * Node and ~12 µs under Vitest; the budget bounds that cost for subjects that create many timers
 * or ticks. Leaked resources are usually among the first created, so they still get a stack.
 */
export const STACK_BUDGET_PER_TYPE = 1000
export const TICK_STACK_BUDGET = 2000

/** Whether an async resource object still holds something open. */
function isActive(creation: Creation, resource: object): boolean {
  const r = resource as { _destroyed?: unknown; hasRef?: unknown; fd?: unknown }
  try {
    if (creation.asyncType === 'Timeout' || creation.asyncType === 'Immediate') {
      if (r._destroyed === true) return false
    }
    if (creation.asyncType === 'FILEHANDLE') return typeof r.fd !== 'number' || r.fd >= 0
    if (typeof r.hasRef === 'function') return (r.hasRef as () => boolean).call(resource) === true
  } catch {
    // a closed native handle whose wrapper is gone: hasRef throws or returns undefined
    return false
  }
  return true
}

class HandleWatchImpl implements HandleWatch {
  private readonly creations = new Set<Creation>()
  private readonly byAsyncId = new Map<number, Creation>()
  private readonly checkpoints: Checkpoint[] = []
  private baseline = new Map<string, number>()
  private hook: AsyncHook | undefined
  private registry: FinalizationRegistry<Creation | typeof sentinelToken> | undefined
  private state: 'idle' | 'watching' | 'done' = 'idle'
  /** Set by the registry's cleanup when it reaches the sentinel registered before a collection. */
  private sentinelCleaned = true

  constructor(private readonly opts: WatchHandlesOptions) {}

  begin(): void {
    if (this.state !== 'idle') return
    this.state = 'watching'
    const { creations, byAsyncId, checkpoints } = this
    const ignoreSites = this.opts.ignoreSites
    this.registry = new FinalizationRegistry((creation) => {
      if (creation === sentinelToken) {
        this.sentinelCleaned = true
        return
      }
      creations.delete(creation)
      byAsyncId.delete(creation.asyncId)
    })
    const registry = this.registry
    this.baseline = this.count()
    const recentTicks = new Map<number, Frames | undefined>()
    let tickBudget = TICK_STACK_BUDGET
    const budgets = new Map<string, number>()
    let lastFsPromiseFrames: Frames | undefined
    // A handle created from a callback (listen() after its nextTick'd lookup, say) has no user
    // frame on its stack: take the stack of what triggered it.
    const inherited = (triggerAsyncId: number): Frames | undefined =>
      recentTicks.get(triggerAsyncId) ?? byAsyncId.get(triggerAsyncId)?.frames
    let busy = false
    const init = (asyncId: number, asyncType: string, triggerAsyncId: number, resource: object): void => {
      if (busy || creatingInternalResource()) return
      if (asyncType === 'TickObject') {
        if (tickBudget <= 0) return
        tickBudget--
        busy = true // a prepareStackTrace that creates resources must not recurse into here
        try {
          recentTicks.set(asyncId, captureFrames(init) ?? inherited(triggerAsyncId))
          if (recentTicks.size > RECENT_TICKS) recentTicks.delete(recentTicks.keys().next().value!)
        } finally {
          busy = false
        }
        return
      }
      if (!isTrackedAsyncType(asyncType)) return
      if ((typeof resource !== 'object' && typeof resource !== 'function') || resource === null) return
      busy = true
      try {
        const budget = budgets.get(asyncType) ?? STACK_BUDGET_PER_TYPE
        let frames: Frames | undefined
        if (budget > 0) {
          budgets.set(asyncType, budget - 1)
          frames = captureFrames(init)
        }
        frames ??= inherited(triggerAsyncId)
        // A FileHandle is born in the completion of its open request, with no trigger: that
        // request is, in practice, the latest fs promise request.
        if (frames === undefined && asyncType === 'FILEHANDLE') frames = lastFsPromiseFrames
        if (asyncType === 'FSREQPROMISE') lastFsPromiseFrames = frames
        const creation: Creation = {
          asyncId,
          type: resourceNameOf(asyncType),
          asyncType,
          frames,
          ignored: frames !== undefined && ignoreSites.length > 0 && matchesAny(framesKey(frames), ignoreSites),
          ref: new WeakRef(resource),
          checkpointsBefore: checkpoints.length,
        }
        creations.add(creation)
        byAsyncId.set(asyncId, creation)
        registry.register(resource, creation)
      } finally {
        busy = false
      }
    }
    this.hook = createHook({ init }).enable()
  }

  checkpoint(callsSoFar: number): void {
    if (this.state !== 'watching') return
    this.checkpoints.push({ calls: callsSoFar, counts: this.count() })
  }

  async finish(): Promise<ResourceLeak[]> {
    if (this.state !== 'watching') return []
    this.stopHook()
    try {
      let suspects = this.suspects(this.count())
      // Settle like goleak: re-count with growing waits while anything still looks leaked.
      const started = realNow()
      for (const ms of SETTLE_BACKOFF_MS) {
        if (suspects.length === 0 || realNow() - started > 250) break
        await delay(ms)
        suspects = this.suspects(this.count())
      }
      return suspects.map((s) => s.leak)
    } finally {
      this.release()
    }
  }

  beforeCollection(): void {
    if (this.state !== 'watching' || !this.registry) return
    // An object only the registry knows: the next GC frees it, and its cleanup call comes with
    // (in the same task as) those of every record that GC freed.
    this.sentinelCleaned = false
    this.registry.register({}, sentinelToken)
  }

  async afterCollection(): Promise<void> {
    for (let turn = 0; turn < MAX_CLEANUP_TURNS && !this.sentinelCleaned && this.state === 'watching'; turn++) {
      await nextMacrotask()
    }
  }

  dispose(): void {
    if (this.state === 'done') return
    this.stopHook()
    this.release()
  }

  private stopHook(): void {
    this.hook?.disable()
    this.hook = undefined
  }

  private release(): void {
    this.state = 'done'
    this.creations.clear()
    this.byAsyncId.clear()
    this.checkpoints.length = 0
    this.registry = undefined
  }

  /**
   * Counts by type now. Handle and timer types: those created while watching and still open
   * (never more than getActiveResourcesInfo shows). Other types (requests, `fd`): the raw count.
   */
  private count(): Map<string, number> {
    const counts = countAll()
    const created = new Map<string, number>()
    for (const creation of this.creations) {
      if (creation.ignored || !handleTypes.has(creation.type)) continue
      const resource = creation.ref.deref()
      if (resource === undefined || !isActive(creation, resource)) continue
      created.set(creation.type, (created.get(creation.type) ?? 0) + 1)
    }
    for (const type of handleTypes) {
      const raw = counts.get(type)
      const own = created.get(type) ?? 0
      if (raw === undefined && type !== WORKER_TYPE) counts.delete(type)
      else counts.set(type, type === WORKER_TYPE ? own : Math.min(own, raw ?? 0))
    }
    return counts
  }

  /** Open resources created while watching, by type (for stacks and ignoreSites). */
  private liveCreations(): Map<string, Creation[]> {
    const byType = new Map<string, Creation[]>()
    for (const creation of this.creations) {
      const resource = creation.ref.deref()
      if (resource === undefined || !isActive(creation, resource)) continue
      const list = byType.get(creation.type)
      if (list) list.push(creation)
      else byType.set(creation.type, [creation])
    }
    return byType
  }

  /** Types whose counts grew with the calls, judged with `final` as the settled end count. */
  private suspects(final: Map<string, number>): { type: string; leak: ResourceLeak }[] {
    const checkpoints = this.checkpoints
    const lastCalls = checkpoints[checkpoints.length - 1]?.calls ?? 0
    const types = new Set<string>(final.keys())
    for (const c of checkpoints) for (const type of c.counts.keys()) types.add(type)

    let live: Map<string, Creation[]> | undefined
    const mappedTexts = new Map<string, string>()
    const mapped = (frames: Frames): string => {
      const key = framesKey(frames)
      let text = mappedTexts.get(key)
      if (text === undefined) mappedTexts.set(key, (text = formatFrames(frames)))
      return text
    }
    const out: { type: string; leak: ResourceLeak }[] = []
    for (const type of types) {
      if (matchesAny(type, this.opts.ignoreResources)) continue
      // Handle types count only what was created while watching: their baseline is zero.
      const baseline = handleTypes.has(type) ? 0 : (this.baseline.get(type) ?? 0)
      const points: GrowthPoint[] = []
      // The last checkpoint is replaced by the settled count now, at the same number of calls.
      for (let i = 0; i < checkpoints.length - 1; i++) {
        points.push({ calls: checkpoints[i]!.calls, value: checkpoints[i]!.counts.get(type) ?? 0 })
      }
      if (points.length === 0) points.push({ calls: 0, value: baseline })
      const endValue = final.get(type) ?? 0
      points.push({ calls: lastCalls, value: endValue })
      let growth = judgeGrowth(points)
      if (!growth.leak) continue

      live ??= this.liveCreations()
      const created = live.get(type) ?? []
      let retained = endValue - baseline
      // ignoreSites was matched against the unmapped stack at creation; match the source-mapped
      // text now too, so `file.ts:12` patterns work under transpiling test runners.
      const lateIgnored = this.opts.ignoreSites.length
        ? created.filter((c) => !c.ignored && c.frames && matchesAny(mapped(c.frames), this.opts.ignoreSites))
        : []
      // Take resources from ignored sites out of every point they were (probably) open at.
      // Handle types never counted the ones ignored at creation.
      const excluded = handleTypes.has(type) ? lateIgnored : created.filter((c) => c.ignored).concat(lateIgnored)
      if (excluded.length > 0) {
        for (let i = 0; i < points.length; i++) {
          const isEnd = i === points.length - 1
          const openThen = isEnd ? excluded.length : excluded.filter((c) => c.checkpointsBefore <= i).length
          points[i] = { calls: points[i]!.calls, value: points[i]!.value - openThen }
        }
        retained -= excluded.length
        growth = judgeGrowth(points)
        if (!growth.leak) continue
      }
      const leak: ResourceLeak = {
        type,
        countPerIteration: roundRate(growth.perCall),
        retainedCount: Math.max(retained, growth.net),
      }
      const stack = commonestStack(created.filter((c) => !c.ignored && !lateIgnored.includes(c)))
      if (stack !== undefined) leak.stack = stack
      out.push({ type, leak })
    }
    return out.sort((a, b) => b.leak.retainedCount - a.leak.retainedCount)
  }
}

/** The creation stack shared by most of these resources, as report text. */
function commonestStack(creations: readonly Creation[]): string | undefined {
  const tally = new Map<string, number>()
  let best: Frames | undefined
  let bestCount = 0
  for (const { frames } of creations) {
    if (frames === undefined) continue
    const key = framesKey(frames)
    const n = (tally.get(key) ?? 0) + 1
    tally.set(key, n)
    if (n > bestCount) {
      best = frames
      bestCount = n
    }
  }
  return best && formatFrames(best)
}

/** Watch timers, handles and file descriptors across a measurement (see watch.ts). */
export function watchHandles(opts: WatchHandlesOptions): HandleWatch {
  return new HandleWatchImpl(opts)
}
