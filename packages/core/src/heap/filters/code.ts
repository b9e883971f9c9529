import type { NodeRule } from './rule.js'

/**
 * V8 type `code`: bytecode, machine code, SharedFunctionInfo, FeedbackVector / FeedbackCell,
 * ScopeInfo, AllocationSite, IC handlers, uncompiled data, source position tables, constant pools.
 */
export const codeRule: NodeRule = {
  kind: 'node',
  barrier: true,
  id: 'code',
  why:
    'compiled code and its metadata grow while functions warm up (lazy compile, feedback, ' +
    'baseline/TurboFan code): 150 BytecodeArray + 150 FeedbackVector + 150 ScopeInfo in 200 calls ' +
    'of a class-heavy workload whose user data was flat',
  isInternal: (type) => type === 'code',
}
