// Jest's own state between the repeated runs of per-test mode, so that its machinery is never
// reported as the user's leak. Two registries grow with every repeat, and the user cannot empty
// either; both are trimmed between repeats (core's trimRegistries: what the run before the latest
// one added is dropped):
// - jest-mock's ModuleMocker (`environment.moduleMocker`, the one `jest.spyOn` uses) keeps the
//   restore function of every `jest.spyOn()` in `_spyState` (a Set), for `jest.restoreAllMocks()`
//   and `restoreMocks`; `mockRestore()` does not remove it (Jest 29 and 30), so a test that spies
//   every run retains each spy, its object and the original. (`jest.fn()` keeps its state in
//   WeakMaps.)
// - Jest 30's node environment wraps the test global in a GlobalProxy (`environment._globalProxy`)
//   that keeps every value a global property held before it was replaced in `leftovers` (an Array),
//   to delete their properties at teardown. `jest.useFakeTimers()` / `useRealTimers()` replace a
//   dozen timer globals each time: 16 KB per run.
// Jest's root hook (`clearMocks`, `resetMocks`, `restoreMocks`) already runs around every repeat
// with the other beforeEach hooks.
import { trimRegistries, type RegistryLike } from '@leakproof/core/adapter'

export interface FrameworkState {
  /** After each repeated run (also one that failed); before the next one at the latest. */
  afterRun(): void
  /** The check is over. */
  dispose(): void
}

function isSetLike(value: unknown): value is RegistryLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RegistryLike).forEach === 'function' &&
    typeof (value as RegistryLike).delete === 'function' &&
    typeof (value as RegistryLike).has === 'function'
  )
}

/** An Array seen as a registry (the same wrapper for the same Array: trimming keys on it). */
const arrayRegistries = new WeakMap<unknown[], RegistryLike>()
function arrayRegistry(array: unknown[]): RegistryLike {
  let registry = arrayRegistries.get(array)
  if (!registry) {
    registry = {
      has: (value) => array.includes(value),
      delete: (value) => {
        const index = array.indexOf(value)
        if (index === -1) return false
        array.splice(index, 1)
        return true
      },
      forEach: (fn) => array.forEach((value) => fn(value)),
    }
    arrayRegistries.set(array, registry)
  }
  return registry
}

interface EnvironmentLike {
  moduleMocker?: { _spyState?: unknown }
  _globalProxy?: { leftovers?: unknown }
}

/** Jest's state around the repeated runs of one per-test check (`environment`: the test environment). */
export function trackFrameworkState(environment: unknown): FrameworkState {
  const env = (environment ?? {}) as EnvironmentLike
  // Read on every run: jest.restoreAllMocks() replaces the Set.
  const registries = (): RegistryLike[] => {
    const found: RegistryLike[] = []
    const spies = env.moduleMocker?._spyState
    if (isSetLike(spies)) found.push(spies)
    const leftovers = env._globalProxy?.leftovers
    if (Array.isArray(leftovers)) found.push(arrayRegistry(leftovers))
    return found
  }
  const trim = trimRegistries(registries)
  return { afterRun: () => trim.afterRun(), dispose: () => {} }
}
