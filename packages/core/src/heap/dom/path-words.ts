// A retainer path retold in DOM terms (pure: works on rendered steps, unit-tested on its own).
//
// - jsdom's wrapper/impl pairs are one object: `el (HTMLDivElement) → <symbol impl>
//   (HTMLDivElementImpl)` is shown as `el (HTMLDivElement)`, and a `<symbol wrapper>` step (a
//   webidl callback wrapper around the user's function) folds into the step before it.
// - Implementation class names become public ones (`EventTargetImpl` → `EventTarget`).
// - A path through the window starts at `window` (jsdom's global `Window`, happy-dom's
//   `GlobalWindow`), not at the realm internals that lead to it.
// - The holder is named: the nearest listener list, observer or timer on the path, else the
//   collection or variable it starts at.

import type { RenderedStep } from '../render-path.js'
import { HAPPY_LISTENERS_EDGE, JSDOM_IMPL_EDGE, JSDOM_TREE_EDGE, JSDOM_LISTENERS_EDGE, JSDOM_WRAPPER_EDGE, holderText, observerName, publicName, targetLabel, type Holder } from './names.js'

/** A rendered step, plus the key of a hash-table entry when the step enters one (happy-dom's listener Maps). */
export interface DomStep extends RenderedStep {
  key?: string
}

export interface DomPath {
  head: string
  steps: DomStep[]
  text: string
  holder?: Holder
  holderText?: string
}

const WINDOW = /^(?:Window|GlobalWindow|BrowserWindow)$/

function informative(name: string): boolean {
  return !(name.startsWith('(') || name.startsWith('system / '))
}

/** Rewrite a rendered path (its anchor `head` and steps) in DOM terms; `last` replaces the target's name. */
export function domPath(head: string, rendered: readonly DomStep[], last?: string): DomPath {
  let steps: DomStep[] = []
  for (const st of rendered) {
    const prev = steps[steps.length - 1]
    if (st.edge === JSDOM_IMPL_EDGE && prev) continue // the same DOM object, its implementation
    if (st.edge === JSDOM_TREE_EDGE && prev) continue // jsdom's tree links: `lastChild` reads as is
    if (st.edge === JSDOM_WRAPPER_EDGE && prev) {
      steps[steps.length - 1] = { ...prev, name: st.name, nodeType: st.nodeType }
      continue
    }
    steps.push({ ...st, name: publicName(st.name) })
  }
  // Start at the window when the path goes through it.
  for (let k = steps.length - 2; k >= 0; k--) {
    if (WINDOW.test(steps[k]!.name)) {
      head = 'window'
      steps = steps.slice(k + 1)
      // jsdom: the window's own EventTarget implementation is the window.
      if (steps[0] && steps[0].edge === JSDOM_IMPL_EDGE) steps = steps.slice(1)
      break
    }
  }
  if (last !== undefined && steps.length > 0) steps[steps.length - 1] = { ...steps[steps.length - 1]!, name: last }
  const parts = [head]
  steps.forEach((st, k) => {
    const edge = st.repeat ? `${st.edge} ×${st.repeat}` : st.edge
    const key = st.key !== undefined ? ` '${st.key}'` : ''
    if (k === steps.length - 1) parts.push(edge + key, st.name)
    else parts.push(informative(st.name) ? `${edge}${key} (${st.name})` : edge + key)
  })
  const holder = describeHolder(head, steps)
  return { head, steps, text: parts.join(' → '), ...(holder ? { holder, holderText: holderText(holder) } : {}) }
}

/** Name of the last named closure on the path before the target: the function that captured it. */
function capturingFunction(steps: readonly DomStep[], from: number): string | undefined {
  for (let k = steps.length - 2; k >= from; k--) {
    const st = steps[k]!
    if (st.nodeType === 'closure' && informative(st.name)) return st.name
  }
  return undefined
}

/** The holder of the path's target in DOM terms, the one nearest the target. */
export function describeHolder(head: string, steps: readonly DomStep[]): Holder | undefined {
  for (let k = steps.length - 2; k >= 0; k--) {
    const st = steps[k]!
    if (st.edge === JSDOM_LISTENERS_EDGE || st.edge === HAPPY_LISTENERS_EDGE) {
      const owner = k > 0 ? steps[k - 1]!.name : head
      const via = k > 1 ? steps[k - 2]!.name : head
      const target = owner === head && head === 'window' ? 'window' : targetLabel(owner, via)
      // jsdom: _eventListeners → resize (Array); happy-dom: <symbol listeners> → bubbling (Map) → table → [k] 'resize'
      let event: string | undefined
      for (let j = k + 1; j < Math.min(steps.length - 1, k + 5) && event === undefined; j++) {
        const e = steps[j]!
        if (e.key !== undefined) event = e.key
        else if (st.edge === JSDOM_LISTENERS_EDGE && e.edgeType === 'property') event = e.edge
      }
      const fn = capturingFunction(steps, k + 1)
      return { kind: 'listener', event: event ?? '?', target, ...(fn ? { fn } : {}) }
    }
    const observer = observerName(st.name)
    if (observer) {
      const fn = capturingFunction(steps, k + 1)
      return { kind: 'observer', observer, ...(fn ? { fn } : {}) }
    }
    if (st.name === 'Timeout' || st.name === 'Immediate' || st.edge === '_onTimeout') {
      // `_onTimeout` reaches the callback itself.
      const fn = capturingFunction(steps, st.edge === '_onTimeout' ? k : k + 1)
      return { kind: 'timer', ...(fn ? { fn } : {}) }
    }
  }
  if (steps.length < 2) return undefined
  const first = steps[0]!
  const where = head === '(module scope)' ? ' at module scope' : head === '(global)' ? ' on the global object' : head === 'window' ? ' on window' : ''
  const holder = `${first.edge}${informative(first.name) && steps.length > 1 ? ` (${first.name})` : ''}${where}`
  const fn = capturingFunction(steps, 1)
  return { kind: 'collection', holder, ...(fn ? { fn } : {}) }
}
