import v8 from 'node:v8'

/** Heap spaces holding compiled code and bytecode (V8 12+ moved bytecode to trusted space). */
const codeSpaces = new Set([
  'code_space',
  'code_large_object_space',
  'trusted_space',
  'trusted_large_object_space',
  'shared_trusted_space',
  'shared_trusted_large_object_space',
])

export interface HeapReading {
  /** heapUsed less code spaces: JIT output is not retained user memory. */
  heap: number
  external: number
  arrayBuffers: number
}

/** Read memory after a settle. Allocates only short-lived objects that the next GC frees. */
export function readHeap(): HeapReading {
  const usage = process.memoryUsage()
  let code = 0
  for (const space of v8.getHeapSpaceStatistics()) {
    if (codeSpaces.has(space.space_name)) code += space.space_used_size
  }
  return { heap: usage.heapUsed - code, external: usage.external, arrayBuffers: usage.arrayBuffers }
}
