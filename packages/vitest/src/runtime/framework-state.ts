// Vitest's own state between the repeated runs of per-test mode: what Vitest does between two
// tests (or two attempts of one), done between two repeats, so that its machinery is never
// reported as the user's leak.
//
// - Before each run: the mock reset Vitest does before every test attempt, per the project's
//   config (`restoreMocks`, `mockReset`, `clearMocks`, `unstubEnvs`, `unstubGlobals`: the runner's
//   clearModuleMocks in onBeforeTryTask, which the replay does not go through).
// - After each run: Vitest's module-level mock registries are trimmed (core's trimRegistries).
//   Vitest 3 keeps every mock in @vitest/spy's `mocks` and tinyspy's `spies`; Vitest 4 every mock
//   in `REGISTERED_MOCKS` and every spy's restore function in `MOCK_RESTORE` (mockRestore() does
//   not remove it); Vitest 5 the restore functions in `MOCK_RESTORE` (its other sets hold WeakRefs).
//   None is exported. They are found once per worker:
//   - Vitest 3 and 4 add to them with `Set.prototype.add`: a probe `vi.fn()` and `vi.spyOn()` are
//     made twice with that method observed; the Sets that received values in both rounds are the
//     registries (a Set made inside one call is a new one the next time);
//   - Vitest 5 took `Set.prototype.add` before any test code ran, but `vi.restoreAllMocks()`
//     iterates `MOCK_RESTORE` with for…of: it is called once with Set iteration observed and
//     yielding nothing (so nothing is restored), then the Set is given back what the call cleared.
//   The probes' own entries are removed again.
import { trimRegistries, type RegistryLike } from '@leakproof/core/adapter'
import { vi } from './vitest-api.js'

export interface FrameworkState {
  /** Before each repeated run. */
  beforeRun(): void
  /** After each repeated run (also one that failed). */
  afterRun(): void
  /** `run` with beforeRun before it and afterRun after it. */
  around<T>(run: () => Promise<T>): () => Promise<T>
  /** The check is over. */
  dispose(): void
}

interface MockConfig {
  clearMocks?: boolean
  mockReset?: boolean
  restoreMocks?: boolean
  unstubEnvs?: boolean
  unstubGlobals?: boolean
}

type ViLike = {
  fn: () => unknown
  spyOn: (object: object, key: string) => { mockRestore: () => void }
  restoreAllMocks: () => void
  resetAllMocks: () => void
  clearAllMocks: () => void
  unstubAllEnvs?: () => void
  unstubAllGlobals?: () => void
}

const viApi = vi as unknown as ViLike

function mockConfig(): MockConfig {
  const state = (globalThis as { __vitest_worker__?: { config?: MockConfig } }).__vitest_worker__
  return state?.config ?? {}
}

/** Vitest's per-attempt reset, as its runner does it before each test (Vitest 3, 4, 5). */
function resetLikeVitest(): void {
  const config = mockConfig()
  if (config.restoreMocks) viApi.restoreAllMocks()
  if (config.mockReset) viApi.resetAllMocks()
  if (config.clearMocks) viApi.clearAllMocks()
  if (config.unstubEnvs) viApi.unstubAllEnvs?.()
  if (config.unstubGlobals) viApi.unstubAllGlobals?.()
}

let found: RegistryLike[] | undefined

/** The Set constructor of the realm Vitest's spies live in (a vm pool's context or the worker's). */
function spyRealmSet(): SetConstructor {
  try {
    const FunctionOfRealm = (viApi.fn as unknown as { constructor: FunctionConstructor }).constructor
    const RealmSet = FunctionOfRealm('return Set')() as unknown
    if (typeof RealmSet === 'function') return RealmSet as SetConstructor
  } catch {
    // code generation from strings disallowed: this realm's Set
  }
  return Set
}

/** Sets that received values in both rounds of probes (Vitest 3 and 4). */
function findByAdd(proto: Set<unknown>): Array<[Set<unknown>, unknown[]]> {
  const rounds: Array<Map<Set<unknown>, unknown[]>> = []
  const add = Object.getOwnPropertyDescriptor(proto, 'add')
  if (!add || typeof add.value !== 'function' || !add.writable) return []
  const original = add.value as (this: Set<unknown>, value: unknown) => Set<unknown>
  for (let round = 0; round < 2; round++) {
    const seen = new Map<Set<unknown>, unknown[]>()
    let spy: { mockRestore: () => void } | undefined
    Object.defineProperty(proto, 'add', {
      ...add,
      value: function observedAdd(this: Set<unknown>, value: unknown) {
        const list = seen.get(this)
        if (list) list.push(value)
        else seen.set(this, [value])
        return original.call(this, value)
      },
    })
    try {
      viApi.fn()
      spy = viApi.spyOn({ probe() {} }, 'probe')
    } finally {
      Object.defineProperty(proto, 'add', add)
    }
    spy?.mockRestore()
    rounds.push(seen)
  }
  const [first, second] = rounds as [Map<Set<unknown>, unknown[]>, Map<Set<unknown>, unknown[]>]
  const result: Array<[Set<unknown>, unknown[]]> = []
  for (const [set, values] of first) if (second.has(set)) result.push([set, [...values, ...second.get(set)!]])
  return result
}

/** Sets that `vi.restoreAllMocks()` iterates (Vitest 5's MOCK_RESTORE; Vitest 3's mocks), left as they were. */
function findByRestoreAll(proto: Set<unknown>): Set<unknown>[] {
  const iterate = Object.getOwnPropertyDescriptor(proto, Symbol.iterator)
  if (!iterate || typeof iterate.value !== 'function' || !iterate.writable) return []
  const original = iterate.value as (this: Set<unknown>) => Iterator<unknown>
  const seen = new Map<Set<unknown>, unknown[]>()
  Object.defineProperty(proto, Symbol.iterator, {
    ...iterate,
    value: function observedIterator(this: Set<unknown>) {
      if (!seen.has(this)) seen.set(this, [...{ [Symbol.iterator]: () => original.call(this) }])
      return [][Symbol.iterator]()
    },
  })
  try {
    viApi.restoreAllMocks()
  } finally {
    Object.defineProperty(proto, Symbol.iterator, iterate)
    // Give back what the call cleared (Vitest 4 and 5 clear MOCK_RESTORE after iterating it).
    for (const [set, values] of seen) for (const value of values) set.add(value)
  }
  return [...seen.keys()]
}

function findRegistries(): RegistryLike[] {
  if (found) return found
  const proto = spyRealmSet().prototype as Set<unknown>
  const registries = new Set<Set<unknown>>()
  try {
    const iterated = findByRestoreAll(proto)
    const before = new Map(iterated.map((set) => [set, new Set(set)]))
    for (const [set, probes] of findByAdd(proto)) {
      registries.add(set)
      for (const value of probes) set.delete(value)
    }
    // The probe spies' restore functions in a registry found by iterating (Vitest 5).
    for (const [set, values] of before) {
      registries.add(set)
      set.forEach((value) => {
        if (!values.has(value)) set.delete(value)
      })
    }
  } catch {
    // Vitest changed shape: nothing trimmed (the retention is reported, as before)
  }
  found = [...registries]
  return found
}

/** Vitest's state around the repeated runs of one per-test check. */
export function trackFrameworkState(): FrameworkState {
  const trim = trimRegistries(findRegistries)
  const state: FrameworkState = {
    beforeRun: resetLikeVitest,
    afterRun: () => trim.afterRun(),
    around:
      <T>(run: () => Promise<T>) =>
      async () => {
        state.beforeRun()
        try {
          return await run()
        } finally {
          state.afterRun()
        }
      },
    dispose: () => {},
  }
  return state
}
