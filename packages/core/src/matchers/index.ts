import { toBeCollected } from './to-be-collected.js'
import { toLeak } from './to-leak.js'

export { toLeak, toBeCollected }
export type { MatcherContextLike, MatcherResult, CallSite } from './context.js'
export { callSite, lineInStack, recordFile } from './context.js'
export { checkRepeatedTest, recordCheckedTest, leakFailure, repeatFailure, describeError, concurrentTestError } from './each-test.js'
export type { CheckedTest, RepeatCheck } from './each-test.js'
export { checkQueuedTests, groupByOptions, halves, optionsKey } from './each-file.js'
export type { QueuedTest, TestFailure, GroupCheckStats } from './each-file.js'

/** The matchers, ready for `expect.extend(leakMatchers)` in Vitest, Jest or the `expect` package. */
export const leakMatchers = { toLeak, toBeCollected }
export { RunningChecks, notAwaitedError } from './running-checks.js'
export type { RunningCheck } from './running-checks.js'
export { testTimeoutFor, raisedTestTimeout } from './test-timeout.js'
