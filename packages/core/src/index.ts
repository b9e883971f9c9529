export { measureLeak, assertNoLeak } from './measure.js'
export type { Subject } from './measure.js'
export { resolveOptions, defaultOptions } from './options.js'
export type { LeakOptions, ResolvedOptions, IgnoreOptions, IgnorePattern } from './options.js'
export { LeakError, LeakInconclusiveError, LeakproofUsageError, SubjectError, LeakTimeoutError, LeakAbortError } from './errors.js'
// Run reports and their formatting: the same names as the engine-free '@leakproof/core/report'.
export * from './report/index.js'
export { trackCollection } from './resources/index.js'
export type { CollectionTracker, CollectionCheckOptions } from './resources/index.js'
export { getGc } from './gc/force-gc.js'
export { fakeTimersActive } from './gc/timers.js'
// The matchers, for an `expect` of your own: expect.extend({ toLeak, toBeCollected }). What the
// framework adapters share beyond them is '@leakproof/core/adapter'.
export { toLeak, toBeCollected } from './matchers/index.js'
export type { SuiteCheckOptions } from './suite/options.js'
