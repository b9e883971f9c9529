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
// Paths are rendered without string contents unless asked: a string node is shown as
// `(string, 42 chars)`. Property and variable names are shown (they are identifiers in the code).

import type { Classification } from './filters/index.js'
import { internalRules } from './filters/index.js'
import { COMPILER_HANDLE, INTERNAL_ROOTS } from './filters/reachable.js'
import type { HeapSnapshot } from './snapshot.js'
import { typeName } from './summary.js'


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

export interface RenderOptions {
  showStrings: boolean
}

const SHOWN_CHARS = 60

/**
 * Length and (when `want` > 0) leading text of a string node. V8 names a concatenated (cons)
 * string `(concatenated string)`; its text is that of its `first` and `second` parts. A sliced
 * string's name is its own text in current V8; `(sliced string)` would mean it is unknown.
 */
function stringValue(s: HeapSnapshot, i: number, want: number): { length: number; text: string; exact: boolean } {
  let length = 0
  let text = ''
  let exact = true
  let budget = 10_000 // nodes visited, for pathological cons trees
  const visit = (j: number, depth: number) => {
    if (--budget < 0 || depth > 200) {
      exact = false
      return
    }
    const type = s.nodeTypeName(j)
    if (type === 'concatenated string') {
      let first = -1
      let second = -1
      for (let e = s.firstEdge[j]!; e < s.firstEdge[j + 1]!; e++) {
        const name = s.edgeName(e)
        if (name === 'first') first = s.edgeTo[e]!
        else if (name === 'second') second = s.edgeTo[e]!
      }
      if (first >= 0 && second >= 0) {
        visit(first, depth + 1)
        visit(second, depth + 1)
        return
      }
      exact = false
      return
    }
    const name = s.nodeNameOf(j)
    if (type === 'sliced string' && name === '(sliced string)') {
      exact = false
      return
    }
    // V8 cuts node names at --heap-snapshot-string-limit (1024) characters.
    if (name.length >= 1024) exact = false
    length += name.length
    if (text.length < want) text += name.slice(0, want - text.length)
  }
  visit(i, 0)
  return { length, text, exact }
}

/** Display name of a node: type name, with string contents redacted unless showStrings. */
export function displayName(s: HeapSnapshot, i: number, opts: RenderOptions): string {
  const type = s.nodeTypeName(i)
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string') {
    const value = stringValue(s, i, opts.showStrings ? SHOWN_CHARS + 1 : 0)
    const length = `${value.exact ? '' : '≥'}${value.length}`
    if (!opts.showStrings) return `(string, ${length} chars)`
    return JSON.stringify(value.text.length > SHOWN_CHARS ? value.text.slice(0, SHOWN_CHARS) + '…' : value.text)
  }
  if (type === 'regexp' && opts.showStrings) return `/${s.nodeNameOf(i).slice(0, 60)}/`
  if (i === 0) return '(root)'
  return typeName(s, i).name
}

/** Edge label: variable / property name, `[n]` for elements and numeric slots. Long names are cut. */
export function edgeLabel(s: HeapSnapshot, e: number): string {
  const name = s.edgeName(e)
  if (/^\d+$/.test(name)) return `[${name}]`
  return name.length > 60 ? name.slice(0, 60) + '…' : name
}

const IDENTIFIER = /^[\p{L}\p{Nl}$_#.][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$_\u200c\u200d]*$/u

/** Bytes of a Context before its first local slot: map, length, scope_info, previous (64-bit). */
const CONTEXT_HEADER = 32
const SLOT = 8

/** Score of "name j holds a small integer" (those slots have no edge in a snapshot). */
function smiScore(name: string): number {
  if (name.startsWith('__vite_ssr_import') || name.startsWith('__vi_import') || name.startsWith('#') || name.startsWith('.')) return -5
  if (/^[A-Z][A-Z0-9_]*$/.test(name)) return 1 // N, MAX_SIZE: numeric constants
  if (/^(?:[ijkn]|count|counter|total|size|len|length|idx|index|id|seq|calls|hits|misses|iterations)$/i.test(name)) return 1
  if (/(?:Count|Index|Id|Size|Total|Length)$/.test(name)) return 1
  return 0
}

/** Score of "name j holds the target of the context's k-th hidden edge". */
function matchScore(s: HeapSnapshot, target: number, name: string): number {
  const type = s.nodeTypeName(target)
  const nodeName = s.nodeNameOf(target)
  if (type === 'closure') return nodeName === name ? 10 : nodeName === '' ? 0 : -1
  if (name.startsWith('__vite_ssr_import') || name.startsWith('__vi_import')) return type === 'object' || type === 'hidden' ? 3 : 0
  if (type === 'object' && nodeName.length >= 3) {
    const a = name.toLowerCase()
    const b = nodeName.toLowerCase()
    if (a.includes(b) || b.includes(a)) return 2
  }
  return 0
}

/**
 * Variable names of a context's `hidden [k]` slots. V8 names context slots (`context` edges) only
 * in declaration scopes; block scopes, such as the `{ }` Vitest's module runner wraps every test
 * file in, come out as `hidden [k]`, where k counts the slots holding heap objects. Their
 * ScopeInfo lists all the scope's local names as `hidden [j]` string edges, in slot order, and the
 * context's self size gives the number of slots. Slots holding small integers have no edge, so
 * when there are fewer edges than names the edges are aligned to the names by a small dynamic
 * program that prefers closures named like their variable and numeric-looking names for the gaps.
 * An entry is `a|b` when the alignment is ambiguous, undefined when unknown.
 */
export function contextSlotNames(s: HeapSnapshot, ctx: number): Array<string | undefined> {
  const edges: number[] = []
  let scopeInfo = -1
  for (let f = s.firstEdge[ctx]!; f < s.firstEdge[ctx + 1]!; f++) {
    const t = s.edgeTypeName(f)
    if (t === 'hidden') edges.push(f)
    else if (t === 'context') return [] // a declaration scope: V8 already named the slots
    else if (t === 'internal' && s.edgeName(f) === 'scope_info') scopeInfo = s.edgeTo[f]!
  }
  if (scopeInfo < 0 || edges.length === 0) return []
  const names: string[] = []
  for (let f = s.firstEdge[scopeInfo]!; f < s.firstEdge[scopeInfo + 1]!; f++) {
    if (s.edgeTypeName(f) !== 'hidden') continue
    const target = s.edgeTo[f]!
    if (s.nodeTypeName(target) !== 'string') break
    names.push(s.nodeNameOf(target))
  }
  const slots = (s.selfSize(ctx) - CONTEXT_HEADER) / SLOT
  if (Number.isInteger(slots) && slots >= edges.length && slots < names.length) names.length = slots
  const m = edges.length
  const l = names.length
  if (m > l || l > 2000) return []
  const valid = names.map((n) => IDENTIFIER.test(n) && n.length <= 100)
  if (m === l) return names.map((n, j) => (valid[j] ? n : undefined))
  // f[k][j]: best score aligning edges[0..k) to names[0..j); g[k][j]: best for edges[k..) / names[j..).
  const w = l + 1
  const NEG = -1e9
  const fwd = new Float64Array((m + 1) * w).fill(NEG)
  const bwd = new Float64Array((m + 1) * w).fill(NEG)
  const match = (k: number, j: number) => matchScore(s, s.edgeTo[edges[k]!]!, names[j]!)
  fwd[0] = 0
  for (let k = 0; k <= m; k++) {
    for (let j = 0; j <= l; j++) {
      const here = fwd[k * w + j]!
      if (here === NEG) continue
      if (j < l) {
        const skip = here + smiScore(names[j]!)
        if (skip > fwd[k * w + j + 1]!) fwd[k * w + j + 1] = skip
        if (k < m) {
          const take = here + match(k, j)
          if (take > fwd[(k + 1) * w + j + 1]!) fwd[(k + 1) * w + j + 1] = take
        }
      }
    }
  }
  bwd[m * w + l] = 0
  for (let k = m; k >= 0; k--) {
    for (let j = l; j >= 0; j--) {
      if (k === m && j === l) continue
      let best = NEG
      if (j < l && bwd[k * w + j + 1]! !== NEG) best = Math.max(best, bwd[k * w + j + 1]! + smiScore(names[j]!))
      if (k < m && j < l && bwd[(k + 1) * w + j + 1]! !== NEG) best = Math.max(best, bwd[(k + 1) * w + j + 1]! + match(k, j))
      bwd[k * w + j] = best
    }
  }
  const total = fwd[m * w + l]!
  const out: Array<string | undefined> = []
  for (let k = 0; k < m; k++) {
    const candidates: string[] = []
    for (let j = k; j <= k + (l - m); j++) {
      const through = fwd[k * w + j]! + match(k, j) + bwd[(k + 1) * w + j + 1]!
      if (fwd[k * w + j]! !== NEG && bwd[(k + 1) * w + j + 1]! !== NEG && Math.abs(through - total) < 1e-9) {
        if (valid[j]) candidates.push(names[j]!)
        else candidates.length = 0
      }
    }
    out.push(candidates.length === 0 ? undefined : candidates.join('|'))
  }
  return out
}

/** Memoised `contextSlotNames` per context node. */
export class ContextNames {
  private cache = new Map<number, Array<string | undefined>>()
  constructor(private readonly s: HeapSnapshot) {}
  /** Name of the variable a `hidden` edge `e` out of context `holder` stands for, if known. */
  nameOf(holder: number, e: number): string | undefined {
    const s = this.s
    if (s.edgeTypeName(e) !== 'hidden' || s.nodeNameOf(holder) !== 'system / Context') return undefined
    let names = this.cache.get(holder)
    if (!names) {
      names = contextSlotNames(s, holder)
      this.cache.set(holder, names)
    }
    return names[s.edgeNameOrIndex[e]!]
  }
}

/** Class name of the engine's holder of the subject (run/call-subject.ts). */
export const SUBJECT_HOLDER = 'LeakproofSubjectCalls'

/** The subject function as the engine holds it: what is behind it is the subject's own state. */
function isSubject(s: HeapSnapshot, step: PathStep): boolean {
  return s.nodeNameOf(step.from) === SUBJECT_HOLDER && s.edgeName(step.edge) === 'subject'
}

/** Labels for the holders a rendered path may start at. */
function anchorLabel(s: HeapSnapshot, i: number, globals: ReadonlySet<number>): string | undefined {
  if (globals.has(i)) return '(global)'
  const type = s.nodeTypeName(i)
  if (type === 'synthetic') return s.nodeNameOf(i) || '(root)'
  if (s.nodeNameOf(i) === 'system / Context') {
    // A function context whose outer scope is the realm's NativeContext: a module's top scope
    // (CommonJS wrapper, Vitest module runner) or a script.
    for (let f = s.firstEdge[i]!; f < s.firstEdge[i + 1]!; f++) {
      if (s.edgeName(f) === 'previous' && s.nodeNameOf(s.edgeTo[f]!) === 'system / NativeContext') return '(module scope)'
    }
  }
  return undefined
}

/** Global objects: targets of the root's shortcut edges. */
export function globalObjects(s: HeapSnapshot): Set<number> {
  const out = new Set<number>()
  for (let e = s.firstEdge[0]!; e < s.firstEdge[1]!; e++) if (s.edgeTypeName(e) === 'shortcut') out.add(s.edgeTo[e]!)
  return out
}

export interface RenderedStep {
  edge: string
  edgeType: string
  name: string
  nodeType: string
  /** The same edge followed this many times in a row (linked lists, cons-string chains). */
  repeat?: number
}

export interface RenderedPath {
  /** Steps after the anchor (the holder the text starts at). */
  steps: RenderedStep[]
  text: string
  /** Same path with element indexes blanked: paths equal under this key share one cause. */
  clusterKey: string
}

/** Names that say nothing about the holder; only the edge is printed for them. */
function informative(step: RenderedStep): boolean {
  return !(step.name.startsWith('(') || step.name.startsWith('system / '))
}

/**
 * Render a root path from its last anchor (the global object, a module scope or a root group)
 * onwards, e.g. `(global) → cache (Object) → items (Array) → [0] → Session`, naming context
 * slots after their variables.
 */
export function renderPath(
  s: HeapSnapshot,
  full: PathStep[],
  opts: RenderOptions,
  globals: ReadonlySet<number>,
  contexts: ContextNames = new ContextNames(s),
): RenderedPath {
  let start = 0
  let head = '(root)'
  for (let k = full.length - 2; k >= 0; k--) {
    const label = isSubject(s, full[k]!) ? '(subject)' : anchorLabel(s, full[k]!.node, globals)
    if (label !== undefined) {
      start = k + 1
      head = label
      break
    }
  }
  const steps: RenderedStep[] = []
  for (let k = start; k < full.length; k++) {
    const { edge, node, from, repeat } = full[k]!
    const variable = contexts.nameOf(from, edge)
    steps.push({
      edge: variable ?? edgeLabel(s, edge),
      edgeType: variable !== undefined ? 'context' : s.edgeTypeName(edge),
      name: displayName(s, node, opts),
      nodeType: s.nodeTypeName(node),
      ...(repeat ? { repeat } : {}),
    })
  }
  const parts = [head]
  steps.forEach((st, k) => {
    const edge = st.repeat ? `${st.edge} ×${st.repeat}` : st.edge
    if (k === steps.length - 1) parts.push(edge, st.name)
    else parts.push(informative(st) ? `${edge} (${st.name})` : edge)
  })
  // Positions in a list or chain are one cause: indexes and run lengths are not part of the key.
  const clusterKey = steps
    .map((st) => {
      const name = st.nodeType.endsWith('string') ? '(string)' : st.name
      return `${st.edgeType}|${st.edge.replace(/^\[\d+\]$/, '[]')}${st.repeat ? '×' : ''}|${st.nodeType}|${name}`
    })
    .join('>')
  return { steps, text: parts.join(' → '), clusterKey: `${head}>${clusterKey}` }
}

