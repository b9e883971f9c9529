import type { NodeRule } from './rule.js'

/**
 * Objects V8 names `(system)` (older V8 versions name internal objects of any type this way), and
 * `array` backing stores V8 tags with a parenthesised internal purpose.
 */
const INTERNAL_ARRAY_TAGS = /^\((?:code|map|prototype|transition|weak|context data|function scope|feedback|script|shared|compilation|startup|builtins|strong roots|handler|source|constant pool|bytecode|deopt|scope info|descriptor|enum cache|native context)/

export const systemNamedRule: NodeRule = {
  kind: 'node',
  barrier: true,
  id: 'system-named',
  why: '`(system)` and internal-tagged arrays (e.g. `(prototype transitions)`) are V8 metadata kept for compiled code and shapes',
  isInternal: (type, name) => name === '(system)' || (type === 'array' && INTERNAL_ARRAY_TAGS.test(name)),
}
