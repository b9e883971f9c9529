// Retainer paths: how a leaked object is reachable from the GC roots.
//
// One search over the whole snapshot builds a shortest-path tree from the root; the path of any
// node is then a walk up its parents. The search is a Dijkstra over small integer edge weights
// (a bucket queue) so that, among paths of similar length, those through edges a programmer wrote
// (variables, properties, elements) win over runtime-internal ones:
//
// - weak edges are never followed;
// - code, object shapes and the internal synthetic roots (string table, compilation cache, C++
//   handle scopes, compiler handles, ...) are not looked through at all, as in
//   filters/reachable.ts: a path through them explains nothing;
// - stepping out of a runtime-internal node (hidden, native, a root) costs more than stepping out
//   of a user object, and internal / hidden edges cost more than context / property / element ones.
//
// render-path.ts turns a path into report text, naming context slots (context-names.ts).

import type { Classification } from './filters/index.js'
import { internalRules } from './filters/index.js'
import { COMPILER_HANDLE, INTERNAL_ROOTS } from './filters/reachable.js'
import type { HeapSnapshot } from './snapshot.js'

/** Shortest-path tree from the root: parent edge / node of every reached node (-1 = none). */
export interface PathTree {
  parentEdge: Int32Array
  parentNode: Int32Array
}

export interface PathStep {
  /** Edge index in the snapshot, followed from `from`. */
  edge: number
  /** Node reached. */
  node: number
  /** Node the edge starts at. */
  from: number
  /** The same step taken this many times in a row, shown once (linked lists, cons-string chains). */
  repeat?: number
}

/** Extra cost of an edge out of a runtime-internal (non-barrier) node. */
const LEAVE_INTERNAL = 2
/** Largest cost of one step: an internal edge (3) out of an internal node. */
const MAX_COST = 3 + LEAVE_INTERNAL

/** Edge weights: user-visible edges are cheap, runtime-internal ones dear. */
function edgeWeights(s: HeapSnapshot): Uint8Array {
  const w = new Uint8Array(s.edgeTypes.length)
  s.edgeTypes.forEach((t, i) => {
    w[i] = t === 'context' || t === 'property' || t === 'element' ? 2 : t === 'shortcut' ? 1 : 3
  })
  return w
}

/** Build the tree. `classification` is the one used for the leak, so barriers match it. */
export function buildPathTree(s: HeapSnapshot, classification: Classification): PathTree {
  const n = s.nodeCount
  const parentEdge = new Int32Array(n).fill(-1)
  const parentNode = new Int32Array(n).fill(-1)
  if (n === 0) return { parentEdge, parentNode }
  const { reason } = classification
  // Nodes not looked through: barrier rules (code, shapes, ...) and internal roots.
  const blocked = new Uint8Array(n)
  const barrierCodes = new Uint8Array(256)
  internalRules.forEach((r, k) => {
    if (r.kind === 'node' && r.barrier) barrierCodes[k + 1] = 1
  })
  const synthetic = s.nodeTypeIndex('synthetic')
  for (let i = 0; i < n; i++) {
    if (barrierCodes[reason[i]!] === 1) blocked[i] = 1
    else if (s.nodeType[i] === synthetic && i !== 0 && INTERNAL_ROOTS.has(s.nodeNameOf(i))) blocked[i] = 1
  }
  const weights = edgeWeights(s)
  const weak = s.edgeTypeIndex('weak')
  const INF = 0xffffffff
  const dist = new Uint32Array(n).fill(INF)
  // Dial's algorithm: edge costs are 1..MAX_COST, so MAX_COST + 1 circular buckets hold every
  // tentative distance still to settle; memory is the frontier, not the whole graph.
  const slots = MAX_COST + 1
  const buckets: number[][] = Array.from({ length: slots }, () => [])
  let pending = 1
  dist[0] = 0
  buckets[0]!.push(0)
  const { firstEdge, edgeTo, edgeType, nodeType } = s
  for (let d = 0; pending > 0; d++) {
    const bucket = buckets[d % slots]!
    // Entries pushed during this loop land in other buckets (costs are >= 1).
    for (let b = 0; b < bucket.length; b++) {
      const i = bucket[b]!
      pending--
      if (dist[i] !== d) continue // stale: reached more cheaply later
      if (blocked[i] === 1) continue
      // Leaving an internal (non-barrier) node costs extra, so user objects are preferred holders.
      const extra = reason[i] === 0 || i === 0 ? 0 : LEAVE_INTERNAL
      const isRoot = nodeType[i] === synthetic
      const end = firstEdge[i + 1]!
      for (let e = firstEdge[i]!; e < end; e++) {
        const t = edgeType[e]!
        if (t === weak) continue
        if (isRoot && COMPILER_HANDLE.test(s.edgeName(e))) continue
        const j = edgeTo[e]!
        const nd = d + weights[t]! + extra
        if (nd < dist[j]!) {
          dist[j] = nd
          parentEdge[j] = e
          parentNode[j] = i
          buckets[nd % slots]!.push(j)
          pending++
        }
      }
    }
    bucket.length = 0
  }
  return { parentEdge, parentNode }
}

/** Runs of identical steps at least this long are folded into one step with a count. */
const MIN_FOLDED_RUN = 3

/** Same edge and same kind of node: one more link of a list or chain. Strings differ in length only. */
function sameStep(s: HeapSnapshot, e1: number, n1: number, e2: number, n2: number): boolean {
  if (s.edgeType[e1] !== s.edgeType[e2] || s.edgeNameOrIndex[e1] !== s.edgeNameOrIndex[e2]) return false
  const type = s.nodeType[n1]!
  if (type !== s.nodeType[n2]) return false
  return s.nodeTypes[type]!.endsWith('string') || s.nodeName[n1] === s.nodeName[n2]
}

/**
 * The path from the root to node `target` (root excluded), or undefined if unreachable. Paths can
 * be thousands of steps long (a listener deep in a linked list, a string appended to many times),
 * and thousands of objects are walked per type, so runs of identical steps are folded during the
 * walk: the work stays linear in the path, and nothing long is ever rendered.
 */
export function pathTo(s: HeapSnapshot, tree: PathTree, target: number): PathStep[] | undefined {
  const { parentEdge, parentNode } = tree
  const stepAt = (i: number): PathStep => ({ edge: parentEdge[i]!, node: i, from: parentNode[i]! })
  if (target !== 0 && parentEdge[target]! < 0) return undefined
  // Walk up from the target; the target's own step is never folded.
  const reversed: PathStep[] = target === 0 ? [] : [stepAt(target)]
  let i = target === 0 ? 0 : parentNode[target]!
  while (i !== 0) {
    if (parentEdge[i]! < 0) return undefined
    // Follow the run of steps identical to this one.
    let run = 1
    let j = parentNode[i]!
    while (j !== 0 && parentEdge[j]! >= 0 && sameStep(s, parentEdge[i]!, i, parentEdge[j]!, j)) {
      run++
      j = parentNode[j]!
    }
    if (run >= MIN_FOLDED_RUN) {
      // Shown as the link nearest the target, entered from the node above the run.
      reversed.push({ ...stepAt(i), repeat: run })
      i = j
    } else {
      reversed.push(stepAt(i))
      i = parentNode[i]!
    }
  }
  return reversed.reverse()
}
