// Per-test mode repeats a test hundreds of times. Test frameworks keep module-level registries of
// what a test creates (Vitest: every mock and every spy's restore function; Jest: every spy's
// restore function) so that they can clear or restore them all later; those registries grow by
// one run's worth on every repeat, and the user cannot empty them. This trims them between
// repeats: after each run, what the run *before* it added is dropped, so a registry holds what it
// held when the check started plus the latest run's entries — the state one run leaves, never a
// growing number of runs. What the user's own code keeps (an array of mocks, a spy left installed
// on a shared object whose calls pile up) is not in a registry and is still measured.

/** A Set-like registry (a Set of another realm too: only these methods are used). */
export interface RegistryLike {
  has(value: unknown): boolean
  delete(value: unknown): boolean
  forEach(fn: (value: unknown) => void): void
}

export interface RegistryTrim {
  /** After each repeated run: drop what the previous run added to the registries. */
  afterRun(): void
}

/**
 * Trim `registries()` between runs. `registries` is read after every run: a framework may replace
 * a registry (Jest's `restoreAllMocks()` assigns a new Set); values are compared by identity.
 */
export function trimRegistries(registries: () => RegistryLike[]): RegistryTrim {
  // What each registry held when the check started (the first run's entries and all before it).
  const baseline = new WeakMap<RegistryLike, Set<unknown>>()
  const contents = (registry: RegistryLike) => {
    const values = new Set<unknown>()
    registry.forEach((value) => values.add(value))
    return values
  }
  for (const registry of registries()) baseline.set(registry, contents(registry))
  // What the previous run added, per registry.
  let previous = new Map<RegistryLike, Set<unknown>>()
  return {
    afterRun() {
      const next = new Map<RegistryLike, Set<unknown>>()
      for (const registry of registries()) {
        const base = baseline.get(registry) ?? new Set<unknown>()
        if (!baseline.has(registry)) baseline.set(registry, base)
        const before = previous.get(registry)
        const added = new Set<unknown>()
        registry.forEach((value) => {
          if (!base.has(value) && !before?.has(value)) added.add(value)
        })
        if (before) for (const value of before) registry.delete(value)
        next.set(registry, added)
      }
      previous = next
    },
  }
}
