// Listener-count growth on EventEmitters and EventTargets (AbortSignal included).
//
// While a watch is active the add-listener methods of EventEmitter.prototype and
// EventTarget.prototype are wrapped, only to learn which (target, event) pairs the subject touches
// and how many listeners each had before. The counts themselves are read from the target at each
// checkpoint (`_events` for emitters, events.getEventListeners for EventTargets), so `once`
// wrappers that fired, removeListener / off / removeAllListeners, duplicate EventTarget
// registrations and `{ signal }` removal are all counted exactly as the emitter sees them, and no
// remove method needs wrapping. Targets are held only through WeakRef; records of collected
// targets are dropped by a FinalizationRegistry so the watch itself retains nothing per call.

import { EventEmitter, getEventListeners } from 'node:events'
import type { ListenerLeak } from '../report/types.js'
import { matchesAny, type IgnorePattern } from '../options.js'
import { judgeGrowth, roundRate, type GrowthPoint } from './growth.js'
import { nextMacrotask } from '../gc/timers.js'
import { fullGc as gc } from '../gc/force-gc.js'

type Kind = 'emitter' | 'target'
type EventKey = string | symbol

interface EventSeries {
  /** Listener count just before the first add seen while watching. */
  base: number
  /** Index of the first checkpoint taken after that add. */
  firstCheckpoint: number
  /** Counts at checkpoints firstCheckpoint, firstCheckpoint + 1, … */
  values: number[]
}

interface TargetRecord {
  ref: WeakRef<object>
  kind: Kind
  typeName: string
  events: Map<EventKey, EventSeries>
}

export interface ListenerWatch {
  begin(): void
  checkpoint(callsSoFar: number): void
  finish(): Promise<ListenerLeak[]>
  dispose(): void
}

// ---------------------------------------------------------------------------------------------
// Prototype wrapping, shared by all active watches.

const emitterMethods = ['addListener', 'on', 'prependListener', 'once', 'prependOnceListener'] as const
const targetMethods = ['addEventListener'] as const

interface Patch {
  owner: object
  key: string
  /** The property as it was, restored verbatim. */
  descriptor: PropertyDescriptor
  wrapper: Function
}

const activeWatches = new Set<ListenerWatchImpl>()
let patches: Patch[] = []
let recording = false

function noteAdd(kind: Kind, target: unknown, event: unknown): void {
  if (recording) return // reentrant: a getter or count read that adds listeners itself
  if ((typeof target !== 'object' && typeof target !== 'function') || target === null) return
  if (typeof event !== 'string' && typeof event !== 'symbol') return
  recording = true
  try {
    for (const watch of activeWatches) watch.touch(kind, target, event)
  } catch {
    // Never break the subject's add-listener call because of bookkeeping.
  } finally {
    recording = false
  }
}

function patch(owner: object, key: string, kind: Kind): void {
  const descriptor = Object.getOwnPropertyDescriptor(owner, key)
  const original: unknown = descriptor?.value
  if (!descriptor || typeof original !== 'function' || !descriptor.configurable) return
  const wrapper = function (this: unknown, event: unknown) {
    if (activeWatches.size > 0) noteAdd(kind, this, event)
    // eslint-disable-next-line prefer-rest-params
    return Reflect.apply(original, this, arguments)
  }
  Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true })
  Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true })
  Object.defineProperty(owner, key, { ...descriptor, value: wrapper })
  patches.push({ owner, key, descriptor, wrapper })
}

function install(): void {
  if (patches.length > 0) return
  for (const key of emitterMethods) patch(EventEmitter.prototype, key, 'emitter')
  if (typeof EventTarget === 'function') {
    for (const key of targetMethods) patch(EventTarget.prototype, key, 'target')
  }
}

function uninstall(): void {
  for (const { owner, key, descriptor, wrapper } of patches) {
    // Someone wrapped our wrapper since: leave theirs in place; ours is a pass-through when idle.
    if (Object.getOwnPropertyDescriptor(owner, key)?.value !== wrapper) continue
    Object.defineProperty(owner, key, descriptor)
  }
  patches = []
}

// ---------------------------------------------------------------------------------------------
// Counting.

function countListeners(kind: Kind, target: object, event: EventKey): number {
  if (kind === 'emitter') {
    const events = (target as { _events?: Record<EventKey, unknown> })._events
    if (events === undefined || events === null) return 0
    const list = events[event]
    if (list === undefined) return 0
    return typeof list === 'function' ? 1 : Array.isArray(list) ? list.length : 0
  }
  try {
    return getEventListeners(target as EventTarget, event as string).length
  } catch {
    return 0
  }
}

function typeNameOf(target: object): string {
  try {
    const ctor = (target as { constructor?: { name?: unknown } }).constructor
    if (typeof ctor?.name === 'string' && ctor.name !== '') return ctor.name
  } catch {
    // a throwing getter
  }
  return Object.prototype.toString.call(target).slice(8, -1)
}

function eventLabel(event: EventKey): string {
  return typeof event === 'symbol' ? event.toString() : event
}

// ---------------------------------------------------------------------------------------------

class ListenerWatchImpl implements ListenerWatch {
  private readonly byTarget = new WeakMap<object, TargetRecord>()
  private readonly records = new Set<TargetRecord>()
  private readonly checkpointCalls: number[] = []
  private registry: FinalizationRegistry<TargetRecord> | undefined
  private state: 'idle' | 'watching' | 'done' = 'idle'

  constructor(private readonly ignore: readonly IgnorePattern[]) {}

  begin(): void {
    if (this.state !== 'idle') return
    this.state = 'watching'
    const records = this.records
    this.registry = new FinalizationRegistry((record) => records.delete(record))
    activeWatches.add(this)
    install()
  }

  touch(kind: Kind, target: object, event: EventKey): void {
    let record = this.byTarget.get(target)
    if (!record) {
      record = { ref: new WeakRef(target), kind, typeName: typeNameOf(target), events: new Map() }
      this.byTarget.set(target, record)
      this.records.add(record)
      this.registry!.register(target, record)
    }
    if (!record.events.has(event)) {
      record.events.set(event, {
        base: countListeners(record.kind, target, event),
        firstCheckpoint: this.checkpointCalls.length,
        values: [],
      })
    }
  }

  checkpoint(callsSoFar: number): void {
    if (this.state !== 'watching') return
    this.checkpointCalls.push(callsSoFar)
    for (const record of this.records) {
      const target = record.ref.deref()
      if (target === undefined) continue
      for (const [event, series] of record.events) series.values.push(countListeners(record.kind, target, event))
    }
  }

  /** Targets whose listener count for an event grew with the calls, grouped by type + event. */
  private evaluate(): ListenerLeak[] {
    const calls = this.checkpointCalls
    const lastCalls = calls[calls.length - 1] ?? 0
    const groups = new Map<string, ListenerLeak>()
    for (const record of this.records) {
      const target = record.ref.deref()
      if (target === undefined) continue
      for (const [event, series] of record.events) {
        const points: GrowthPoint[] = []
        for (let i = 0; i < calls.length - 1; i++) {
          const value = i < series.firstCheckpoint ? series.base : series.values[i - series.firstCheckpoint]
          if (value !== undefined) points.push({ calls: calls[i]!, value })
        }
        const now = countListeners(record.kind, target, event)
        if (points.length === 0) points.push({ calls: 0, value: series.base })
        points.push({ calls: lastCalls, value: now })
        const growth = judgeGrowth(points)
        if (!growth.leak) continue
        const label = eventLabel(event)
        if (matchesAny(`${record.typeName} '${label}'`, this.ignore)) continue
        const key = `${record.typeName}\u0000${label}`
        const group = groups.get(key) ?? { target: record.typeName, event: label, countPerIteration: 0, retainedCount: 0 }
        group.countPerIteration += growth.perCall
        group.retainedCount += now - series.base
        groups.set(key, group)
      }
    }
    const leaks = [...groups.values()]
    for (const leak of leaks) leak.countPerIteration = roundRate(leak.countPerIteration)
    return leaks.sort((a, b) => b.retainedCount - a.retainedCount)
  }

  async finish(): Promise<ListenerLeak[]> {
    if (this.state !== 'watching') return []
    this.stopRecording()
    try {
      if (this.evaluate().length === 0) return []
      // A target nobody references any more is not a leak. evaluate() dereferenced the targets in
      // this job, which keeps them alive through a gc() in the same job: collect in a later one,
      // and read the WeakRefs again in yet another.
      await nextMacrotask()
      gc()
      await nextMacrotask()
      return this.evaluate()
    } finally {
      this.release()
    }
  }

  dispose(): void {
    if (this.state === 'done') return
    this.stopRecording()
    this.release()
  }

  private stopRecording(): void {
    activeWatches.delete(this)
    if (activeWatches.size === 0) uninstall()
  }

  private release(): void {
    this.state = 'done'
    this.records.clear()
    this.checkpointCalls.length = 0
    this.registry = undefined
  }
}

/** Track listener counts of everything the subject adds listeners to, from begin() on. */
export function watchListeners(ignoreListeners: readonly IgnorePattern[]): ListenerWatch {
  return new ListenerWatchImpl(ignoreListeners)
}
