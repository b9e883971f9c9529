import type { HeapSnapshot } from '../snapshot.js'
import type { GraphRule } from './rule.js'

/**
 * Synthetic roots whose contents are runtime tables, not program state: the string table, the
 * compilation cache, builtins, read-only and startup caches, the debugger. Something reachable
 * only through these is not data the program can reach.
 */
export const INTERNAL_ROOTS: ReadonlySet<string> = new Set([
  '(Internalized strings)',
  '(External strings)',
  '(Compilation cache)',
  '(Code flusher)',
  '(Builtins)',
  '(Read-only roots)',
  '(Smi roots)',
  '(Startup object cache)',
  '(Read-only object cache)',
  '(Shareable object cache)',
  '(Bootstrapper)',
  '(Debugger)',
  '(Retain maps)',
  '(Extensions)',
  // C++ handles of the native code running when the snapshot is taken (the snapshot writer
  // itself, a compile job finishing on the main thread); JS locals are under (Stack roots).
  '(Handle scope)',
])

/**
 * Root edges named `n / IdentityMapBase` are the canonical handles of an optimizing compile job
 * (TurboFan): while 400 functions warm up, 3-4 object-literal boilerplates per 200 calls were held
 * only by those and by `(Handle scope)` entries of the same job.
 */
export const COMPILER_HANDLE = /IdentityMapBase/

/**
 * Marks as internal every node that is reachable from the root only through runtime internals:
 * breadth-first search from the root that skips weak edges, does not look through barrier nodes
 * (code, object shapes, internal-tagged arrays) nor through the internal synthetic roots above.
 * Whatever the search never reaches is owned by the runtime.
 *
 * Evidence: while 400 distinct functions warm up, 14 plain `Object`s per 200 calls appear whose
 * only retainer is an AllocationSite (`transition_info`), itself held by a FeedbackVector: object
 * literal boilerplates. In a class-heavy warm-up, 51 new strings per 200 calls (`f14`, `f47`, ...)
 * are held only by the string table and bytecode constant pools. Both look like user data by type.
 */
export const reachableRule: GraphRule = {
  kind: 'graph',
  id: 'only-reachable-through-internals',
  why:
    'object-literal boilerplates (held by AllocationSites) and internalized strings held by the ' +
    'string table and constant pools grow during warm-up, and are `object` / `string` by type',
  apply(s: HeapSnapshot, reason: Uint8Array, barrier: Uint8Array, code: number): void {
    const n = s.nodeCount
    if (n === 0) return
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
        if (edgeType[e] === weak) continue
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
