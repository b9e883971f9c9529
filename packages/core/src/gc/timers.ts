import { performance as perfHooksPerformance } from 'node:perf_hooks'
import { MessageChannel } from 'node:worker_threads'

// Captured at import so that fake timers installed later (vi.useFakeTimers, jest modern timers,
// @sinonjs/fake-timers) can neither hang nor fool the engine. Fake timers replace the globals and
// require('timers'), but not these references, nor the perf_hooks export of `performance`.
const capturedSetImmediate = globalThis.setImmediate
const capturedSetTimeout = globalThis.setTimeout
const capturedClearTimeout = globalThis.clearTimeout
const capturedNow = perfHooksPerformance.now.bind(perfHooksPerformance)

/** True when a timer function was replaced by a fake (sinon sets `.clock`, jest.fn sets `_isMockFunction`). */
export function isFakeTimer(fn: unknown): boolean {
  if (typeof fn !== 'function') return true
  const f = fn as { clock?: unknown; _isMockFunction?: unknown }
  return f.clock !== undefined || f._isMockFunction === true
}

const immediateIsReal = !isFakeTimer(capturedSetImmediate)
const timeoutIsReal = !isFakeTimer(capturedSetTimeout)

/** Whether the test has fake timers installed right now. */
export function fakeTimersActive(): boolean {
  return isFakeTimer(globalThis.setTimeout) || isFakeTimer(globalThis.setImmediate)
}

let internalDepth = 0

/** True while the engine creates its own timer or MessagePort: the resource watch skips those. */
export function creatingInternalResource(): boolean {
  return internalDepth > 0
}

function internal<T>(create: () => T): T {
  internalDepth++
  try {
    return create()
  } finally {
    internalDepth--
  }
}

/** Milliseconds on a clock no fake-timer library replaces. */
export function realNow(): number {
  return capturedNow()
}

function messageChannelTurn(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = internal(() => new MessageChannel())
    port2.once('message', () => {
      port1.close()
      port2.close()
      resolve()
    })
    port1.postMessage(0)
  })
}

/** One real macrotask turn: lets FinalizationRegistry callbacks and WeakRef clearing happen. */
export function nextMacrotask(): Promise<void> {
  if (immediateIsReal) return new Promise((resolve) => internal(() => capturedSetImmediate(resolve)))
  return messageChannelTurn()
}

/** A real timer, immune to fake timers. Returns a cancel function. */
export function realTimeout(ms: number, onTimeout: () => void): () => void {
  if (timeoutIsReal) {
    const handle = internal(() => capturedSetTimeout(onTimeout, ms))
    return () => capturedClearTimeout(handle)
  }
  // Atomics.waitAsync times out on V8's own clock, which no fake-timer library replaces.
  let cancelled = false
  const cell = new Int32Array(new SharedArrayBuffer(4))
  const waiter = Atomics.waitAsync(cell, 0, 0, ms)
  if (waiter.async) {
    void waiter.value.then((result: string) => {
      if (!cancelled && result === 'timed-out') onTimeout()
    })
  }
  return () => {
    cancelled = true
    Atomics.notify(cell, 0)
  }
}

/** Wait `ms` of real time, whatever fake timers are installed. */
export function realDelay(ms: number): Promise<void> {
  if (ms <= 0) return nextMacrotask()
  return new Promise((resolve) => realTimeout(ms, resolve))
}
