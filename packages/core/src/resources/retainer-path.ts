// Why is a tracked object still alive? Its retainer path from the heap's roots.
//
// The object is found in a heap snapshot without ever holding it strongly: a marker object of the
// class below carries a unique token string and a WeakRef whose weak `target` edge points at the
// object. The snapshot is written to a private temporary file and read with the streaming parser
// (src/heap/parser.ts); the path is the one leak reports show (src/heap/paths.ts, render-path.ts),
// so it starts at `(global)` or `(module scope)`, folds repeated links (`next ×500`) and never
// shows string contents. Weak edges are never followed, so the marker's own WeakRef is not a path.

import { randomBytes } from 'node:crypto'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import v8 from 'node:v8'
import { classifyNodes } from '../heap/filters/index.js'
import { parseHeapSnapshot } from '../heap/parser.js'
import { ContextNames } from '../heap/context-names.js'
import { annotateKeys, DomModel } from '../heap/dom/model.js'
import { isDocumentName } from '../heap/dom/names.js'
import { domPath } from '../heap/dom/path-words.js'
import { buildPathTree, pathTo, type PathStep } from '../heap/paths.js'
import { globalObjects, renderPath, type RenderedPath } from '../heap/render-path.js'
import { cacheScriptLineEnds } from '../heap/script-lines.js'
import type { HeapSnapshot } from '../heap/snapshot.js'
import type { RetainerStep } from '../report/types.js'

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

export interface RetainerPathResult {
  /** e.g. `(module scope) → sessions (Map) → table → [3] (Object) → value → Session` */
  text: string
  /** Steps after the anchor the text starts at, as in leak reports. */
  steps: RetainerStep[]
}

/**
 * The retainer path of the object behind `marker.ref`, or undefined when the object is gone or
 * no path to it is found. Call it in a job in which `marker.ref.deref()` was NOT called: V8 keeps
 * a WeakRef target dereferenced in the current job alive from a root, which would be the path.
 */
export async function retainerPathOf(marker: LeakproofCollectionMarker): Promise<RetainerPathResult | undefined> {
  if (process.memoryUsage().heapUsed > MAX_HEAP_FOR_PATH) return undefined
  const s = await takeSnapshot()
  const target = findMarkedObject(s, marker.token)
  if (target === undefined) return undefined
  const steps = pathTo(s, buildPathTree(s, classifyNodes(s)), target)
  if (!steps || steps.length === 0) return undefined
  const rendered = renderPath(s, steps, { showStrings: false }, globalObjects(s), new ContextNames(s))
  return inDomTerms(s, target, steps, rendered) ?? { text: rendered.text, steps: rendered.steps }
}

/**
 * Under jsdom or happy-dom, a DOM node's path told in DOM terms: its public interface, whether it
 * is detached, and its holder (`held by the 'resize' listener on window (onResize)`).
 */
function inDomTerms(s: HeapSnapshot, target: number, full: PathStep[], rendered: RenderedPath): RetainerPathResult | undefined {
  const dom = DomModel.detect(s)
  if (!dom) return undefined
  const node = dom.domNode(target)
  let last: string | undefined
  if (node >= 0) {
    const detached = !isDocumentName(dom.nameOf(dom.rootOf(node)))
    last = `${dom.nameOf(node)}${detached ? ' (detached)' : ''}`
  }
  const steps = annotateKeys(s, full.slice(full.length - rendered.steps.length), rendered.steps)
  const p = domPath(rendered.head, steps, last)
  return { text: p.text + (node >= 0 && p.holderText ? `\n  held by the ${p.holderText}` : ''), steps: p.steps }
}

/**
 * Above this heap the explanation is skipped: V8's snapshot writer costs ~90 ms and ~23 MB of
 * memory per MB of small-object heap (Node 20, 100 MB heap of 1.7 M objects: writing 9 s and
 * 2.4 GB RSS; our parse adds 1.6 s within that peak), so a 512 MB heap would need ~12 GB.
 */
export const MAX_HEAP_FOR_PATH = 512 * 2 ** 20

/** A snapshot of this process, through a file only its owner can read, removed afterwards. */
export async function takeSnapshot(): Promise<HeapSnapshot> {
  const dir = await mkdtemp(join(tmpdir(), 'leakproof-collection-')) // mode 0700
  try {
    cacheScriptLineEnds()
    const file = v8.writeHeapSnapshot(join(dir, 'collection.heapsnapshot'))
    await chmod(file, 0o600)
    return await parseHeapSnapshot(file)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Target of node `node`'s first edge of this type and name, if any. */
function edgeTarget(s: HeapSnapshot, node: number, type: string, name: string): number | undefined {
  for (let e = s.firstEdge[node]!; e < s.firstEdge[node + 1]!; e++) {
    if (s.edgeTypeName(e) === type && s.edgeName(e) === name) return s.edgeTo[e]!
  }
  return undefined
}

/** Node index of the object the marker with this token weakly points at. */
export function findMarkedObject(s: HeapSnapshot, token: string): number | undefined {
  const object = s.nodeTypeIndex('object')
  const isMarker = new Map<number, boolean>() // by name string index: decode each name once
  for (let i = 0; i < s.nodeCount; i++) {
    if (s.nodeType[i] !== object) continue
    const nameIndex = s.nodeName[i]!
    let marker = isMarker.get(nameIndex)
    if (marker === undefined) {
      marker = s.nodeNameOf(i).startsWith(MARKER_CLASS)
      isMarker.set(nameIndex, marker)
    }
    if (!marker) continue
    const tokenNode = edgeTarget(s, i, 'property', 'token')
    if (tokenNode === undefined || s.nodeNameOf(tokenNode) !== token) continue
    const weakRef = edgeTarget(s, i, 'property', 'ref')
    return weakRef === undefined ? undefined : edgeTarget(s, weakRef, 'weak', 'target')
  }
  return undefined
}
