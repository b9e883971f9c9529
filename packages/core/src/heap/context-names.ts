// Variable names of context slots that V8 leaves unnamed (`hidden [k]` edges of block scopes), for
// rendering retainer paths (render-path.ts).

import type { HeapSnapshot } from './snapshot.js'

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
