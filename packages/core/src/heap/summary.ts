// A snapshot reduced to what the three-snapshot comparison needs: the id watermark and a
// histogram of user (non-internal) nodes by type. Small enough to keep while the next snapshot is
// parsed, and free of string contents.

import { classifyNodes, STRING_TYPES, type Classification } from './filters/index.js'
import type { HeapSnapshot } from './snapshot.js'

export interface TypeStats {
  count: number
  bytes: number
}

export interface SnapshotSummary {
  /**
   * Highest id of the heap-object id sequence (odd ids, synthetic nodes excluded). V8 hands out
   * ids in increasing order, so a node with a larger id in a later snapshot was allocated later.
   */
  maxId: number
  /** Self bytes and count of user (non-internal) nodes. */
  userBytes: number
  userCount: number
  /** Self bytes and count of internal nodes (code, shapes, runtime tables). */
  internalBytes: number
  internalCount: number
  nodeCount: number
  /** User nodes by type key (see `typeKey`). */
  histogram: Map<string, TypeStats>
}

/** The display name of a type key's node type and name, e.g. `{ nodeType: 'object', name: 'Session' }`. */
export interface TypeName {
  nodeType: string
  name: string
}

const MAX_NAME = 200

/**
 * Grouping name of node i: the constructor / function name, or a fixed placeholder for kinds whose
 * name is data (`(string)` for every string kind, `(regexp)`, `(symbol)`, `(bigint)`) or empty.
 */
export function typeName(s: HeapSnapshot, i: number): TypeName {
  const type = s.nodeTypeName(i)
  if (STRING_TYPES.has(type)) return { nodeType: 'string', name: '(string)' }
  switch (type) {
    case 'regexp':
      return { nodeType: type, name: '(regexp)' }
    case 'symbol':
      return { nodeType: type, name: '(symbol)' }
    case 'bigint':
      return { nodeType: type, name: '(bigint)' }
    case 'number':
      return { nodeType: type, name: '(number)' }
  }
  let name = s.nodeNameOf(i)
  if (name === '') name = type === 'closure' ? '(anonymous function)' : type === 'array' ? '(array)' : `(${type})`
  else if (name.length > MAX_NAME) name = name.slice(0, MAX_NAME) + '…'
  return { nodeType: type, name }
}

/** `${nodeType}:${name}`, the histogram key. */
export function typeKey(s: HeapSnapshot, i: number): string {
  const t = typeName(s, i)
  return `${t.nodeType}:${t.name}`
}

/** Split a type key back into node type and name (names may contain ':'). */
export function splitTypeKey(key: string): TypeName {
  const k = key.indexOf(':')
  return k < 0 ? { nodeType: '', name: key } : { nodeType: key.slice(0, k), name: key.slice(k + 1) }
}

/** Highest sequential id in the snapshot. */
export function maxSequentialId(s: HeapSnapshot): number {
  const synthetic = s.nodeTypeIndex('synthetic')
  const { nodeId, nodeType } = s
  let max = 0
  for (let i = 0; i < s.nodeCount; i++) {
    const id = nodeId[i]!
    if (id > max && id % 2 === 1 && nodeType[i] !== synthetic) max = id
  }
  return max
}

/**
 * Group node indexes into type-key ids without building a string per node: memoised per
 * (type, name index); string kinds share one key.
 */
export function typeKeyIds(s: HeapSnapshot): { keyOf: Uint32Array; keys: string[] } {
  const n = s.nodeCount
  const keyOf = new Uint32Array(n)
  const keys: string[] = []
  const byKey = new Map<string, number>()
  const memo = new Map<number, number>()
  const typeCount = s.nodeTypes.length
  const stringType = s.nodeTypes.map((t) => STRING_TYPES.has(t) || t === 'regexp' || t === 'symbol' || t === 'bigint' || t === 'number')
  const { nodeType, nodeName } = s
  for (let i = 0; i < n; i++) {
    const t = nodeType[i]!
    const memoKey = stringType[t] === true ? t : (nodeName[i]! + 1) * typeCount + t
    let id = memo.get(memoKey)
    if (id === undefined) {
      const key = typeKey(s, i)
      id = byKey.get(key)
      if (id === undefined) {
        id = keys.length
        keys.push(key)
        byKey.set(key, id)
      }
      memo.set(memoKey, id)
    }
    keyOf[i] = id
  }
  return { keyOf, keys }
}

/** Reduce a snapshot to its summary. Pass a classification / key ids to avoid computing them twice. */
export function summarizeSnapshot(
  s: HeapSnapshot,
  classification: Classification = classifyNodes(s),
  keyIds: { keyOf: Uint32Array; keys: string[] } = typeKeyIds(s),
): SnapshotSummary {
  const { reason } = classification
  const { keyOf, keys } = keyIds
  const counts = new Float64Array(keys.length)
  const bytes = new Float64Array(keys.length)
  const size = s.nodeSelfSize
  for (let i = 0; i < s.nodeCount; i++) {
    if (reason[i] !== 0) continue
    const k = keyOf[i]!
    counts[k]!++
    bytes[k]! += size[i]!
  }
  const histogram = new Map<string, TypeStats>()
  keys.forEach((key, k) => {
    if (counts[k]! > 0) histogram.set(key, { count: counts[k]!, bytes: bytes[k]! })
  })
  return {
    maxId: maxSequentialId(s),
    userBytes: classification.userBytes,
    userCount: classification.userCount,
    internalBytes: classification.internalBytes,
    internalCount: classification.internalCount,
    nodeCount: s.nodeCount,
    histogram,
  }
}
