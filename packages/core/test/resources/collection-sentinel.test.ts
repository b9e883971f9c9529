// The resource watch keeps a record per timer or handle until a FinalizationRegistry cleanup
// drops it. Screening rounds wait for that cleanup after each GC (afterCollection), so every
// heap reading holds the records of one round of calls, never two.
import { expect, it } from 'vitest'
import { watchResources } from '../../src/resources/index.js'

const gc = (globalThis as { gc?: () => void }).gc!
const heap = () => process.memoryUsage().heapUsed
const timers = (n: number) => {
  for (let i = 0; i < n; i++) clearTimeout(setTimeout(() => {}, 10_000))
}

it('after afterCollection(), the records of the resources a GC freed are gone at the next GC; without it they stay', async () => {
  expect(typeof gc, 'run with --expose-gc').toBe('function')
  const watch = watchResources({ ignoreResources: [], ignoreListeners: [], ignoreSites: [] })
  watch.begin()
  try {
    // Spend the stack-capture budget and warm the paths up first: records of equal size below.
    timers(3000)
    watch.beforeCollection()
    gc()
    await watch.afterCollection()
    gc()
    const base = heap()

    // The least of three tries: a busy worker's heap can move by tens of KB on its own; without
    // the wait every try keeps the records (measured: 1.65 MB).
    let waited = Infinity
    for (let attempt = 0; attempt < 3; attempt++) {
      timers(3000)
      watch.beforeCollection()
      gc()
      await watch.afterCollection()
      gc()
      waited = Math.min(waited, heap() - base)
    }

    timers(3000)
    watch.beforeCollection()
    gc()
    gc()
    const notWaited = heap() - base

    // 3000 records (object, WeakRef, registry cell, map entry) are well over 100 KB.
    expect(waited).toBeLessThan(40_000)
    expect(notWaited).toBeGreaterThan(100_000)
  } finally {
    watch.dispose()
  }
})
