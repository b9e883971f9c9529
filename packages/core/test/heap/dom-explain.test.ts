// The DOM rules on real heaps: jsdom and happy-dom windows in this process, detached trees held
// by window listeners next to trees still in the document and a module-level cache, one heap
// snapshot, and the DOM explanation of the nodes made after a watermark. Two heap snapshots of a
// process holding a DOM per case: in `npm test`, not in the in-process `npm run test:unit`.
import v8 from 'node:v8'
import { afterAll, describe, expect, test } from 'vitest'
import { explainDom } from '../../src/explain/dom/index.js'
import { classifyNodes } from '../../src/heap/filters/index.js'
import { ContextNames } from '../../src/heap/context-names.js'
import { parseHeapSnapshot } from '../../src/heap/parser.js'
import { buildPathTree } from '../../src/heap/paths.js'
import { globalObjects } from '../../src/heap/render-path.js'
import { maxSequentialId, typeKeyIds } from '../../src/heap/summary.js'
import { fullGc, tempDir } from './helpers.js'

const { dir, cleanup } = tempDir('leakproof-dom-')
afterAll(cleanup)

interface Win {
  document: Document
  addEventListener: Window['addEventListener']
  close(): void
}

async function windowOf(library: 'jsdom' | 'happy-dom'): Promise<Win> {
  if (library === 'jsdom') {
    const { JSDOM } = await import('jsdom')
    return new JSDOM('<!doctype html><html><body></body></html>').window as unknown as Win
  }
  const { Window } = await import('happy-dom')
  return new Window() as unknown as Win
}

/** Snapshot after `make`, and the DOM explanation of what `make` allocated. */
async function explainAfter(make: () => void, name: string) {
  fullGc()
  const before = await parseHeapSnapshot(v8.writeHeapSnapshot(`${dir}/${name}-a.heapsnapshot`))
  const watermark = maxSequentialId(before)
  make()
  fullGc()
  const s = await parseHeapSnapshot(v8.writeHeapSnapshot(`${dir}/${name}-c.heapsnapshot`))
  const classification = classifyNodes(s)
  const { keyOf, keys } = typeKeyIds(s)
  const paths = { tree: buildPathTree(s, classification), globals: globalObjects(s), contexts: new ContextNames(s), max: 5 }
  return explainDom({ s, classification, keyOf, keyCount: keys.length, maxIdA: watermark, maxIdB: Infinity, calls: 20, showStrings: false, paths })
}

const kept: unknown[] = []
const cache = new Map<number, unknown>()

describe.each(['jsdom', 'happy-dom'] as const)('%s', (library) => {
  test('detached trees are counted once each, by public interface, with their holder; attached ones are not detached', async () => {
    const win = await windowOf(library)
    kept.push(win)
    const { document } = win
    const d = await explainAfter(() => {
      for (let i = 0; i < 20; i++) {
        const el = document.createElement('div')
        for (let k = 0; k < 4; k++) el.appendChild(document.createElement('span')).textContent = `x${k}`
        document.body.appendChild(el)
        const onResize = () => el.setAttribute('data-w', '1')
        win.addEventListener('resize', onResize)
        el.remove()
      }
      for (let i = 0; i < 5; i++) document.body.appendChild(document.createElement('section'))
      for (let i = 0; i < 3; i++) cache.set(i, document.createElement('ul'))
    }, library)
    expect(d).toBeDefined()
    const rows = new Map(d!.units.map((u) => [`${u.name}:${u.dom!.detached}`, u]))
    const div = rows.get('HTMLDivElement:true')
    expect(div?.retainedCount).toBe(20)
    expect(div?.countPerIteration).toBe(1)
    expect(div?.dom?.nodes).toBe(9) // the div, 4 spans, 4 texts
    // The other library's window of the previous case may still be in the heap: nodes are told apart.
    expect(div?.dom?.library).toBe(library)
    expect(div?.dom?.holder).toBe("'resize' listener on window (onResize)")
    expect(rows.get('HTMLElement:false')?.retainedCount ?? rows.get('HTMLElement:false')).toBe(5) // <section>, in the document
    expect(rows.get('HTMLUListElement:true')?.retainedCount).toBe(3)
    // No implementation classes, no tree bookkeeping as rows of their own.
    for (const u of d!.units) expect(u.name).not.toMatch(/Impl$|SymbolTreeNode|^Text$|^HTMLSpanElement$/)
    const divPath = d!.paths.find((p) => p.type === 'HTMLDivElement')
    expect(divPath?.text).toMatch(/^window → .*onResize.* → el → HTMLDivElement \(detached\)$/)
    expect(divPath?.text).not.toMatch(/Impl\b|SymbolTree/)
    win.close()
  }, 240_000)
})
