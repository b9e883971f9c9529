// `@leakproof/vitest`: used inside test files and setup files (it imports 'vitest').
// The plugin is `@leakproof/vitest/plugin`, the reporter `@leakproof/vitest/reporter`.
export type { LeakproofMatchers } from './augment.js'
export { registerLeakMatchers, abortLeakChecks } from './runtime/matchers.js'
export { installEachTest } from './runtime/each-test.js'
export { leakTest, checkEachTest } from './runtime/markers.js'
export type { LeakTestApi, LeakTestFn } from './runtime/markers.js'
export type { EachTestSetting } from './config.js'
// The engine's user API (measureLeak, trackCollection, the errors, the report types...), so that
// tests import from one package. The same in @leakproof/jest.
export * from '@leakproof/core'
