// Why is a tracked object still alive? The shortest strong path from the heap's root to it.
//
// The object is found in a heap snapshot without ever holding it strongly: a marker object of the
// class below carries a unique token string and a WeakRef whose weak `target` edge points at the
// object. Everything after loading the snapshot works on the column layout of src/heap's
// HeapSnapshot (nodeType, nodeName, firstEdge, edgeType, edgeNameOrIndex, edgeTo, …), which that
// class satisfies structurally.
//
// TODO-for-integration: replace `loadSnapshot` with src/heap (parseHeapSnapshot /
// parseHeapSnapshotBuffer), and `shortestPathTo` with src/heap/paths.ts if it offers the same
// (a BFS from the root over non-weak edges). The minimal loader here takes v8.getHeapSnapshot() and
// JSON.parse, so it refuses large heaps.

import { randomBytes } from 'node:crypto'
import v8 from 'node:v8'

/** Column view of a heap snapshot (a subset of src/heap's HeapSnapshot). */
export interface SnapshotGraph {
  readonly nodeTypes: readonly string[]
  readonly edgeTypes: readonly string[]
  readonly strings: readonly string[]
  readonly nodeType: ArrayLike<number>
  readonly nodeName: ArrayLike<number>
  /** nodeCount + 1 entries: node i's edges are [firstEdge[i], firstEdge[i + 1]). */
  readonly firstEdge: ArrayLike<number>
  readonly edgeType: ArrayLike<number>
  /** String-table index, or the index itself for element / hidden edges. */
  readonly edgeNameOrIndex: ArrayLike<number>
  /** Target node index. */
  readonly edgeTo: ArrayLike<number>
}

/** Holds a WeakRef to a tracked object under a unique token, so a snapshot can find the object. */
export class LeakproofCollectionMarker {
  readonly token: string
  readonly ref: WeakRef<object>
  constructor(ref: WeakRef<object>) {
    // A flat (sequential) string, so the snapshot names it verbatim.
    this.token = randomBytes(12).toString('hex')
    this.ref = ref
  }
}

const MARKER_CLASS = 'LeakproofCollectionMarker'
/** The JSON.parse loader below needs several times the heap in memory: stay well away from that. */
const MAX_HEAP_FOR_SNAPSHOT = 128 * 2 ** 20

export interface RetainerPathResult {
  text: string
  steps: { edge: string; edgeType: string; name: string; nodeType: string }[]
}

/**
 * The shortest retainer path of the object behind `marker.ref`, or undefined when the object is
 * gone, cannot be found, or the heap is too large for this loader. Call it in a job in which
 * `marker.ref.deref()` was NOT called: V8 keeps a WeakRef target dereferenced in the current job
 * alive from a root, which would be the shortest path.
 */
export async function retainerPathOf(marker: LeakproofCollectionMarker): Promise<RetainerPathResult | undefined> {
  const graph = await loadSnapshot()
  if (!graph) return undefined
  const target = findMarkedObject(graph, marker.token)
  if (target === undefined) return undefined
  const path = shortestPathTo(graph, target)
  return path ? formatPath(graph, path) : undefined
}

// TODO-for-integration: src/heap's parser.
async function loadSnapshot(): Promise<SnapshotGraph | undefined> {
  if (process.memoryUsage().heapUsed > MAX_HEAP_FOR_SNAPSHOT) return undefined
  const chunks: Buffer[] = []
  for await (const chunk of v8.getHeapSnapshot()) chunks.push(chunk as Buffer)
  const raw = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } }
    nodes: number[]
    edges: number[]
    strings: string[]
  }
  chunks.length = 0
  const meta = raw.snapshot.meta
  const nf = meta.node_fields.length
  const ef = meta.edge_fields.length
  const nType = meta.node_fields.indexOf('type')
  const nName = meta.node_fields.indexOf('name')
  const nEdges = meta.node_fields.indexOf('edge_count')
  const eType = meta.edge_fields.indexOf('type')
  const eName = meta.edge_fields.indexOf('name_or_index')
  const eTo = meta.edge_fields.indexOf('to_node')
  const nodeCount = raw.nodes.length / nf
  const edgeCount = raw.edges.length / ef
  const nodeType = new Uint8Array(nodeCount)
  const nodeName = new Uint32Array(nodeCount)
  const firstEdge = new Uint32Array(nodeCount + 1)
  let offset = 0
  for (let i = 0; i < nodeCount; i++) {
    nodeType[i] = raw.nodes[i * nf + nType]!
    nodeName[i] = raw.nodes[i * nf + nName]!
    firstEdge[i] = offset
    offset += raw.nodes[i * nf + nEdges]!
  }
  firstEdge[nodeCount] = offset
  const edgeType = new Uint8Array(edgeCount)
  const edgeNameOrIndex = new Uint32Array(edgeCount)
  const edgeTo = new Uint32Array(edgeCount)
  for (let e = 0; e < edgeCount; e++) {
    edgeType[e] = raw.edges[e * ef + eType]!
    edgeNameOrIndex[e] = raw.edges[e * ef + eName]!
    edgeTo[e] = raw.edges[e * ef + eTo]! / nf
  }
  return {
    nodeTypes: meta.node_types[0],
    edgeTypes: meta.edge_types[0],
    strings: raw.strings,
    nodeType,
    nodeName,
    firstEdge,
    edgeType,
    edgeNameOrIndex,
    edgeTo,
  }
}

function edgeName(g: SnapshotGraph, e: number): string {
  const type = g.edgeTypes[g.edgeType[e]!]
  const value = g.edgeNameOrIndex[e]!
  return type === 'element' || type === 'hidden' ? String(value) : (g.strings[value] ?? String(value))
}

function findEdge(g: SnapshotGraph, node: number, type: string, name: string): number | undefined {
  for (let e = g.firstEdge[node]!; e < g.firstEdge[node + 1]!; e++) {
    if (g.edgeTypes[g.edgeType[e]!] === type && edgeName(g, e) === name) return g.edgeTo[e]!
  }
  return undefined
}

/** Node index of the object a marker with this token weakly points at. */
export function findMarkedObject(g: SnapshotGraph, token: string): number | undefined {
  const nodeCount = g.nodeType.length
  const objectType = g.nodeTypes.indexOf('object')
  for (let i = 0; i < nodeCount; i++) {
    if (g.nodeType[i] !== objectType || !g.strings[g.nodeName[i]!]?.startsWith(MARKER_CLASS)) continue
    const tokenNode = findEdge(g, i, 'property', 'token')
    if (tokenNode === undefined || g.strings[g.nodeName[tokenNode]!] !== token) continue
    const weakRef = findEdge(g, i, 'property', 'ref')
    if (weakRef === undefined) return undefined
    return findEdge(g, weakRef, 'weak', 'target')
  }
  return undefined
}

/**
 * Edge indices from the root (node 0) to `target`: breadth-first over non-weak edges, first from
 * the global object (the root's shortcut edges, like DevTools' user roots) and only if that fails
 * from every root ((GC roots): stack, handles, …). Within a node, named edges (properties,
 * variables, elements) are followed before internal and hidden ones, so at equal distance the path
 * names the variable, not a context slot number.
 */
export function shortestPathTo(g: SnapshotGraph, target: number): number[] | undefined {
  const nodeCount = g.nodeType.length
  const viaEdge = new Int32Array(nodeCount).fill(-1)
  const from = new Int32Array(nodeCount).fill(-1)
  const seen = new Uint8Array(nodeCount)
  const weak = g.edgeTypes.indexOf('weak')
  const shortcut = g.edgeTypes.indexOf('shortcut')
  const secondary = new Uint8Array(g.edgeTypes.length)
  for (const name of ['internal', 'hidden']) {
    const i = g.edgeTypes.indexOf(name)
    if (i >= 0) secondary[i] = 1
  }
  const queue = new Uint32Array(nodeCount)
  let head = 0
  let tail = 0
  const visit = (e: number, node: number): void => {
    const to = g.edgeTo[e]!
    if (seen[to]) return
    seen[to] = 1
    viaEdge[to] = e
    from[to] = node
    queue[tail++] = to
  }
  const drain = (): void => {
    while (head < tail && !seen[target]) {
      const node = queue[head++]!
      const start = g.firstEdge[node]!
      const end = g.firstEdge[node + 1]!
      for (let e = start; e < end; e++) {
        if (g.edgeType[e] !== weak && !secondary[g.edgeType[e]!]) visit(e, node)
      }
      for (let e = start; e < end; e++) {
        if (secondary[g.edgeType[e]!]) visit(e, node)
      }
    }
  }
  seen[0] = 1
  const rootStart = g.firstEdge[0]!
  const rootEnd = g.firstEdge[1]!
  for (let e = rootStart; e < rootEnd; e++) if (g.edgeType[e] === shortcut) visit(e, 0)
  drain()
  if (!seen[target]) {
    for (let e = rootStart; e < rootEnd; e++) if (g.edgeType[e] !== weak) visit(e, 0)
    drain()
  }
  if (!seen[target]) return undefined
  const edges: number[] = []
  for (let n = target; n !== 0; n = from[n]!) edges.push(viaEdge[n]!)
  return edges.reverse()
}

function nodeLabel(g: SnapshotGraph, node: number): string {
  const type = g.nodeTypes[g.nodeType[node]!] ?? ''
  const name = (g.strings[g.nodeName[node]!] ?? '').replace(/^system \/ /, '')
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string') return '(string)'
  if (type === 'closure') return name ? `${name}()` : '(anonymous function)'
  if (type === 'object') return name || 'Object'
  return name || `(${type})`
}

/**
 * A block-scope context (module code that a test runner wraps in a block, say) has its variables
 * as unnamed hidden edges; the names are its ScopeInfo's hidden string edges, in slot order. The
 * hidden edges skip slots holding small integers, so the k-th edge is the k-th name only when
 * both lists have the same length; otherwise the slot stays unnamed rather than misnamed.
 * (src/heap/paths.ts aligns the two in the general case.)
 */
function contextSlotName(g: SnapshotGraph, context: number, slot: number): string | undefined {
  if (g.strings[g.nodeName[context]!] !== 'system / Context') return undefined
  const scopeInfo = findEdge(g, context, 'internal', 'scope_info')
  if (scopeInfo === undefined) return undefined
  if (countEdges(g, context, 'hidden') !== countEdges(g, scopeInfo, 'hidden')) return undefined
  const nameNode = findEdge(g, scopeInfo, 'hidden', String(slot))
  if (nameNode === undefined) return undefined
  const type = g.nodeTypes[g.nodeType[nameNode]!]
  return type === 'string' ? g.strings[g.nodeName[nameNode]!] : undefined
}

function countEdges(g: SnapshotGraph, node: number, type: string): number {
  const t = g.edgeTypes.indexOf(type)
  let n = 0
  for (let e = g.firstEdge[node]!; e < g.firstEdge[node + 1]!; e++) if (g.edgeType[e] === t) n++
  return n
}

function edgeLabel(g: SnapshotGraph, e: number, holder: number): string {
  const type = g.edgeTypes[g.edgeType[e]!]
  const name = edgeName(g, e)
  if (type === 'hidden') return contextSlotName(g, holder, Number(name)) ?? `[${name}]`
  if (type === 'element') return `[${name}]`
  if (name.includes(' pair in WeakMap')) return '(WeakMap entry)'
  return name
}

/** Steps shown at the start and end of a long path; the middle is elided. */
const HEAD_STEPS = 2
const TAIL_STEPS = 5

/**
 * `(global) → keep (Array) → [0] → Widget`: the first real (non-synthetic) holder in parentheses,
 * each intermediate step as `edge (Holder)`, the last as `edge → Target`.
 */
export function formatPath(g: SnapshotGraph, edges: readonly number[]): RetainerPathResult {
  const synthetic = g.nodeTypes.indexOf('synthetic')
  let holder = 0
  const steps = edges.map((e) => {
    const to = g.edgeTo[e]!
    const step = {
      edge: edgeLabel(g, e, holder),
      edgeType: g.edgeTypes[g.edgeType[e]!] ?? '',
      name: nodeLabel(g, to),
      nodeType: g.nodeTypes[g.nodeType[to]!] ?? '',
      synthetic: g.nodeType[to] === synthetic,
    }
    holder = to
    return step
  })
  // Skip the synthetic roots ((GC roots), (Handle scope), …) down to the first real holder.
  let start = 0
  while (start < steps.length - 1 && steps[start]!.synthetic) start++
  const parts: string[] = []
  const first = steps[start]!
  if (start === steps.length - 1) {
    parts.push(first.name)
  } else {
    parts.push(`(${first.name})`)
    const rest: string[] = []
    for (let i = start + 1; i < steps.length; i++) {
      const step = steps[i]!
      rest.push(i === steps.length - 1 ? `${step.edge} → ${step.name}` : `${step.edge} (${step.name})`)
    }
    if (rest.length > HEAD_STEPS + TAIL_STEPS + 1) {
      parts.push(...rest.slice(0, HEAD_STEPS), '…', ...rest.slice(-TAIL_STEPS))
    } else {
      parts.push(...rest)
    }
  }
  return {
    text: parts.join(' → '),
    steps: steps.map(({ edge, edgeType, name, nodeType }) => ({ edge, edgeType, name, nodeType })),
  }
}
