// The three-snapshot comparison: what the subject keeps alive, by type, and why.
//
// Snapshot A is taken after warm-up, B after N more calls, C after N more. Then:
//
// - Growth: per type, the live count and self bytes of user (non-internal) nodes in A, B and C.
//   A type grows when it grew in BOTH intervals, roughly in proportion to the calls (see
//   `isGrowing`). JIT / code warm-up never counts: those nodes are internal (heap/filters).
// - Retained: nodes alive in C whose id lies in (maxId(A), maxId(B)]: allocated during the first
//   interval and still alive two snapshots later. V8 ids only increase, so no A/B node sets need to
//   be kept: each of A and B is parsed, reduced to a summary (id watermark + histogram) and dropped
//   before the next file is parsed, so at most one parsed snapshot is in memory.
// - Paths: for the top growing types, the retainer path of each retained node from the GC roots,
//   clustered so paths differing only in element indexes are shown once with a count.
//
// Nothing returned contains string contents unless showStrings: types of strings are `(string)`,
// string nodes on paths are `(string, N chars)`.

import { classifyNodes } from '../heap/filters/index.js'
import { publicName } from '../heap/dom/names.js'
import { domPath } from '../heap/dom/path-words.js'
import { parseHeapSnapshot } from '../heap/parser.js'
import { ContextNames } from '../heap/context-names.js'
import { buildPathTree, pathTo } from '../heap/paths.js'
import { globalObjects, renderPath, type RenderedPath } from '../heap/render-path.js'
import type { HeapSnapshot } from '../heap/snapshot.js'
import { splitTypeKey, summarizeSnapshot, typeKeyIds, type SnapshotSummary, type TypeStats } from '../heap/summary.js'
import { matchesAny, type IgnorePattern } from '../options.js'
import type { RetainedType, RetainerPath } from '../report/types.js'
import { explainDom, remainingTypes } from './dom/index.js'

export interface SnapshotAnalysisInput {
  /** Heap snapshot files A (after warm-up), B and C. */
  files: [string, string, string]
  /** Calls of the subject made between A and B, and between B and C. */
  callsBetween: [number, number]
  /** Show string contents in paths (default false: redacted). */
  showStrings: boolean
  /** Types to leave out, matched against the type name (`Session`) and key (`object:Session`). */
  ignoreTypes: IgnorePattern[]
  /** Retainer paths to return at most (default 5). */
  maxPaths?: number
  /** Compute retainer paths. */
  explain: boolean
}

export interface SnapshotAnalysis {
  /**
   * Non-internal self bytes in A, B, C. Includes ArrayBuffer / Buffer backing stores (native
   * `system / JSArrayBufferData` nodes, i.e. `external` memory), excludes code, shapes and other
   * runtime-internal nodes, so JIT warm-up does not move it.
   */
  userBytes: [number, number, number]
  /** Growing types, sorted by bytesPerIteration descending. */
  retainedTypes: RetainedType[]
  /** For the top leaked types, clustered (only if explain). */
  retainerPaths: RetainerPath[]
  /**
   * Types that are evidence of retention: their live count grew in both intervals with the calls
   * and the A→B gain survived to C, or, for backing stores, their bytes grew and carry most of
   * the user-data growth.
   */
  growingTypes: number
  /** Bytes per call the evidence types account for (first to last snapshot). */
  evidenceBytesPerIteration: number
}

/** Live count / bytes of one type in A, B and C. */
export interface TypeSeries {
  count: [number, number, number]
  bytes: [number, number, number]
}

/**
 * Whether a type grew with the calls in both intervals.
 *
 * - By count: it gained at least max(4, 2% of the calls) objects in each interval, and the two
 *   per-call rates are within a factor of 2 of each other. One-off allocations (a lazily created
 *   singleton, a cache filling up to its bound during the first interval) fail this, and so do
 *   the few objects a harness keeps per snapshot (file names: +2 strings per interval, measured).
 *   At the 4 B/call threshold a leak of one 64-byte object every 16 calls still passes.
 * - By bytes, for types that grow without gaining objects (an array's backing store or a Map's
 *   hash table reallocated larger, a string rebuilt longer): at least max(1 KiB, 2 B per call) in
 *   each interval. Backing stores grow in steps (×1.5), so no proportionality is required; a
 *   large array may not be reallocated within an interval at all, which this cannot see.
 */
export function isGrowing(t: TypeSeries, calls: [number, number]): boolean {
  const [n1, n2] = calls
  const dc1 = t.count[1] - t.count[0]
  const dc2 = t.count[2] - t.count[1]
  if (dc1 >= Math.max(4, 0.02 * n1) && dc2 >= Math.max(4, 0.02 * n2)) {
    const r1 = dc1 / n1
    const r2 = dc2 / n2
    if (Math.min(r1, r2) >= 0.5 * Math.max(r1, r2)) return true
  }
  const db1 = t.bytes[1] - t.bytes[0]
  const db2 = t.bytes[2] - t.bytes[1]
  return db1 >= Math.max(1024, 2 * n1) && db2 >= Math.max(1024, 2 * n2)
}

/**
 * Share of a type's A→B gain that must still be alive in C, allocated in that window, for its
 * growth to count as retention. A leak keeps what it allocated; work retained only for a while
 * (timers swept by a periodic tick, handles awaiting the event loop's close phase) shows a
 * similar count at every snapshot, but made of new objects each time. Measured: undici's fetch
 * kept ~0.2 FastTimer per call between its 500 ms sweeps, none of them from the A→B window.
 */
const minWindowSurvivors = 0.5

/** Share of the user-data growth of each interval that growing stores must carry to be evidence alone. */
const minStoreShare = 0.5

function checkInput(input: SnapshotAnalysisInput): void {
  if (!Array.isArray(input.files) || input.files.length !== 3 || !input.files.every((f) => typeof f === 'string' && f !== '')) {
    throw new TypeError('analyzeSnapshots: files must be three snapshot paths [A, B, C]')
  }
  const calls = input.callsBetween
  if (!Array.isArray(calls) || calls.length !== 2 || !calls.every((n) => Number.isFinite(n) && n > 0)) {
    throw new TypeError('analyzeSnapshots: callsBetween must be two positive call counts [A→B, B→C]')
  }
}

async function summarizeFile(file: string): Promise<SnapshotSummary> {
  const s = await parseHeapSnapshot(file)
  return summarizeSnapshot(s)
}

function stats(h: Map<string, TypeStats>, key: string): TypeStats {
  return h.get(key) ?? { count: 0, bytes: 0 }
}

function ignored(key: string, patterns: readonly IgnorePattern[]): boolean {
  if (patterns.length === 0) return false
  const { name } = splitTypeKey(key)
  return matchesAny(name, patterns) || matchesAny(key, patterns)
}

export async function analyzeSnapshots(input: SnapshotAnalysisInput): Promise<SnapshotAnalysis> {
  checkInput(input)
  const [n1, n2] = input.callsBetween
  const maxPaths = Math.max(0, Math.floor(input.maxPaths ?? 5))
  // One parsed snapshot at a time: A and B are reduced to summaries before the next parse.
  const a = await summarizeFile(input.files[0])
  const b = await summarizeFile(input.files[1])
  const c = await parseHeapSnapshot(input.files[2])
  const classification = classifyNodes(c)
  const keyIds = typeKeyIds(c)
  const sc = summarizeSnapshot(c, classification, keyIds)

  // Growing types.
  const keys = new Set<string>([...a.histogram.keys(), ...b.histogram.keys(), ...sc.histogram.keys()])
  const candidates: Array<{ key: string; series: TypeSeries }> = []
  for (const key of keys) {
    if (ignored(key, input.ignoreTypes)) continue
    const [sa, sb, scc] = [stats(a.histogram, key), stats(b.histogram, key), stats(sc.histogram, key)]
    const series: TypeSeries = { count: [sa.count, sb.count, scc.count], bytes: [sa.bytes, sb.bytes, scc.bytes] }
    if (isGrowing(series, [n1, n2])) candidates.push({ key, series })
  }

  // Retained: user nodes of C allocated between A and B (id watermark), by type.
  const { keyOf, keys: keyNames } = keyIds
  const keyIndex = new Map(keyNames.map((k, i) => [k, i]))
  const windowCount = new Float64Array(keyNames.length)
  const windowBytes = new Float64Array(keyNames.length)
  const { reason } = classification
  const synthetic = c.nodeTypeIndex('synthetic')
  for (let i = 0; i < c.nodeCount; i++) {
    if (reason[i] !== 0) continue
    const id = c.nodeId[i]!
    if (id <= a.maxId || id > b.maxId || id % 2 !== 1 || c.nodeType[i] === synthetic) continue
    const k = keyOf[i]!
    windowCount[k]!++
    windowBytes[k]! += c.nodeSelfSize[i]!
  }

  // Types that gained objects in the first interval must have kept those of the A→B window (see
  // minWindowSurvivors), whichever way they grew: their bytes are those objects. Types growing
  // in bytes alone are one store reallocated larger, newly allocated each time.
  const gainedObjects = (series: TypeSeries) => series.count[1] - series.count[0] >= Math.max(4, 0.02 * n1)
  const growing = candidates.filter(({ key, series }) => {
    if (!gainedObjects(series)) return true
    const k = keyIndex.get(key)
    const survivors = k === undefined ? 0 : windowCount[k]!
    return survivors >= minWindowSurvivors * (series.count[1] - series.count[0])
  })
  // Stores alone are weaker evidence: a list whose length comes and goes (a timer wheel swept on
  // a tick) keeps the capacity of its longest moment. Measured: undici Pool's `fastTimers` store
  // grew 4 B/call while user data grew 26 then 47 B/call, nothing else growing with it. A store
  // that is the leak (numbers pushed to an array, a Map of numbers) carries most of the growth.
  const stores = growing.filter(({ series }) => !gainedObjects(series))
  const storeGrowth = [0, 1].map((i) => stores.reduce((sum, { series }) => sum + series.bytes[i + 1]! - series.bytes[i]!, 0))
  const userGrowth = [b.userBytes - a.userBytes, sc.userBytes - b.userBytes]
  const storesExplain = storeGrowth.every((g, i) => g >= minStoreShare * userGrowth[i]!)
  const evidence = growing.length - stores.length + (storesExplain ? stores.length : 0)

  const total = n1 + n2
  const evidenceTypes = storesExplain ? growing : growing.filter((t) => !stores.includes(t))
  const evidenceBytes = evidenceTypes.reduce((sum, { series }) => sum + Math.max(0, series.bytes[2] - series.bytes[0]), 0)
  const retainedTypes: RetainedType[] = growing.map(({ key, series }) => {
    const { nodeType, name } = splitTypeKey(key)
    const k = keyIndex.get(key)
    return {
      name,
      nodeType,
      countPerIteration: Math.max(0, series.count[2] - series.count[0]) / total,
      bytesPerIteration: Math.max(0, series.bytes[2] - series.bytes[0]) / total,
      retainedCount: k === undefined ? 0 : windowCount[k]!,
      retainedBytes: k === undefined ? 0 : windowBytes[k]!,
    }
  })
  // Constructed objects first (what the user's code keeps: Session, Object, closures), then storage
  // (strings, arrays, tables) by bytes: a Map's table or an object's strings outweigh the object
  // itself but are not what the user looks for first.
  const constructed = (t: RetainedType) => (t.nodeType === 'object' || t.nodeType === 'closure') && t.countPerIteration >= 0.5
  retainedTypes.sort(
    (x, y) =>
      Number(constructed(y)) - Number(constructed(x)) ||
      y.bytesPerIteration - x.bytesPerIteration ||
      y.countPerIteration - x.countPerIteration,
  )

  let retainerPaths: RetainerPath[] = []
  let shownTypes = retainedTypes
  const wantPaths = input.explain && maxPaths > 0 && retainedTypes.length > 0
  const paths = wantPaths ? { tree: buildPathTree(c, classification), globals: globalObjects(c), contexts: new ContextNames(c), max: maxPaths } : undefined
  // DOM trees (jsdom, happy-dom) in the DOM's words; the verdict above does not depend on it.
  const dom =
    retainedTypes.length > 0
      ? explainDom({ s: c, classification, keyOf, keyCount: keyNames.length, maxIdA: a.maxId, maxIdB: b.maxId, calls: n1, showStrings: input.showStrings, ...(paths ? { paths } : {}) })
      : undefined
  let others = retainedTypes
  if (dom) others = retainedTypes.filter((t) => remainingTypes([t], keyIndex, windowCount, dom).length > 0)
  if (paths) {
    const room = Math.max(0, maxPaths - (dom?.paths.length ?? 0))
    const rest = room > 0 && others.length > 0 ? explainTypes(c, classification, others.slice(0, room), keyIndex, keyOf, a.maxId, b.maxId, input.showStrings, room, paths, dom?.owned) : []
    retainerPaths = [...(dom?.paths ?? []), ...rest.map((p) => (dom ? { ...p, type: publicName(p.type) } : p))]
  }
  if (dom) shownTypes = [...dom.units, ...remainingTypes(retainedTypes, keyIndex, windowCount, dom)]

  return {
    userBytes: [a.userBytes, b.userBytes, sc.userBytes],
    retainedTypes: shownTypes,
    retainerPaths,
    growingTypes: evidence,
    evidenceBytesPerIteration: evidenceBytes / total,
  }
}

const MAX_SAMPLES_PER_TYPE = 5000

/** Retainer paths for the given types, clustered; at most `maxPaths`, at least one per type first. */
function explainTypes(
  c: HeapSnapshot,
  classification: ReturnType<typeof classifyNodes>,
  types: RetainedType[],
  keyIndex: Map<string, number>,
  keyOf: Uint32Array,
  maxIdA: number,
  maxIdB: number,
  showStrings: boolean,
  maxPaths: number,
  shared: { tree: ReturnType<typeof buildPathTree>; globals: Set<number> | ReadonlySet<number>; contexts: ContextNames },
  /** Nodes explained elsewhere (DOM trees): not sampled. */
  skip?: Uint8Array,
): RetainerPath[] {
  const wanted = new Map<number, number>() // key index -> position in types
  types.forEach((t, pos) => {
    const k = keyIndex.get(`${t.nodeType}:${t.name}`)
    if (k !== undefined) wanted.set(k, pos)
  })
  // Sample nodes per type: allocated in the A→B window first, else anything newer than A.
  const inWindow: number[][] = types.map(() => [])
  const newer: number[][] = types.map(() => [])
  const { reason } = classification
  const synthetic = c.nodeTypeIndex('synthetic')
  for (let i = 0; i < c.nodeCount; i++) {
    if (reason[i] !== 0 || skip?.[i] === 1) continue
    const pos = wanted.get(keyOf[i]!)
    if (pos === undefined) continue
    const id = c.nodeId[i]!
    if (id <= maxIdA || id % 2 !== 1 || c.nodeType[i] === synthetic) continue
    const list = id <= maxIdB ? inWindow[pos]! : newer[pos]!
    if (list.length < MAX_SAMPLES_PER_TYPE) list.push(i)
  }
  const { tree, globals, contexts } = shared
  const perType: Array<Array<{ path: RenderedPath; count: number }>> = types.map((type, pos) => {
    // Objects made per call: those allocated between A and B. Types growing in bytes rather than
    // count (backing stores reallocated larger): the largest ones allocated since A.
    const perCall = type.countPerIteration >= 0.5
    let samples = perCall && inWindow[pos]!.length > 0 ? inWindow[pos]! : [...inWindow[pos]!, ...newer[pos]!]
    if (!perCall) samples = samples.sort((x, y) => c.nodeSelfSize[y]! - c.nodeSelfSize[x]!).slice(0, 3)
    const clusters = new Map<string, { path: RenderedPath; count: number }>()
    for (const i of samples) {
      const full = pathTo(c, tree, i)
      if (!full || full.length === 0) continue
      const rendered = renderPath(c, full, { showStrings }, globals, contexts)
      const hit = clusters.get(rendered.clusterKey)
      if (hit) hit.count++
      else clusters.set(rendered.clusterKey, { path: rendered, count: 1 })
    }
    return [...clusters.values()].sort((x, y) => y.count - x.count)
  })
  const out: RetainerPath[] = []
  const toPath = (pos: number, cl: { path: RenderedPath; count: number }): RetainerPath => ({
    type: types[pos]!.name,
    count: cl.count,
    steps: cl.path.steps,
    text: skip ? domPath(cl.path.head, cl.path.steps).text : cl.path.text,
  })
  // First the main cause of each type, then further causes by size.
  perType.forEach((clusters, pos) => {
    if (out.length < maxPaths && clusters[0]) out.push(toPath(pos, clusters[0]))
  })
  // Further causes only when they hold a real share of the type (not a single stray object).
  const rest = perType.flatMap((clusters, pos) =>
    clusters
      .slice(1)
      .filter((cl) => cl.count >= Math.max(2, 0.1 * clusters[0]!.count))
      .map((cl) => ({ pos, cl })),
  )
  rest.sort((x, y) => y.cl.count - x.cl.count)
  for (const { pos, cl } of rest) {
    if (out.length >= maxPaths) break
    out.push(toPath(pos, cl))
  }
  return out
}
