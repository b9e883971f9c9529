// The few runtime primitives src/resources needs: a full GC, a real macrotask turn and a real delay.
//
// INTEGRATION: this is the only file in src/resources that touches GC or timers. It can be
// replaced by re-exports from src/gc/ (force-gc.ts `getGc().full`, timers.ts `nextMacrotask`,
// `realDelay`). Keep `creatingInternalResource` (or make it always return false): it only stops
// the resource watch from recording the MessagePort / Timeout these waits create.

import v8 from 'node:v8'
import vm from 'node:vm'
import { MessageChannel } from 'node:worker_threads'

// Captured at import: fake timers (vi.useFakeTimers, jest modern timers, @sinonjs/fake-timers)
// installed later replace the globals *and* require('timers'), but not these references.
const capturedSetImmediate = globalThis.setImmediate
const capturedSetTimeout = globalThis.setTimeout
const capturedNow = performance.now.bind(performance)

/** True when a timer function is a fake (sinon sets `.clock`, jest.fn sets `_isMockFunction`). */
export function isFakeTimer(fn: unknown): boolean {
  if (typeof fn !== 'function') return true
  const f = fn as { clock?: unknown; _isMockFunction?: unknown }
  return f.clock !== undefined || f._isMockFunction === true
}

const immediateIsReal = !isFakeTimer(capturedSetImmediate)
const timeoutIsReal = !isFakeTimer(capturedSetTimeout)

let internalDepth = 0

/** True while this module creates its own timer / MessagePort (the resource watch skips those). */
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

/** Milliseconds on a clock no fake-timer library replaces (captured at import). */
export function realNow(): number {
  return capturedNow()
}

let cachedGc: (() => void) | undefined

/** A full, synchronous GC. Always a bare call: on Node 20 any argument makes it a minor GC. */
export function gc(): void {
  if (!cachedGc) {
    let fn = (globalThis as { gc?: unknown }).gc
    if (typeof fn !== 'function') {
      v8.setFlagsFromString('--expose-gc')
      fn = vm.runInNewContext('gc')
    }
    const found = fn as () => void
    cachedGc = () => found()
  }
  cachedGc()
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

/** One real macrotask turn (FinalizationRegistry callbacks and WeakRef clearing happen by then). */
export function nextMacrotask(): Promise<void> {
  if (immediateIsReal) return new Promise((resolve) => internal(() => capturedSetImmediate(resolve)))
  return messageChannelTurn()
}

/** Wait `ms` milliseconds of real time, whatever fake timers are installed. */
export async function delay(ms: number): Promise<void> {
  if (ms <= 0) return nextMacrotask()
  if (timeoutIsReal) {
    return new Promise((resolve) => internal(() => capturedSetTimeout(resolve, ms)))
  }
  // Timers were already fake when this module loaded: turn the loop until the real clock passes.
  const until = realNow() + ms
  while (realNow() < until) await messageChannelTurn()
}
