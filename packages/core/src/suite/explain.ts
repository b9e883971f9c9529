// What holds a test file's world: one heap snapshot for the files found still reachable, the
// retainer path from a GC root to each file's global object, and the size only that world keeps.

import { classifyNodes, internalRules } from '../heap/filters/index.js'
import { ContextNames } from '../heap/context-names.js'
import { buildPathTree, pathTo } from '../heap/paths.js'
import { globalObjects, renderPath } from '../heap/render-path.js'
import type { HeapSnapshot } from '../heap/snapshot.js'
import { MAX_HEAP_FOR_PATH, findMarkedObject, takeSnapshot } from '../resources/retainer-path.js'
import type { RetainerStep } from '../report/types.js'
import { holderOf, type HolderKind } from './holder.js'

export const releasedBeforeSnapshot = 'the world was released before the heap snapshot'

export interface WorldExplanation {
  /** e.g. `(global) → process → _events → exit (Array) → [1] → onExit (closure) → context → (global)` */
  retainerPath?: string
  steps?: RetainerStep[]
  holder: HolderKind
  /** Bytes reachable only through the file's world (its global, its native context). */
  retainedBytes?: number
  /** Why there is no path (heap too big, the world went away before the snapshot). */
  note?: string
}

/** Explain each held world by its marker token; one snapshot for all. */
export async function explainWorlds(tokens: string[]): Promise<Map<string, WorldExplanation>> {
  const out = new Map<string, WorldExplanation>()
  if (tokens.length === 0) return out
  if (process.memoryUsage().heapUsed > MAX_HEAP_FOR_PATH) {
    for (const t of tokens) out.set(t, { holder: 'unknown', note: 'the heap is above 512 MB: no snapshot was taken for a retainer path' })
    return out
  }
  const s = await takeSnapshot()
  const classification = classifyNodes(s)
  blockNodeBookkeeping(s, classification.reason)
  const targets = new Map<string, number>()
  for (const token of tokens) {
    const target = findMarkedObject(s, token)
    if (target !== undefined) targets.set(token, target)
  }
  const world = [...targets.values()].flatMap((t) => worldNodes(s, t))
  skipRootShortcuts(s, world)
  const tree = buildPathTree(s, classification)
  // Paths start at the last global object on the way: never the watched worlds' own.
  const globals = new Set([...globalObjects(s)].filter((g) => !world.includes(g)))
  const names = new ContextNames(s)
  for (const token of tokens) {
    const target = targets.get(token)
    if (target === undefined) {
      out.set(token, { holder: 'unknown', note: releasedBeforeSnapshot })
      continue
    }
    const steps = pathTo(s, tree, target)
    const retainedBytes = retainedSize(s, worldNodes(s, target))
    if (!steps || steps.length === 0) {
      out.set(token, { holder: 'unknown', retainedBytes, note: 'no retainer path from a GC root was found' })
      continue
    }
    const rendered = renderPath(s, steps, { showStrings: false }, globals, names)
    out.set(token, { retainerPath: rendered.text, steps: rendered.steps, holder: holderOf(rendered.steps, rendered.text), retainedBytes })
  }
  return out
}

/**
 * Node keeps every vm context it made in its own tables (ContextifyContext, the realm's cleanup
 * queue) for as long as the context lives: a path through them explains nothing, since they hold
 * the context *because* it is alive. Nor does the stack at the moment of the snapshot (the check's
 * own frames and the next file's): a path through it is not what holds a file that ended. The path
 * search does not look through them (a barrier code).
 */
export function blockNodeBookkeeping(s: HeapSnapshot, reason: Uint8Array): void {
  const code = internalRules.findIndex((r) => r.kind === 'node' && r.barrier) + 1
  if (code <= 0) return
  const names = new Map<number, boolean>()
  for (let i = 0; i < s.nodeCount; i++) {
    const key = s.nodeName[i]!
    let blocked = names.get(key)
    if (blocked === undefined) {
      const name = s.nodeNameOf(i)
      blocked = name === '(Stack roots)' || name === 'Node / ContextifyContext' || name === 'Node / CleanupQueue' || name === 'Node / ContextifyScript'
      names.set(key, blocked)
    }
    if (blocked) reason[i] = code
  }
}

/**
 * The snapshot's root lists the global object of every live context as a "user root" (shortcut
 * edges). That a file's global is listed says only that it is alive, not why: the path search
 * must find the real holder, so those edges are made weak (never followed) in this parsed copy.
 */
export function skipRootShortcuts(s: HeapSnapshot, nodes: readonly number[]): void {
  const weak = s.edgeTypeIndex('weak')
  const shortcut = s.edgeTypeIndex('shortcut')
  const set = new Set(nodes)
  for (let e = s.firstEdge[0]!; e < s.firstEdge[1]!; e++) {
    if (s.edgeType[e] === shortcut && set.has(s.edgeTo[e]!)) s.edgeType[e] = weak
  }
}

/** The world's own nodes: the object marked (a global proxy) and the native context and global object behind it. */
export function worldNodes(s: HeapSnapshot, target: number): number[] {
  const nodes = new Set<number>([target])
  // The context's inner global object: its `globalThis` / `global` property is the proxy watched.
  const property = s.edgeTypeIndex('property')
  for (let i = 0; i < s.nodeCount; i++) {
    for (let e = s.firstEdge[i]!; e < s.firstEdge[i + 1]!; e++) {
      if (s.edgeTo[e] !== target || s.edgeType[e] !== property) continue
      const name = s.edgeName(e)
      if (name === 'globalThis' || name === 'global') nodes.add(i)
    }
  }
  const frontier = [...nodes]
  for (let depth = 0; depth < 2; depth++) {
    const next: number[] = []
    for (const n of frontier) {
      for (let e = s.firstEdge[n]!; e < s.firstEdge[n + 1]!; e++) {
        const to = s.edgeTo[e]!
        if (nodes.has(to)) continue
        const name = s.nodeNameOf(to)
        const edge = s.edgeTypeName(e) === 'weak' ? '' : s.edgeName(e)
        if (name.startsWith('system / NativeContext') || edge === 'global_object' || edge === 'global_proxy' || edge === 'native_context') {
          nodes.add(to)
          next.push(to)
        }
      }
    }
    frontier.splice(0, frontier.length, ...next)
  }
  return [...nodes]
}

/**
 * Bytes that would be freed if `blocked` went away: the self sizes of the nodes reachable from the
 * root only through them (two walks over strong edges; the dominator-free way to a retained size).
 */
export function retainedSize(s: HeapSnapshot, blocked: number[]): number {
  const all = reach(s, new Set())
  const without = reach(s, new Set(blocked))
  let bytes = 0
  for (let i = 0; i < s.nodeCount; i++) if (all[i] && !without[i]) bytes += s.nodeSelfSize[i]!
  return bytes
}

function reach(s: HeapSnapshot, blocked: ReadonlySet<number>): Uint8Array {
  const seen = new Uint8Array(s.nodeCount)
  const weak = s.edgeTypeIndex('weak')
  const stack = [0]
  seen[0] = 1
  while (stack.length) {
    const n = stack.pop()!
    for (let e = s.firstEdge[n]!; e < s.firstEdge[n + 1]!; e++) {
      if (s.edgeType[e] === weak) continue
      const to = s.edgeTo[e]!
      if (seen[to] || blocked.has(to)) continue
      seen[to] = 1
      stack.push(to)
    }
  }
  return seen
}
