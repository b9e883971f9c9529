import type { NodeRule } from './rule.js'

/**
 * `hidden` nodes that hold user data. Everything else of type `hidden` (templates, handler infos,
 * Foreign pointers, Oddballs, WeakArrayList / WeakFixedArray, NativeContext, read-only maps,
 * private symbols, ClassPositions, ...) is runtime bookkeeping.
 */
const USER_HIDDEN = new Set([
  // Out-of-object property values of ordinary objects.
  'system / PropertyArray',
  // Property storage of the global object: one cell per global variable / globalThis property.
  'system / PropertyCell',
  // Getter/setter pairs of object literals with accessors and defineProperty.
  'system / AccessorPair',
  // Proxy objects are typed `hidden` by V8.
  'system / JSProxy',
  // Dictionary-mode property storage when V8 uses Swiss tables.
  'system / SwissNameDictionary',
  // Scopes captured by closures, if a V8 version types them `hidden` (v20 types them `object`).
  'system / Context',
])

export const hiddenRule: NodeRule = {
  kind: 'node',
  barrier: false,
  id: 'hidden',
  why:
    'V8 bookkeeping of type hidden grows on first use of APIs (JSON churn: +4 WeakArrayList ' +
    'with no user data kept); the allowlisted hidden kinds are storage of user values instead',
  isInternal: (type, name) => type === 'hidden' && !USER_HIDDEN.has(name),
}
