// What kind of thing holds a test file's world, read from its retainer path, and what to do about
// it. Pure: the path's steps in, a kind and advice out.

import type { RetainerStep } from '../report/types.js'

export type HolderKind = 'listener' | 'timer' | 'spy' | 'registry' | 'async-context' | 'unknown'

const advice: Record<HolderKind, string> = {
  listener:
    'an event listener the file added to an object that outlives it (process.on, an emitter of a shared module): remove it in afterAll (process.off / emitter.off / removeListener)',
  timer: 'a timer the file started and never cleared (setInterval, a setTimeout chain): clear it in afterAll, or unref() it and keep no test state in its callback',
  spy: 'a spy or mock on an object shared between files (a Node module, process, console) that was never restored: restore it in afterEach/afterAll (mockRestore, jest.restoreAllMocks / vi.restoreAllMocks, or restoreMocks: true)',
  registry:
    'a collection in a module or object shared between files (a registry, cache or subscriber list) that keeps something the file made: remove it in afterAll, or clear the registry between files',
  'async-context':
    "an async resource (a socket, pipe or handle) that captured an AsyncLocalStorage store while the file ran — the test runner's own test context (jest-circus keeps the running test in one). A process-wide handle first created during this file (process.stdout, a shared agent's socket) keeps it for the worker's life: not the file's code, so it does not fail the run; a handle the file opened and never closed does the same: close it",
  unknown: 'something shared between files keeps a reference into the file: the retainer path names it',
}

/** Holders that are reported but never fail the run: what they keep is the runner's, not the file's. */
export function holderFails(kind: HolderKind): boolean {
  return kind !== 'async-context'
}

/** What to do about a holder of this kind. */
export function holderAdvice(kind: HolderKind): string {
  return advice[kind]
}

const MOCK = /^(mockConstructor|spy|mock|jest\.fn|vi\.fn|tinyspy|Mock|MockInstance)\b|_isMockFunction|mockImplementation|\bspy\b/i

/** Classify the holder from the path (steps after the anchor, and the rendered text). */
export function holderOf(steps: readonly RetainerStep[], text = ''): HolderKind {
  const edges = steps.map((s) => s.edge)
  const names = steps.map((s) => s.name)
  // Reached only through an async resource's AsyncLocalStorage store (the runner's test context).
  if (edges.some((e) => /kResourceStore/.test(e))) return 'async-context'
  // Timers: Node's Timeout objects (setInterval / setTimeout) and their lists.
  if (names.some((n) => n === 'Timeout' || n === 'Immediate' || n === 'TimersList') || edges.includes('_onTimeout')) return 'timer'
  // Spies: a mock function installed in place of a shared object's method.
  if (names.some((n) => MOCK.test(n)) || edges.some((e) => /^(_mockState|_mockConfigRegistry|mock|_isMockFunction|getMockImplementation)$/.test(e))) return 'spy'
  // Listeners: an EventEmitter's _events table (process.on, emitter.on), an EventTarget's listeners.
  if (edges.includes('_events') || names.includes('EventEmitter') || /\b(kEvents|listeners?)\b/.test(text)) return 'listener'
  if (steps.length > 0 && names.some((n) => /^(Map|Set|Array|Object|WeakMap|Channel|ActiveChannel)$/.test(n))) return 'registry'
  return 'unknown'
}
