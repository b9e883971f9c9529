import type { HeapSnapshot } from '../snapshot.js'
import { COMPILER_HANDLE, INTERNAL_ROOTS } from './reachable.js'
import type { GraphRule } from './rule.js'

/**
 * Edges through which a DOM library keeps its own bookkeeping about the document, not data of the
 * program under test. Measured (happy-dom 21, Vitest 4): every `document.body` read adds one entry
 * (a 32-byte Object) to the `<symbol affectsCache>` array of the `<head>` element, which only a
 * change to `<head>` clears, so a clean component that appends to and removes from the body grew
 * by one Object per call and was reported as a leak.
 */
export const DOM_BOOKKEEPING_EDGES: readonly string[] = ['<symbol affectsCache>']

/**
 * Marks as internal what is reachable from the root only through a DOM library's bookkeeping
 * edges (above), with the same search as reachable.ts (weak edges, barrier nodes, internal roots
 * and compiler handles not followed). Heaps without such an edge are left alone at the cost of
 * one scan of the edge names.
 */
export const domBookkeepingRule: GraphRule = {
  kind: 'graph',
  id: 'dom-library-bookkeeping',
  why: "happy-dom's query-selector cache bookkeeping (`affectsCache`) grows by one entry per `document.body` read",
  apply(s: HeapSnapshot, reason: Uint8Array, barrier: Uint8Array, code: number): void {
    const n = s.nodeCount
    if (n === 0) return
    // String indexes of the bookkeeping edge names, if any edge has one.
    const strings = s.stringTable.length
    const memo = new Uint8Array(strings) // 0 unknown, 1 no, 2 yes
    const skip = (e: number): boolean => {
      if (s.edgeIsIndex(e)) return false
      const v = s.edgeNameOrIndex[e]!
      if (v >= strings) return false
      if (memo[v] === 0) memo[v] = DOM_BOOKKEEPING_EDGES.includes(s.stringTable.get(v)) ? 2 : 1
      return memo[v] === 2
    }
    let any = false
    for (let e = 0; e < s.edgeCount && !any; e++) any = skip(e)
    if (!any) return
    const seen = new Uint8Array(n)
    const queue = new Uint32Array(n)
    const weak = s.edgeTypeIndex('weak')
    const synthetic = s.nodeTypeIndex('synthetic')
    const { firstEdge, edgeTo, edgeType, nodeType } = s
    let head = 0
    let tail = 0
    queue[tail++] = 0
    seen[0] = 1
    while (head < tail) {
      const i = queue[head++]!
      if (barrier[i] === 1) continue
      const isRoot = nodeType[i] === synthetic
      if (isRoot && i !== 0 && INTERNAL_ROOTS.has(s.nodeNameOf(i))) continue
      const end = firstEdge[i + 1]!
      for (let e = firstEdge[i]!; e < end; e++) {
        if (edgeType[e] === weak || skip(e)) continue
        if (isRoot && COMPILER_HANDLE.test(s.edgeName(e))) continue
        const j = edgeTo[e]!
        if (seen[j] === 0) {
          seen[j] = 1
          queue[tail++] = j
        }
      }
    }
    for (let i = 0; i < n; i++) if (seen[i] === 0 && reason[i] === 0) reason[i] = code
  },
}
