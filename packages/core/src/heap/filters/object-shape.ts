import type { NodeRule } from './rule.js'

/** V8 type `object shape`: hidden classes (Maps), descriptor / transition arrays, prototype info. */
export const objectShapeRule: NodeRule = {
  kind: 'node',
  barrier: true,
  id: 'object-shape',
  why:
    'new hidden classes, PrototypeInfo and Cells appear as code first runs (50 Maps + 50 ' +
    'PrototypeInfo for 50 classes instantiated late), and describe layout, not data',
  isInternal: (type) => type === 'object shape',
}
