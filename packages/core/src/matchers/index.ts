import { toBeCollected } from './to-be-collected.js'
import { toLeak } from './to-leak.js'

export { toLeak, toBeCollected }
export type { MatcherContextLike, MatcherResult } from './context.js'

/** The matchers, ready for `expect.extend(leakMatchers)` in Vitest, Jest or the `expect` package. */
export const leakMatchers = { toLeak, toBeCollected }
