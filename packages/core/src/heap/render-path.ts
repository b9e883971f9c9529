// Rendering a retainer path (paths.ts finds it) as report text: from its last anchor (the global
// object, a module scope, the subject, a root group) to the leaked object.
//
// Paths are rendered without string contents unless asked: a string node is shown as
// `(string, 42 chars)`. Property and variable names are shown (they are identifiers in the code).

import { ContextNames } from './context-names.js'
import type { PathStep } from './paths.js'
import type { HeapSnapshot } from './snapshot.js'
import { typeName } from './summary.js'

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
  /** The anchor the text starts at: `(global)`, `(module scope)`, `(subject)`, a root group. */
  head: string
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
  return { head, steps, text: parts.join(' → '), clusterKey: `${head}>${clusterKey}` }
}
