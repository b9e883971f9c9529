import type { HeapSeries } from '../report/types.js'

/** One memory reading after a settle (run/heap-reading.ts takes it). */
export interface HeapReading {
  /** heapUsed less code spaces: JIT output is not retained user memory. */
  heap: number
  external: number
  arrayBuffers: number
}

/**
 * Preallocated sample storage: pushing into JS arrays while measuring allocates, and that
 * allocation alone fakes a slope of about 1 byte per call.
 */
export class SampleSeries {
  readonly iteration: Float64Array
  readonly heap: Float64Array
  readonly external: Float64Array
  readonly arrayBuffers: Float64Array
  length = 0

  constructor(readonly capacity: number) {
    this.iteration = new Float64Array(capacity)
    this.heap = new Float64Array(capacity)
    this.external = new Float64Array(capacity)
    this.arrayBuffers = new Float64Array(capacity)
  }

  add(iteration: number, reading: HeapReading): void {
    const i = this.length++
    this.iteration[i] = iteration
    this.heap[i] = reading.heap
    this.external[i] = reading.external
    this.arrayBuffers[i] = reading.arrayBuffers
  }

  toReport(): HeapSeries {
    const n = this.length
    return {
      iteration: Array.from(this.iteration.subarray(0, n)),
      heapUsed: Array.from(this.heap.subarray(0, n)),
      external: Array.from(this.external.subarray(0, n)),
      arrayBuffers: Array.from(this.arrayBuffers.subarray(0, n)),
    }
  }
}
