// DOM-aware explanation (jsdom, happy-dom): retained DOM nodes reported by their public interface,
// as trees, marked detached when not in the document, with their holder in DOM terms.
//
// Runs on snapshot C of the three-snapshot comparison, only when the heap holds a DOM library's
// objects (model.ts detects them by edge names), and only changes the explanation: the verdict
// was decided before, on the same evidence as without a DOM.
//
// - Unit: per DOM node allocated between A and B and still alive in C, its highest ancestor that
//   was also allocated after A: what one call created (a detached `<div>` with 40 descendants is
//   one unit, not 41 rows).
// - Detached: the unit's tree root is not a document.
// - Owned: what a unit holds that was allocated after A (its descendants, jsdom's wrappers,
//   SymbolTreeNodes, attributes, style declarations, happy-dom's per-node Maps): a walk from the
//   unit over strong edges through new nodes only, stopping at other units. Owned nodes leave the
//   retained-types table and are counted in the unit's row instead.
// - Paths: to the unit's public object (jsdom's wrapper), retold in DOM terms (path-words.ts).

import { ContextNames } from '../../heap/context-names.js'
import type { Classification } from '../../heap/filters/index.js'
import { pathTo, type PathTree } from '../../heap/paths.js'
import { renderPath } from '../../heap/render-path.js'
import type { HeapSnapshot } from '../../heap/snapshot.js'
import type { RetainedType, RetainerPath } from '../../report/types.js'
import { annotateKeys, DomModel, type DomLibrary } from '../../heap/dom/model.js'
import { isDocumentName, isDomBookkeeping, isTreeNodeName, publicName } from '../../heap/dom/names.js'
import { domPath, type DomStep } from '../../heap/dom/path-words.js'

export interface DomExplanation {
  library: DomLibrary
  /** One row per kind of unit (public name, detached or not), most bytes first. */
  units: RetainedType[]
  /** Paths to the units, in DOM terms, one per row first. */
  paths: RetainerPath[]
  /** Nodes owned by units (1), for leaving them out of the other rows' paths. */
  owned: Uint8Array
  /** Per type key: owned nodes among those allocated between A and B, and their bytes. */
  ownedCount: Float64Array
  ownedBytes: Float64Array
}

export interface DomInput {
  s: HeapSnapshot
  classification: Classification
  keyOf: Uint32Array
  keyCount: number
  maxIdA: number
  maxIdB: number
  /** Calls between A and B. */
  calls: number
  showStrings: boolean
  /** Path tree and helpers for the paths (absent: no paths). */
  paths?: { tree: PathTree; globals: ReadonlySet<number>; contexts: ContextNames; max: number }
}

/** Units walked at most (their statistics are scaled to all units). */
const MAX_UNITS = 3000
/** Nodes one unit may own before the walk stops (a runaway walk into shared state). */
const MAX_OWNED = 20_000
const PATH_SAMPLES = 200

export function explainDom(input: DomInput): DomExplanation | undefined {
  const { s, classification, keyOf, maxIdA, maxIdB } = input
  const dom = DomModel.detect(s)
  if (!dom) return undefined
  const { reason } = classification
  const synthetic = s.nodeTypeIndex('synthetic')
  const n = s.nodeCount
  const isNew = (i: number) => {
    const id = s.nodeId[i]!
    return id > maxIdA && id % 2 === 1 && s.nodeType[i] !== synthetic
  }
  const inWindow = (i: number) => isNew(i) && s.nodeId[i]! <= maxIdB

  // Units: the highest new ancestor of every DOM node allocated in the window.
  const unitOf = new Map<number, number>()
  const units = new Set<number>()
  const object = s.nodeTypeIndex('object')
  for (let i = 0; i < n; i++) {
    if (reason[i] !== 0 || s.nodeType[i] !== object || !inWindow(i)) continue
    const d = dom.domNode(i)
    if (d !== i) continue // wrappers map to their impl, visited on their own
    if (!isTreeNodeName(dom.nameOf(d))) continue // attributes: their element's
    let u = d
    for (let depth = 0; depth < 10_000; depth++) {
      const p = dom.parentOf(u)
      if (p < 0 || !isNew(p)) break
      u = p
    }
    // A document created per call is not a retained element tree: leave it to the type table.
    if (isDocumentName(dom.nameOf(u))) continue
    unitOf.set(i, u)
    units.add(u)
  }
  if (units.size === 0) return undefined

  // Ownership walk per unit (unit roots and their public objects stop other units' walks).
  const owned = new Uint8Array(n)
  const stop = new Uint8Array(n)
  for (const u of units) {
    stop[u] = 1
    stop[dom.publicObject(u)] = 1
  }
  const weak = s.edgeTypeIndex('weak')
  interface Group {
    library: DomLibrary
    name: string
    detached: boolean
    units: number[]
    nodes: number
    bytes: number
    walked: number
  }
  const groups = new Map<string, Group>()
  const ownedCount = new Float64Array(input.keyCount)
  const ownedBytes = new Float64Array(input.keyCount)
  let walked = 0
  const stack: number[] = []
  for (const u of units) {
    const name = dom.nameOf(u)
    const detached = !isDocumentName(dom.nameOf(dom.rootOf(u)))
    const key = `${name}\u0000${detached}\u0000${dom.libraryOf(u)}`
    let g = groups.get(key)
    if (!g) {
      g = { library: dom.libraryOf(u), name, detached, units: [], nodes: 0, bytes: 0, walked: 0 }
      groups.set(key, g)
    }
    if (inWindow(u) || inWindow(dom.publicObject(u))) g.units.push(u)
    if (walked >= MAX_UNITS) continue
    walked++
    g.walked++
    stack.length = 0
    const starts = [u, dom.publicObject(u)]
    for (const st of starts) {
      if (owned[st] === 0) {
        owned[st] = 1
        stack.push(st)
      }
    }
    let count = 0
    while (stack.length > 0 && count < MAX_OWNED) {
      const i = stack.pop()!
      count++
      if (reason[i] === 0) {
        if (dom.domNode(i) === i && isTreeNodeName(s.nodeNameOf(i))) g.nodes++
        g.bytes += s.nodeSelfSize[i]!
        if (inWindow(i)) {
          ownedCount[keyOf[i]!]!++
          ownedBytes[keyOf[i]!]! += s.nodeSelfSize[i]!
        }
      }
      for (let e = s.firstEdge[i]!; e < s.firstEdge[i + 1]!; e++) {
        if (s.edgeType[e] === weak) continue
        const j = s.edgeTo[e]!
        if (owned[j] === 1 || stop[j] === 1 || !isNew(j)) continue
        owned[j] = 1
        stack.push(j)
      }
    }
  }

  const perCall = Math.max(1, input.calls)
  const rows: Array<{ row: RetainedType; group: Group }> = []
  for (const g of groups.values()) {
    if (g.units.length === 0 || g.walked === 0) continue
    const nodesPerUnit = g.nodes / g.walked
    const bytesPerUnit = g.bytes / g.walked
    rows.push({
      group: g,
      row: {
        name: g.name,
        nodeType: 'object',
        countPerIteration: g.units.length / perCall,
        bytesPerIteration: (g.units.length * bytesPerUnit) / perCall,
        retainedCount: g.units.length,
        retainedBytes: g.units.length * bytesPerUnit,
        dom: { library: g.library, detached: g.detached, nodes: Math.max(1, Math.round(nodesPerUnit)) },
      },
    })
  }
  rows.sort((x, y) => y.row.bytesPerIteration - x.row.bytesPerIteration)

  const paths: RetainerPath[] = []
  if (input.paths) {
    const { tree, globals, contexts, max } = input.paths
    for (const { row, group } of rows.slice(0, max)) {
      const clusters = new Map<string, { text: string; steps: DomStep[]; holder?: string; count: number }>()
      for (const u of group.units.slice(0, PATH_SAMPLES)) {
        const target = dom.publicObject(u)
        const full = pathTo(s, tree, target)
        if (!full || full.length === 0) continue
        const rendered = renderPath(s, full, { showStrings: input.showStrings }, globals, contexts)
        const steps = annotateKeys(s, full.slice(full.length - rendered.steps.length), rendered.steps)
        const label = `${row.name}${group.detached ? ' (detached)' : ''}`
        const p = domPath(rendered.head, steps, label)
        const key = p.text.replace(/\[\d+\]/g, '[]')
        const hit = clusters.get(key)
        if (hit) hit.count++
        else clusters.set(key, { text: p.text, steps: p.steps, ...(p.holderText ? { holder: p.holderText } : {}), count: 1 })
      }
      const best = [...clusters.values()].sort((x, y) => y.count - x.count)[0]
      if (!best) continue
      if (best.holder) row.dom!.holder = best.holder
      paths.push({ type: row.name, count: best.count, steps: best.steps, text: best.text })
    }
  }
  return { library: dom.library, units: rows.map((r) => r.row), paths, owned, ownedCount, ownedBytes }
}

/** Type rows left after the DOM units took what they own, renamed to public names. */
export function remainingTypes(types: readonly RetainedType[], keyIndex: ReadonlyMap<string, number>, windowCount: Float64Array, d: DomExplanation): RetainedType[] {
  const out: RetainedType[] = []
  const byName = new Map<string, RetainedType>()
  for (const t of types) {
    const k = keyIndex.get(`${t.nodeType}:${t.name}`)
    const all = k === undefined ? 0 : windowCount[k]!
    const mine = k === undefined ? 0 : d.ownedCount[k]!
    if (all > 0 && mine >= 0.9 * all) continue // the DOM units' own
    const keep = all > 0 ? 1 - mine / all : 1
    if (isDomBookkeeping(t.name) && keep < 0.5) continue
    const name = publicName(t.name)
    const same = byName.get(`${t.nodeType}:${name}`)
    if (same) {
      // jsdom's wrapper and implementation classes of one interface: one row.
      same.countPerIteration = Math.max(same.countPerIteration, t.countPerIteration * keep)
      same.bytesPerIteration += t.bytesPerIteration * keep
      same.retainedBytes += Math.max(0, t.retainedBytes - (k === undefined ? 0 : d.ownedBytes[k]!))
      continue
    }
    const row: RetainedType = {
      ...t,
      name,
      countPerIteration: t.countPerIteration * keep,
      bytesPerIteration: t.bytesPerIteration * keep,
      retainedCount: Math.max(0, t.retainedCount - mine),
      retainedBytes: Math.max(0, t.retainedBytes - (k === undefined ? 0 : d.ownedBytes[k]!)),
    }
    byName.set(`${t.nodeType}:${name}`, row)
    out.push(row)
  }
  return out
}
