import type { HeapSnapshot } from '../snapshot.js'
import type { GraphRule } from './rule.js'

/**
 * A FinalizationRegistry cell whose target has been collected (no weak `target` edge left) is
 * waiting for its cleanup callback, and the held value it still points to is garbage as soon as
 * that callback runs. Node runs those callbacks in platform tasks a turn or more after the GC,
 * so a snapshot can catch many of them: undici's fetch registers a WeakRef per response body
 * and left 600–1100 of them in cleared cells at a snapshot (1 per call over an interval), a
 * false positive. Such cells are made barriers, so what only they hold is not user data; held
 * values of live targets, and anything also reachable elsewhere, still are.
 */
export const finalizationPendingRule: GraphRule = {
  kind: 'graph',
  id: 'finalization-pending',
  why: "held values of FinalizationRegistry cells whose target is already collected wait only for the cleanup callback (undici fetch's WeakRef per response)",
  apply(s: HeapSnapshot, reason: Uint8Array, barrier: Uint8Array, code: number): void {
    const hidden = s.nodeTypeIndex('hidden')
    const weak = s.edgeTypeIndex('weak')
    if (hidden < 0) return
    const { nodeType, firstEdge, edgeType } = s
    let cellName = -1
    for (let i = 0; i < s.nodeCount; i++) {
      if (nodeType[i] !== hidden) continue
      if (cellName < 0) {
        if (s.nodeNameOf(i) !== 'system / WeakCell') continue
        cellName = s.nodeName[i]!
      } else if (s.nodeName[i] !== cellName) continue
      let live = false
      for (let e = firstEdge[i]!; e < firstEdge[i + 1]! && !live; e++) {
        live = edgeType[e] === weak && s.edgeName(e) === 'target'
      }
      if (live) continue
      barrier[i] = 1
      if (reason[i] === 0) reason[i] = code
    }
  },
}
