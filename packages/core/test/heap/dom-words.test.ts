// The pure DOM rules: public names, holders, and retainer paths retold in DOM terms.
import { describe, expect, test } from 'vitest'
import { holderText, isDocumentName, isTreeNodeName, observerName, publicName, targetLabel } from '../../src/heap/dom/names.js'
import { describeHolder, domPath, type DomStep } from '../../src/heap/dom/path-words.js'

const step = (edge: string, name: string, nodeType = 'object', edgeType = 'property'): DomStep => ({ edge, name, nodeType, edgeType })

describe('public names', () => {
  test("jsdom's implementation classes map to their interface, the wrapper's name first", () => {
    expect(publicName('HTMLDivElementImpl')).toBe('HTMLDivElement')
    expect(publicName('TextImpl')).toBe('Text')
    expect(publicName('EventTargetImpl', 'Window')).toBe('Window')
    expect(publicName('HTMLSpanElementImpl', '(anonymous)')).toBe('HTMLSpanElement')
    // happy-dom's classes and anything else pass through
    expect(publicName('HTMLDivElement')).toBe('HTMLDivElement')
    expect(publicName('Impl')).toBe('Impl')
    expect(publicName('Session')).toBe('Session')
  })

  test('documents, windows, observers, attributes', () => {
    expect(isDocumentName('HTMLDocumentImpl')).toBe(true)
    expect(isDocumentName('Document')).toBe(true)
    expect(isDocumentName('DocumentFragment')).toBe(false)
    expect(targetLabel('GlobalWindow')).toBe('window')
    expect(targetLabel('EventTargetImpl', 'Window')).toBe('window')
    expect(targetLabel('EventTargetImpl', 'HTMLButtonElement')).toBe('EventTarget')
    expect(targetLabel('HTMLDocumentImpl')).toBe('document')
    expect(targetLabel('HTMLButtonElementImpl')).toBe('HTMLButtonElement')
    expect(observerName('MutationObserverImpl')).toBe('MutationObserver')
    expect(observerName('ResizeObserver')).toBe('ResizeObserver')
    expect(observerName('Observer')).toBeUndefined()
    expect(isTreeNodeName('AttrImpl')).toBe(false)
    expect(isTreeNodeName('TextImpl')).toBe(true)
  })

  test('holder texts', () => {
    expect(holderText({ kind: 'listener', event: 'resize', target: 'window', fn: 'onResize' })).toBe("'resize' listener on window (onResize)")
    expect(holderText({ kind: 'observer', observer: 'MutationObserver' })).toBe('MutationObserver callback')
    expect(holderText({ kind: 'timer', fn: 'tick' })).toBe('timer callback (tick)')
    expect(holderText({ kind: 'collection', holder: 'cache (Map) at module scope' })).toBe('cache (Map) at module scope')
    expect(holderText({ kind: 'listener', event: 'keydown', target: 'document', fn: '(anonymous)' })).toBe("'keydown' listener on document")
  })
})

describe('paths in DOM terms', () => {
  test("jsdom: a listener on window, the wrapper/impl pairs folded, the window's realm internals cut", () => {
    const steps = [
      step('jsdom', 'JSDOM'),
      step('<symbol window>', 'Window'),
      step('native_context', 'system / NativeContext', 'hidden', 'internal'),
      step('extension', 'Window', 'object', 'internal'),
      step('<symbol impl>', 'EventTargetImpl'),
      step('_eventListeners', 'Object'),
      step('resize', 'Array'),
      step('[3]', 'Object', 'object', 'element'),
      step('callback', 'callTheUserObjectsOperation', 'closure'),
      step('<symbol wrapper>', 'onResize', 'closure'),
      step('context', 'system / Context', 'hidden', 'internal'),
      step('el', 'HTMLDivElement', 'object', 'context'),
      step('<symbol impl>', 'HTMLDivElementImpl'),
    ]
    const p = domPath('(global)', steps, 'HTMLDivElement (detached)')
    expect(p.text).toBe('window → _eventListeners (Object) → resize (Array) → [3] (Object) → callback (onResize) → context → el → HTMLDivElement (detached)')
    expect(p.holderText).toBe("'resize' listener on window (onResize)")
  })

  test('happy-dom: the event name is the key of the listener Map entry', () => {
    const steps = [
      step('get createImageBitmap', 'get', 'closure'),
      step('context', 'system / Context', 'hidden', 'internal'),
      step('boundFunction', 'native_bind', 'closure', 'context'),
      step('bound_this', 'GlobalWindow', 'object', 'internal'),
      step('<symbol listeners>', 'Object'),
      step('bubbling', 'Map'),
      step('table', '(object properties)', 'array', 'internal'),
      { ...step('[6]', 'Array', 'array', 'internal'), key: 'resize' },
      step('[0]', 'onResize', 'closure', 'element'),
      step('context', 'system / Context', 'hidden', 'internal'),
      step('el', 'HTMLDivElement', 'object', 'context'),
    ]
    const p = domPath('(global)', steps)
    expect(p.text.startsWith("window → <symbol listeners> (Object) → bubbling (Map) → table → [6] 'resize' (Array)")).toBe(true)
    expect(p.holderText).toBe("'resize' listener on window (onResize)")
  })

  test('a listener on an element is named after the element, on document after the document', () => {
    const onButton = [step('button', 'HTMLButtonElement'), step('<symbol impl>', 'HTMLButtonElementImpl'), step('_eventListeners', 'Object'), step('click', 'Array'), step('[0]', 'Object', 'object', 'element'), step('callback', 'onClick', 'closure'), step('context', 'system / Context', 'hidden'), step('el', 'HTMLDivElement')]
    expect(domPath('(module scope)', onButton).holderText).toBe("'click' listener on HTMLButtonElement (onClick)")
    const onDocument = [step('document', 'HTMLDocumentImpl'), step('_eventListeners', 'Object'), step('keydown', 'Array'), step('[0]', 'Object', 'object', 'element'), step('callback', 'onKeyDown', 'closure'), step('context', 'system / Context', 'hidden'), step('el', 'HTMLElement')]
    expect(describeHolder('(global)', onDocument)).toEqual({ kind: 'listener', event: 'keydown', target: 'document', fn: 'onKeyDown' })
  })

  test('observers, timers, module-level collections', () => {
    const observer = [step('_mutationObservers', 'Array'), step('[0]', 'MutationObserverImpl', 'object', 'element'), step('_callback', 'onListChange', 'closure'), step('context', 'system / Context', 'hidden'), step('el', 'HTMLUListElement')]
    expect(domPath('window', observer).holderText).toBe('MutationObserver callback (onListChange)')
    const timer = [step('[1]', 'Timeout', 'object', 'element'), step('_onTimeout', 'tick', 'closure'), step('context', 'system / Context', 'hidden'), step('el', 'HTMLTimeElement')]
    expect(domPath('(Handle scope)', timer).holderText).toBe('timer callback (tick)')
    const cache = [step('tooltipCache', 'Map', 'object', 'context'), step('table', '(object properties)', 'array', 'internal'), step('[4]', 'HTMLDivElement', 'object', 'internal')]
    expect(domPath('(module scope)', cache).holderText).toBe('tooltipCache (Map) at module scope')
    const store = [step('listeners', 'Set', 'object', 'context'), step('table', '(object properties)', 'array', 'internal'), step('[3]', 'onChange', 'closure', 'internal'), step('context', 'system / Context', 'hidden'), step('el', 'HTMLDivElement')]
    expect(domPath('(module scope)', store).holderText).toBe('callback onChange kept in listeners (Set) at module scope')
  })

  test('the nearest holder wins: a listener list reached through a module-level variable', () => {
    const steps = [step('app', 'Object', 'object', 'context'), step('root', 'HTMLDivElement'), step('<symbol impl>', 'HTMLDivElementImpl'), step('_eventListeners', 'Object'), step('scroll', 'Array'), step('[0]', 'Object', 'object', 'element'), step('callback', 'onScroll', 'closure'), step('context', 'system / Context', 'hidden'), step('el', 'HTMLDivElement')]
    expect(domPath('(module scope)', steps).holderText).toBe("'scroll' listener on HTMLDivElement (onScroll)")
  })
})
