import type { NodeRule } from './rule.js'

/** V8 type `synthetic`: the root, `(GC roots)` and its groups, embedder root groups. */
export const syntheticRule: NodeRule = {
  kind: 'node',
  barrier: false,
  id: 'synthetic',
  why: 'roots are bookkeeping nodes (self size 0, except Node / Environment), not allocations',
  isInternal: (type) => type === 'synthetic',
}
