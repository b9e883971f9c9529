// The whole verdict corpus (test/corpus/subjects.mjs) through `expect(fn).not.toLeak()` in a real
// Vitest 4 run, forks pool (the default), with the plugin and the reporter.
import { beforeAll, describe, test } from 'vitest'
import { allSubjects, checkExplanation, checkSubjects, subset, subsetEnv } from './checks.js'
import { runVitest, vitest4, type RunResult } from './harness.js'

// The engine's own corpus test (test/corpus) already runs all 74 subjects in-process on every
// `npm test`; through a Vitest child process the default run takes the representative subset and
// LEAKPROOF_FULL=1 (the matrix/soak runs) takes all of them.
const full = process.env.LEAKPROOF_FULL === '1'

describe(`Vitest 4, forks pool: ${full ? 'every corpus subject' : 'corpus subset'} through toLeak()`, () => {
  let run: RunResult
  beforeAll(async () => {
    run = await runVitest(vitest4, 'matchers', { args: ['--pool', 'forks'], ...(full ? {} : { env: subsetEnv }), timeoutMs: 900_000 })
  }, 900_000)

  test('leaky subjects fail with the leak report, clean ones pass; report and table list them all', () => {
    checkSubjects(run, full ? allSubjects : subset, 'expose-gc')
  })

  test('a leak failure shows what is retained, what holds it and where it was allocated', () => {
    checkExplanation(run)
  })
})
