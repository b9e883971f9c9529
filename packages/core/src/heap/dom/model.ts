// The DOM as a heap snapshot holds it, for jsdom and happy-dom: which nodes are DOM nodes, their
// parent, their public name, and the edge names that matter. Detected from the heap alone (edge
// names), without depending on either library.

import type { HeapSnapshot } from '../snapshot.js'
import type { DomStep } from './path-words.js'
import {
  HAPPY_CHILDREN_EDGE,
  HAPPY_LISTENERS_EDGE,
  HAPPY_PARENT_EDGE,
  JSDOM_IMPL_EDGE,
  JSDOM_LISTENERS_EDGE,
  JSDOM_TREE_EDGE,
  JSDOM_WRAPPER_EDGE,
  publicName,
} from './names.js'

export type DomLibrary = 'jsdom' | 'happy-dom'

const WANTED = [JSDOM_WRAPPER_EDGE, JSDOM_IMPL_EDGE, JSDOM_TREE_EDGE, HAPPY_PARENT_EDGE, HAPPY_CHILDREN_EDGE, HAPPY_LISTENERS_EDGE, JSDOM_LISTENERS_EDGE, 'parent'] as const
type Wanted = (typeof WANTED)[number]

export class DomModel {
  /** String-table index of each wanted edge name (-1 when absent). */
  private readonly nameIndex = new Map<Wanted, number>()
  private readonly parentCache = new Map<number, number>()

  private constructor(
    readonly s: HeapSnapshot,
    readonly library: DomLibrary,
    names: Map<Wanted, number>,
  ) {
    this.nameIndex = names
  }

  /** The DOM library whose objects are in this heap, or undefined (no DOM: nothing to do). */
  static detect(s: HeapSnapshot): DomModel | undefined {
    const strings = s.stringTable.length
    // 0 unknown, 1 not wanted, 2 + k: WANTED[k]
    const memo = new Uint8Array(strings)
    const found = new Map<Wanted, number>()
    const { edgeNameOrIndex } = s
    for (let e = 0; e < s.edgeCount; e++) {
      if (s.edgeIsIndex(e)) continue
      const v = edgeNameOrIndex[e]!
      if (v >= strings || memo[v] !== 0) continue
      const name = s.stringTable.get(v)
      const k = (WANTED as readonly string[]).indexOf(name)
      memo[v] = k < 0 ? 1 : 2 + k
      if (k >= 0) found.set(WANTED[k]!, v)
    }
    // Both can be in one heap (a process that made windows of each): nodes are told apart one by one.
    if (found.has(JSDOM_TREE_EDGE) && found.has(JSDOM_IMPL_EDGE)) return new DomModel(s, 'jsdom', found)
    if (found.has(HAPPY_PARENT_EDGE) && found.has(HAPPY_CHILDREN_EDGE)) return new DomModel(s, 'happy-dom', found)
    return undefined
  }

  /** Target of node i's named edge `name`, or -1. */
  edge(i: number, name: Wanted): number {
    const v = this.nameIndex.get(name)
    if (v === undefined) return -1
    const s = this.s
    for (let e = s.firstEdge[i]!; e < s.firstEdge[i + 1]!; e++) {
      if (s.edgeNameOrIndex[e] === v && !s.edgeIsIndex(e)) return s.edgeTo[e]!
    }
    return -1
  }

  private isObject(i: number): boolean {
    return i >= 0 && this.s.nodeTypeName(i) === 'object'
  }

  /**
   * The DOM node object i stands for (jsdom: its implementation; a wrapper maps to its impl),
   * or -1 when i is not a DOM node.
   */
  domNode(i: number): number {
    if (this.edge(i, JSDOM_TREE_EDGE) >= 0 && this.edge(i, JSDOM_WRAPPER_EDGE) >= 0) return i
    const impl = this.edge(i, JSDOM_IMPL_EDGE)
    if (impl >= 0 && this.edge(impl, JSDOM_TREE_EDGE) >= 0) return impl
    return this.edge(i, HAPPY_PARENT_EDGE) >= 0 || this.edge(i, HAPPY_CHILDREN_EDGE) >= 0 ? i : -1
  }

  /** The library DOM node n belongs to. */
  libraryOf(n: number): DomLibrary {
    return this.edge(n, JSDOM_TREE_EDGE) >= 0 ? 'jsdom' : 'happy-dom'
  }

  /** What the user holds of DOM node n: jsdom's wrapper, happy-dom's node itself. */
  publicObject(n: number): number {
    const w = this.edge(n, JSDOM_WRAPPER_EDGE)
    return this.isObject(w) ? w : n
  }

  /** Public interface name of DOM node n (`HTMLDivElement`, `Text`). */
  nameOf(n: number): string {
    const s = this.s
    const w = this.edge(n, JSDOM_WRAPPER_EDGE)
    return publicName(s.nodeNameOf(n), this.isObject(w) ? s.nodeNameOf(w) : undefined)
  }

  /** Parent DOM node of DOM node n, or -1 (a tree root). */
  parentOf(n: number): number {
    const hit = this.parentCache.get(n)
    if (hit !== undefined) return hit
    let p = -1
    const tree = this.edge(n, JSDOM_TREE_EDGE)
    if (tree >= 0) {
      const q = this.edge(tree, 'parent')
      if (this.isObject(q) && this.edge(q, JSDOM_TREE_EDGE) >= 0) p = q
    } else {
      const q = this.edge(n, HAPPY_PARENT_EDGE)
      if (this.isObject(q) && this.domNode(q) === q) p = q
    }
    this.parentCache.set(n, p)
    return p
  }

  /** Root of n's tree (a document when n is in the document). Cycles and depth are bounded. */
  rootOf(n: number): number {
    let r = n
    for (let depth = 0; depth < 10_000; depth++) {
      const p = this.parentOf(r)
      if (p < 0) return r
      r = p
    }
    return r
  }
}

/** Keys of hash-table entries the path enters (`table → [6]`: the key is slot 5), when strings. */
export function annotateKeys(s: HeapSnapshot, full: ReadonlyArray<{ edge: number; node: number; from: number }>, steps: readonly DomStep[]): DomStep[] {
  return steps.map((st, k) => {
    const raw = full[k]
    if (!raw || k === 0 || steps[k - 1]!.edge !== 'table' || !/^\[\d+\]$/.test(st.edge)) return st
    // Element / hidden edges carry the index, internal ones its text: compare the labels.
    const index = Number(st.edge.slice(1, -1))
    const want = `[${index - 1}]`
    const table = raw.from
    for (let e = s.firstEdge[table]!; e < s.firstEdge[table + 1]!; e++) {
      const name = s.edgeName(e)
      if (name === want || name === String(index - 1)) {
        const keyNode = s.edgeTo[e]!
        if (s.nodeTypeName(keyNode) === 'string' && s.nodeNameOf(keyNode).length <= 40) return { ...st, key: s.nodeNameOf(keyNode) }
      }
    }
    return st
  })
}

