// Types for `expect(fn).toLeak()` / `expect(obj).toBeCollected()` in Vitest 3, 4 and 5.
//
// Vitest's documented way to type a custom matcher changed with every major, and the three
// augmentations cannot coexist: 3.0–3.1 `interface Assertion<T = any>`, 3.2–4.x
// `interface Matchers<T = any>`, 5.x `interface Matchers<R, T>`. TypeScript rejects a
// declaration whose type parameters differ from the installed one (TS2428) — visible to anyone
// who type-checks without `skipLibCheck`. What every version shares is that its `Assertion` maps
// the members of chai's global `Chai.Assertion` interface onto itself (`VitestAssertion<
// Chai.Assertion, ...>`), keeping method types as declared. Chai.Assertion has no type parameters,
// so one augmentation serves all versions: `expect(x)`, `expect(x).not`, `expect.soft(x)` all get
// the matchers, with the options type-checked. (Side effect: chai's own `chai.expect(x)` shows
// them too; calling them there does nothing useful.)
import type { CollectionTracker, LeakOptions } from '@leakproof/core'
import type { LeakMatchers } from '@leakproof/core/adapter'

/** `toLeak` and `toBeCollected`: core's `LeakMatchers`, resolving to nothing as Vitest's async matchers do. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LeakproofMatchers extends LeakMatchers<void> {}

declare module 'vitest' {
  // Typed `{ meta: { leakproof } }` in test and describe options (Vitest 4.1+ take `meta` there).
  interface TaskMeta {
    /** Per-test mode for this test or suite: `true`, `false`, or options for its check. */
    leakproof?: boolean | LeakOptions
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Chai {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Assertion extends LeakproofMatchers {}
  }
}

export type { CollectionTracker }
