import type { NodeRule } from './rule.js'

/**
 * `native` nodes other than ArrayBuffer backing stores: Node's C++ objects reported through the
 * embedder graph (`Node / ...`). They have ids from a separate (even) sequence, so they cannot
 * take part in the id watermark, and leaked handles / sockets are reported by the resource check.
 * `system / JSArrayBufferData` is user data: the bytes of a Buffer / ArrayBuffer.
 */
export const nativeRule: NodeRule = {
  kind: 'node',
  barrier: false,
  id: 'native',
  why:
    'Buffer.alloc(256) kept per call shows as +1 JSArrayBufferData (256 B) per call: user data; ' +
    '`Node / ...` embedder nodes are C++ bookkeeping with ids outside the heap id sequence',
  isInternal: (type, name) => type === 'native' && !/ArrayBufferData|backing store/i.test(name),
}
