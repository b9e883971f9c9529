// DOM names in the DOM's own words: pure rules, no heap access (unit-tested on their own).
//
// jsdom keeps two objects per DOM object: the public *wrapper* (`HTMLDivElement`, what scripts
// see) and its *implementation* (`HTMLDivElementImpl`), linked by symbol-keyed properties that a
// heap snapshot shows as `<symbol wrapper>` / `<symbol impl>` edges; its tree structure lives in
// `SymbolTreeNode`s under `<symbol DOM SymbolTree>`. happy-dom's classes are the public ones
// (`HTMLDivElement`), with internal state under symbols like `<symbol parentNode>`.

/** Edge names (as a heap snapshot spells them) that mark a DOM library's objects. */
export const JSDOM_WRAPPER_EDGE = '<symbol wrapper>'
export const JSDOM_IMPL_EDGE = '<symbol impl>'
export const JSDOM_TREE_EDGE = '<symbol DOM SymbolTree>'
export const HAPPY_PARENT_EDGE = '<symbol parentNode>'
export const HAPPY_CHILDREN_EDGE = '<symbol nodeArray>'
export const HAPPY_LISTENERS_EDGE = '<symbol listeners>'
export const JSDOM_LISTENERS_EDGE = '_eventListeners'

/**
 * The public interface name of a DOM object: its jsdom wrapper's class when known, else the
 * implementation class without jsdom's `Impl` suffix (`HTMLDivElementImpl` → `HTMLDivElement`).
 * happy-dom's names are already public and pass through.
 */
export function publicName(name: string, wrapperName?: string): string {
  if (wrapperName && wrapperName !== '' && !wrapperName.startsWith('(') && !wrapperName.startsWith('system /')) return wrapperName
  return name.length > 4 && name.endsWith('Impl') ? name.slice(0, -4) : name
}

/** A document node: the root of a tree that is in the document (not `DocumentFragment`). */
export function isDocumentName(name: string): boolean {
  const n = publicName(name)
  return n === 'Document' || n === 'HTMLDocument' || n === 'XMLDocument'
}

/**
 * How a holder of listeners is named to the user: `window`, `document`, or the element's
 * interface. jsdom's Window implementation is an `EventTargetImpl` reached from the `Window`
 * global; happy-dom's windows are `Window`, `GlobalWindow`, `BrowserWindow`.
 */
export function targetLabel(name: string, via?: string): string {
  const n = publicName(name)
  if (/^(?:Window|GlobalWindow|BrowserWindow|DetachedWindowAPI)$/.test(n)) return 'window'
  if (n === 'EventTarget' && via !== undefined && /Window$/.test(via)) return 'window'
  if (isDocumentName(n)) return 'document'
  return n
}

/** Observer classes whose callback keeps what it closes over while the observer is registered. */
export function observerName(name: string): string | undefined {
  const n = publicName(name)
  return /^(?:Mutation|Resize|Intersection|Performance)Observer$/.test(n) ? n : undefined
}

/**
 * Nodes that are not tree units of their own: attributes belong to their element (reached from
 * it: jsdom's `_attributeList`, happy-dom's attribute map), never to a parent.
 */
export function isTreeNodeName(name: string): boolean {
  const n = publicName(name)
  return n !== 'Attr'
}

/** Names of jsdom / happy-dom internals that are never shown as a retained type of their own. */
export function isDomBookkeeping(name: string): boolean {
  return name === 'SymbolTreeNode'
}

/** `'resize' listener on window (onResize)`, `MutationObserver callback (onChange)`, ... */
export type Holder =
  | { kind: 'listener'; event: string; target: string; fn?: string }
  | { kind: 'observer'; observer: string; fn?: string }
  | { kind: 'timer'; fn?: string }
  | { kind: 'collection'; holder: string; fn?: string }

const fnText = (fn: string | undefined) => (fn && fn !== '' && !fn.startsWith('(') ? ` (${fn})` : '')

export function holderText(h: Holder): string {
  switch (h.kind) {
    case 'listener':
      return `'${h.event}' listener on ${h.target}${fnText(h.fn)}`
    case 'observer':
      return `${h.observer} callback${fnText(h.fn)}`
    case 'timer':
      return `timer callback${fnText(h.fn)}`
    case 'collection':
      return h.fn ? `callback ${h.fn} kept in ${h.holder}` : h.holder
  }
}

/** `HTMLDivElement (detached, 10 nodes in its subtree)` for a table row. */
export function treeLabel(name: string, detached: boolean, nodes: number): string {
  const where = detached ? 'detached' : 'in the document'
  const size = nodes > 1 ? `, ${nodes} nodes in its subtree` : ''
  return `${name} (${where}${size})`
}
