export { measureLeak, assertNoLeak } from './measure.js'
export type { Subject } from './measure.js'
export { resolveOptions, defaultOptions } from './options.js'
export type { LeakOptions, ResolvedOptions, IgnoreOptions, IgnorePattern } from './options.js'
export { LeakError, LeakInconclusiveError, LeakproofUsageError, SubjectError, LeakTimeoutError, LeakAbortError } from './errors.js'
// Run reports and their formatting: the same names as the engine-free '@leakproof/core/report'.
export * from './report/index.js'
export { trackCollection } from './resources/index.js'
export type { CollectionTracker } from './resources/index.js'
export { getGc } from './gc/force-gc.js'
export { fakeTimersActive } from './gc/timers.js'
export { leakMatchers, toLeak, toBeCollected } from './matchers/index.js'
export type { MatcherContextLike, MatcherResult } from './matchers/index.js'
// Shared by the adapters: test-file lines from stacks, record file names, per-test mode's measurement.
export { lineInStack, recordFile, checkRepeatedTest, recordCheckedTest } from './matchers/index.js'
export type { CheckedTest, RepeatCheck } from './matchers/index.js'
// Shared by the adapters' setup files: stopping the checks of a test that ended, its timeout.
export { RunningChecks, notAwaitedError, testTimeoutFor, raisedTestTimeout } from './matchers/index.js'
export type { RunningCheck } from './matchers/index.js'
