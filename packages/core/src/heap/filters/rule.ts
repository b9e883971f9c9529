import type { HeapSnapshot } from '../snapshot.js'

/**
 * A rule deciding from a node's V8 type and name alone that it is runtime-internal. Evaluated
 * once per distinct (type, name) pair. For string node types `name` is always '' (rules must not
 * depend on string contents).
 */
export interface NodeRule {
  kind: 'node'
  /** Short identifier, reported by the classification experiment. */
  id: string
  /** Why the rule exists (the measured evidence, in one sentence). */
  why: string
  /**
   * True when nodes matched by this rule never hold user data, so a path from the GC roots
   * through them does not make the target user data (see reachable.ts).
   */
  barrier: boolean
  isInternal(type: string, name: string): boolean
}

/**
 * A rule over the graph: marks more nodes internal given the node rules' result (1 = internal).
 * Runs after all node rules, in list order.
 */
export interface GraphRule {
  kind: 'graph'
  id: string
  why: string
  /**
   * `reason[i]` is 0 for user data, else 1 + the index of the rule that made node i internal;
   * `barrier[i]` is 1 for nodes whose rule is a barrier. Set `reason[i] = code` to mark more.
   */
  apply(s: HeapSnapshot, reason: Uint8Array, barrier: Uint8Array, code: number): void
}

export type InternalRule = NodeRule | GraphRule

/** V8 node types whose `name` is string contents (never shown, never used by rules). */
export const STRING_TYPES: ReadonlySet<string> = new Set(['string', 'concatenated string', 'sliced string'])
