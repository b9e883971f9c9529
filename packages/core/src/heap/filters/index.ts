// Which heap snapshot nodes are "runtime internal" rather than user data.
//
// The engine needs this to tell JIT / code warm-up growth (which must never be reported as a leak)
// apart from objects the program keeps. Findings from bench/heap/experiments/classify.mjs
// (Node 20.20 / V8 11.3; three snapshots 200 calls apart after 20 warm-up calls):
//
// - Clean workloads still grow between snapshots, and almost all of it is code: 400 distinct
//   functions getting hot add ~11-18 KB per 200 calls of `code` nodes (BytecodeArray,
//   FeedbackVector, baseline / TurboFan code, relocation info, deopt data, source positions);
//   60 classes instantiated late add 150 BytecodeArray / FeedbackVector / ScopeInfo plus 50
//   `object shape` Maps and PrototypeInfos.
// - Two kinds of warm-up growth look like user data by type alone: object-literal boilerplates
//   (`object:Object`, retained only by an AllocationSite's `transition_info`, itself held by a
//   FeedbackVector, and while TurboFan compiles by its handles: `(Handle scope)` and
//   `n / IdentityMapBase` edges of `(Strong roots)`) and internalized strings held only by the
//   string table and bytecode constant pools (`f14`, `get g`, ...). The graph rule reachable.ts
//   removes both: a node is user data only if the root reaches it without passing through code /
//   shape nodes, the string table and other runtime roots, or compiler handles. With it, all five
//   clean workloads show no user growth except the 2 file-name strings per interval the
//   experiment itself keeps; without it, 3-4 boilerplate `Object`s per 200 calls remained.
//
// Rules (one per file): synthetic.ts (roots), code.ts, object-shape.ts, hidden.ts (with a user
// allowlist), native.ts (ArrayBuffer backing stores are user data, Node's C++ objects are not),
// system-named.ts (`(system)`, internal-tagged arrays), weak-collection.ts (WeakMap / WeakSet
// tables), finalization-pending.ts (held values of cleared FinalizationRegistry cells),
// reachable.ts (the graph rule), dom-bookkeeping.ts (a DOM library's own caches, e.g. happy-dom's
// `affectsCache`, looked past the same way).
// - `hidden` nodes grow on first use of APIs (WeakArrayList, handler infos) and are internal,
//   except the few kinds that store user values (PropertyArray, PropertyCell, AccessorPair,
//   JSProxy, Context): see hidden.ts.
// - Leaks are classified as user data: `{}` → object:Object, `'k'+i` → string, closures →
//   closure + object:system / Context (+ the captured object), Map with string keys → string +
//   Object + the Map's unnamed backing `array`, Buffer.alloc(256) → object:Buffer +
//   object:ArrayBuffer + native:system / JSArrayBufferData (256 B each). Pushing small integers
//   or doubles into an array only grows the array's `(object elements)` backing store: numbers
//   held unboxed are not nodes in a snapshot.
// - Snapshots hold only live objects (V8 collects garbage before writing one), so nothing needs
//   a reachability filter for liveness: following weak edges too, every node is reachable from
//   the root on Node 20; Node 22 / 24 add 8 orphan `code` nodes (Intl.v8BreakIterator functions).
// - Node 22 and 24 (V8 12.4 / 13.6) classify the same workloads the same way.
//
// Rules run in list order; the first node rule that matches gives the reason. Graph rules run
// after all node rules.

import type { HeapSnapshot } from '../snapshot.js'
import { codeRule } from './code.js'
import { domBookkeepingRule } from './dom-bookkeeping.js'
import { finalizationPendingRule } from './finalization-pending.js'
import { hiddenRule } from './hidden.js'
import { nativeRule } from './native.js'
import { objectShapeRule } from './object-shape.js'
import { reachableRule } from './reachable.js'
import { STRING_TYPES, type GraphRule, type InternalRule, type NodeRule } from './rule.js'
import { syntheticRule } from './synthetic.js'
import { systemNamedRule } from './system-named.js'
import { weakCollectionRule } from './weak-collection.js'

export type { GraphRule, InternalRule, NodeRule } from './rule.js'
export { STRING_TYPES } from './rule.js'

/** The rules, in order. Reason code k (1-based) in a classification means `internalRules[k - 1]`. */
export const internalRules: readonly InternalRule[] = [
  syntheticRule,
  codeRule,
  objectShapeRule,
  hiddenRule,
  nativeRule,
  systemNamedRule,
  weakCollectionRule,
  finalizationPendingRule,
  reachableRule,
  domBookkeepingRule,
]

export interface Classification {
  /** Per node: 0 = user data, k = internal because of `internalRules[k - 1]`. */
  reason: Uint8Array
  /** Internal node count and self bytes, user node count and self bytes. */
  internalCount: number
  internalBytes: number
  userCount: number
  userBytes: number
}

/** Classify every node of a snapshot: one pass per distinct (type, name) plus the graph rules. */
export function classifyNodes(s: HeapSnapshot, rules: readonly InternalRule[] = internalRules): Classification {
  if (rules.length > 254) throw new Error('too many rules')
  const n = s.nodeCount
  const reason = new Uint8Array(n)
  const barrier = new Uint8Array(n)
  const nodeRules: Array<[NodeRule, number]> = []
  rules.forEach((r, k) => {
    if (r.kind === 'node') nodeRules.push([r, k + 1])
  })
  // Memoised per (type, name): bit 8 = barrier, low bits = reason.
  const memo = new Map<number, number>()
  const stringType = s.nodeTypes.map((t) => STRING_TYPES.has(t))
  const typeCount = s.nodeTypes.length
  const { nodeType, nodeName } = s
  for (let i = 0; i < n; i++) {
    const t = nodeType[i]!
    const stringLike = stringType[t] === true
    const key = stringLike ? t : (nodeName[i]! + 1) * typeCount + t
    let v = memo.get(key)
    if (v === undefined) {
      v = 0
      const type = s.nodeTypes[t] ?? 'unknown'
      const name = stringLike ? '' : s.nodeNameOf(i)
      for (const [rule, code] of nodeRules) {
        if (rule.isInternal(type, name)) {
          v = code | (rule.barrier ? 256 : 0)
          break
        }
      }
      memo.set(key, v)
    }
    if (v !== 0) {
      reason[i] = v & 255
      if (v & 256) barrier[i] = 1
    }
  }
  rules.forEach((r, k) => {
    if (r.kind === 'graph') r.apply(s, reason, barrier, k + 1)
  })
  let internalCount = 0
  let internalBytes = 0
  let userCount = 0
  let userBytes = 0
  const size = s.nodeSelfSize
  for (let i = 0; i < n; i++) {
    if (reason[i] === 0) {
      userCount++
      userBytes += size[i]!
    } else {
      internalCount++
      internalBytes += size[i]!
    }
  }
  return { reason, internalCount, internalBytes, userCount, userBytes }
}

/** Rule id for a reason code, or 'user'. */
export function reasonName(code: number, rules: readonly InternalRule[] = internalRules): string {
  return code === 0 ? 'user' : (rules[code - 1]?.id ?? `rule ${code}`)
}
