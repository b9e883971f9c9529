// The thread pools, where --expose-gc cannot be passed and the engine turns GC on at run time:
// corpus subjects through toLeak() (one subject per pattern in each, the two pools taking
// complementary halves; both per pattern with LEAKPROOF_MATRIX=1), and per-test mode (vmThreads;
// threads too with LEAKPROOF_MATRIX=1; forks is test/vitest/each-test.test.ts).
import { beforeAll, describe, test } from 'vitest'
import { alternatePatterns } from '../corpus/subjects.mjs'
import { checkEachTestRun, checkSubjects, subset, subsetEnv } from './checks.js'
import { runVitest, vitest4, type RunResult } from './harness.js'

const matrix = process.env.LEAKPROOF_MATRIX === '1'
const half = alternatePatterns()
const otherHalf = alternatePatterns(1)
const subjects = {
  threads: matrix ? { names: subset, env: subsetEnv } : { names: otherHalf, env: { LEAKPROOF_SUBJECTS: JSON.stringify([...otherHalf.leaky, ...otherHalf.clean]) } },
  vmThreads: matrix ? { names: subset, env: subsetEnv } : { names: half, env: { LEAKPROOF_SUBJECTS: JSON.stringify([...half.leaky, ...half.clean]) } },
}

describe.each(['threads', 'vmThreads'] as const)('Vitest 4, %s pool: corpus subjects through toLeak()', (pool) => {
  let run: RunResult
  beforeAll(async () => {
    run = await runVitest(vitest4, 'matchers', { args: ['--pool', pool], env: subjects[pool].env, timeoutMs: 300_000 })
  }, 300_000)

  test('leaky subjects fail with the leak report, clean ones pass', () => {
    checkSubjects(run, subjects[pool].names, 'runtime-flag')
  })
})

describe.each(matrix ? ['threads', 'vmThreads'] : ['vmThreads'])('Vitest 4, %s pool: per-test mode', (pool) => {
  let run: RunResult
  beforeAll(async () => {
    run = await runVitest(vitest4, 'each-test', { args: ['--pool', pool], timeoutMs: 400_000 })
  }, 400_000)

  test('eachTest: leaky tests fail with the report, clean pass, hooks run around every repeat, failures stay failures', () => {
    checkEachTestRun(run)
  })
})
