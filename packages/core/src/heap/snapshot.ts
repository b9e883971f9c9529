// The in-memory model of one V8 heap snapshot, column-oriented in typed arrays.
//
// A `.heapsnapshot` stores nodes and edges as flat number arrays whose field layout comes from
// `snapshot.meta`. The parser (parser.ts) reduces them to the columns below; everything else
// (trace trees, samples, locations) is dropped. Nodes are addressed by index 0..nodeCount-1 and
// edges by index 0..edgeCount-1. A node's outgoing edges are the contiguous range
// [firstEdge[i], firstEdge[i + 1]). Index 0 is the synthetic root.
//
// Strings are a StringTable decoded on access (strings.ts).
//
// The model is deliberately apart from any analysis: filters, summaries and paths are functions
// over it. Reverse edges (retainers) are built on first use because most callers never need them.

import { ArrayStringTable, type StringTable } from './strings.js'

/** The V8 edge types whose `name_or_index` is a number, not a string table index. */
const INDEX_EDGE_TYPES = new Set(['element', 'hidden'])

export interface HeapSnapshotColumns {
  nodeTypes: readonly string[]
  edgeTypes: readonly string[]
  /** The string table; a plain array is accepted for hand-made snapshots. */
  strings: StringTable | readonly string[]
  nodeType: Uint8Array
  nodeName: Uint32Array
  nodeId: Float64Array
  nodeSelfSize: Float64Array
  /** Length nodeCount + 1: node i's edges are [firstEdge[i], firstEdge[i + 1]). */
  firstEdge: Uint32Array
  edgeType: Uint8Array
  /** String-table index, or the element / hidden index itself. */
  edgeNameOrIndex: Uint32Array
  /** Target node index (not the file's `to_node` offset). */
  edgeTo: Uint32Array
}

/** Reverse edges: node i is retained via edges retainerEdge[firstRetainer[i] .. firstRetainer[i + 1]). */
export interface Retainers {
  firstRetainer: Uint32Array
  /** Edge index of each retaining edge. */
  retainerEdge: Uint32Array
  /** Node index that owns each retaining edge (the holder). */
  retainerNode: Uint32Array
}

export class HeapSnapshot {
  readonly nodeCount: number
  readonly edgeCount: number
  /** V8 node type names from `meta.node_types[0]`, indexed by the node type column. */
  readonly nodeTypes: readonly string[]
  /** V8 edge type names from `meta.edge_types[0]`, indexed by the edge type column. */
  readonly edgeTypes: readonly string[]
  /** The string table, decoded on access (use `nodeNameOf` / `edgeName`, or `stringTable.get`). */
  readonly stringTable: StringTable
  readonly nodeType: Uint8Array
  readonly nodeName: Uint32Array
  readonly nodeId: Float64Array
  readonly nodeSelfSize: Float64Array
  readonly firstEdge: Uint32Array
  readonly edgeType: Uint8Array
  readonly edgeNameOrIndex: Uint32Array
  readonly edgeTo: Uint32Array
  private readonly indexEdge: Uint8Array
  private retainersCache: Retainers | undefined
  private stringsCache: string[] | undefined

  constructor(columns: HeapSnapshotColumns) {
    this.nodeTypes = columns.nodeTypes
    this.edgeTypes = columns.edgeTypes
    this.stringTable = Array.isArray(columns.strings) ? new ArrayStringTable(columns.strings) : (columns.strings as StringTable)
    this.nodeType = columns.nodeType
    this.nodeName = columns.nodeName
    this.nodeId = columns.nodeId
    this.nodeSelfSize = columns.nodeSelfSize
    this.firstEdge = columns.firstEdge
    this.edgeType = columns.edgeType
    this.edgeNameOrIndex = columns.edgeNameOrIndex
    this.edgeTo = columns.edgeTo
    this.nodeCount = columns.nodeType.length
    this.edgeCount = columns.edgeType.length
    if (columns.firstEdge.length !== this.nodeCount + 1) {
      throw new Error(`heap snapshot: firstEdge has ${columns.firstEdge.length} entries for ${this.nodeCount} nodes`)
    }
    this.indexEdge = new Uint8Array(this.edgeTypes.length)
    this.edgeTypes.forEach((t, i) => {
      this.indexEdge[i] = INDEX_EDGE_TYPES.has(t) ? 1 : 0
    })
  }

  /**
   * All strings as an array, decoded on first use and kept (costly for large snapshots: hundreds
   * of thousands of strings). For code written against the file's `strings` array.
   */
  get strings(): readonly string[] {
    this.stringsCache ??= this.stringTable.toArray()
    return this.stringsCache
  }

  /** Index of a node type name in `nodeTypes`, or -1 when this V8 does not have it. */
  nodeTypeIndex(name: string): number {
    return this.nodeTypes.indexOf(name)
  }

  /** Index of an edge type name in `edgeTypes`, or -1. */
  edgeTypeIndex(name: string): number {
    return this.edgeTypes.indexOf(name)
  }

  nodeTypeName(i: number): string {
    return this.nodeTypes[this.nodeType[i]!] ?? 'unknown'
  }

  /** The node's name: constructor name for objects, the contents for strings (redact before showing). */
  nodeNameOf(i: number): string {
    return this.stringTable.get(this.nodeName[i]!)
  }

  nodeIdOf(i: number): number {
    return this.nodeId[i]!
  }

  selfSize(i: number): number {
    return this.nodeSelfSize[i]!
  }

  edgeCountOf(i: number): number {
    return this.firstEdge[i + 1]! - this.firstEdge[i]!
  }

  edgeTypeName(e: number): string {
    return this.edgeTypes[this.edgeType[e]!] ?? 'unknown'
  }

  /** True for element and hidden edges, whose name is a numeric index. */
  edgeIsIndex(e: number): boolean {
    return this.indexEdge[this.edgeType[e]!] === 1
  }

  /** Property / variable name, or `[n]` for element and hidden edges. */
  edgeName(e: number): string {
    const v = this.edgeNameOrIndex[e]!
    if (this.indexEdge[this.edgeType[e]!] === 1) return `[${v}]`
    return v < this.stringTable.length ? this.stringTable.get(v) : `[${v}]`
  }

  edgeToNode(e: number): number {
    return this.edgeTo[e]!
  }

  /** Reverse edges, built on first call (two passes over the edges, three typed arrays). */
  retainers(): Retainers {
    if (this.retainersCache) return this.retainersCache
    const n = this.nodeCount
    const m = this.edgeCount
    const firstRetainer = new Uint32Array(n + 1)
    const edgeTo = this.edgeTo
    for (let e = 0; e < m; e++) firstRetainer[edgeTo[e]! + 1]!++
    for (let i = 0; i < n; i++) firstRetainer[i + 1]! += firstRetainer[i]!
    const fill = firstRetainer.slice(0, n)
    const retainerEdge = new Uint32Array(m)
    const retainerNode = new Uint32Array(m)
    const firstEdge = this.firstEdge
    for (let i = 0; i < n; i++) {
      const end = firstEdge[i + 1]!
      for (let e = firstEdge[i]!; e < end; e++) {
        const to = edgeTo[e]!
        const slot = fill[to]!++
        retainerEdge[slot] = e
        retainerNode[slot] = i
      }
    }
    this.retainersCache = { firstRetainer, retainerEdge, retainerNode }
    return this.retainersCache
  }

  /** Node index for a snapshot id, or -1 (linear scan). */
  findNodeById(id: number): number {
    const ids = this.nodeId
    for (let i = 0; i < ids.length; i++) if (ids[i] === id) return i
    return -1
  }
}
