import type { HeapSnapshot } from '../snapshot.js'
import type { GraphRule } from './rule.js'

const WEAK_COLLECTIONS = new Set(['WeakMap', 'WeakSet'])
/** Prototype hops to follow from an instance (subclasses of subclasses of WeakMap). */
const MAX_PROTO_HOPS = 6

/**
 * The backing table of a WeakMap / WeakSet (an EphemeronHashTable, an unnamed `array` behind the
 * `table` edge). A GC drops dead entries but V8 shrinks the table only when a later insertion
 * rehashes it, so its size follows GC timing, not what the program keeps: Node's own
 * `isTrustedSet` WeakSet (one entry per dispatched Event) grew 24 then 11 B/call in a clean
 * AbortController workload on a loaded CI machine, with nothing else growing. Entries whose key
 * stays alive still count: the key is user data reached elsewhere, and the value stays reachable
 * (the rule is not a barrier).
 */
export const weakCollectionRule: GraphRule = {
  kind: 'graph',
  id: 'weak-collection-table',
  why: "a WeakMap / WeakSet table keeps its capacity after its keys die (Node's isTrustedSet grew in a clean AbortController workload)",
  apply(s: HeapSnapshot, reason: Uint8Array, _barrier: Uint8Array, code: number): void {
    const objectType = s.nodeTypeIndex('object')
    const arrayType = s.nodeTypeIndex('array')
    const internal = s.edgeTypeIndex('internal')
    const property = s.edgeTypeIndex('property')
    if (objectType < 0 || arrayType < 0 || internal < 0) return
    const { nodeType, firstEdge, edgeType, edgeTo } = s
    const protoOf = (i: number): number => {
      const end = firstEdge[i + 1]!
      for (let e = firstEdge[i]!; e < end; e++) {
        if (edgeType[e] === property && s.edgeName(e) === '__proto__') return nodeType[edgeTo[e]!] === objectType ? edgeTo[e]! : -1
      }
      return -1
    }
    // Instances sharing a prototype share the answer.
    const verdictByProto = new Map<number, boolean>()
    const isWeakCollection = (i: number): boolean => {
      if (WEAK_COLLECTIONS.has(s.nodeNameOf(i))) return true
      const proto = protoOf(i)
      if (proto < 0) return false
      let weak = verdictByProto.get(proto)
      if (weak === undefined) {
        weak = false
        for (let p = proto, hop = 0; p >= 0 && hop < MAX_PROTO_HOPS; p = protoOf(p), hop++) {
          if (WEAK_COLLECTIONS.has(s.nodeNameOf(p))) {
            weak = true
            break
          }
        }
        verdictByProto.set(proto, weak)
      }
      return weak
    }
    for (let i = 0; i < s.nodeCount; i++) {
      if (nodeType[i] !== objectType) continue
      const end = firstEdge[i + 1]!
      for (let e = firstEdge[i]!; e < end; e++) {
        if (edgeType[e] !== internal) continue
        const t = edgeTo[e]!
        if (nodeType[t] !== arrayType || reason[t] !== 0 || s.edgeName(e) !== 'table') continue
        if (isWeakCollection(i)) reason[t] = code
      }
    }
  },
}
