// `@leakproof/core/adapter`: what @leakproof/vitest and @leakproof/jest share and their users do
// not call: matcher registration and bookkeeping, per-test mode, option layers, the reporters' run
// session, the matcher types they augment their framework with. A framework adapter of your own
// can build on it; tests use '@leakproof/core' or an adapter.
export { leakMatchers } from '../matchers/index.js'
export type { MatcherContextLike, MatcherResult } from '../matchers/index.js'
export { passTrackerHint } from '../matchers/to-be-collected.js'
export type { LeakMatchers } from './matcher-types.js'

// Test files' lines and names in run-report records.
export { lineInStack, recordFile } from '../matchers/index.js'

// Per-test mode: measuring a test that passed its first run.
export { checkRepeatedTest, recordCheckedTest, concurrentTestError } from '../matchers/index.js'
export type { CheckedTest, RepeatCheck } from '../matchers/index.js'
// ...screened a file (or describe block) at a time, bisected down to the tests that leak.
export { checkQueuedTests, describeError } from '../matchers/index.js'
export { screenLeakOf, screenedClean } from '../measure.js'
export type { QueuedTest, TestFailure, GroupCheckStats } from '../matchers/index.js'
export { fitToTest } from '../matchers/fit.js'

// Setup files: the checks of a test that ended, the test timeout.
export { RunningChecks, notAwaitedError, testTimeoutFor, raisedTestTimeout } from '../matchers/index.js'
export type { RunningCheck } from '../matchers/index.js'

export { mergeOptions } from './merge-options.js'
export { RunReportSession } from './run-session.js'
export { ReporterSettings } from './reporter-options.js'
export type { LeakReporterOptions } from './reporter-options.js'

// Per-test mode: framework registries trimmed between repeats.
export { trimRegistries } from './registry-trim.js'
export type { RegistryLike, RegistryTrim } from './registry-trim.js'

// Suite-level mode: which test file leaks the worker (the file's world still reachable after it ended).
export { SuiteWatch, formatHeldFile, formatSuiteSummary, workerId } from '../suite/watch.js'
export { resolveSuiteOptions } from '../suite/options.js'
export type { SuiteCheckOptions, ResolvedSuiteOptions } from '../suite/options.js'
export { holderOf, holderAdvice } from '../suite/holder.js'
export type { HolderKind } from '../suite/holder.js'
