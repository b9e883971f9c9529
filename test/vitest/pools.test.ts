// The thread pools, where --expose-gc cannot be passed and the engine turns GC on at run time:
// one leaky and one clean corpus subject per pattern through toLeak(), and per-test mode.
import { beforeAll, describe, test } from 'vitest'
import { checkEachTestRun, checkSubjects, subset, subsetEnv } from './checks.js'
import { runVitest, vitest4, type RunResult } from './harness.js'

describe.each(['threads', 'vmThreads'])('Vitest 4, %s pool: one leaky and one clean subject per corpus pattern through toLeak()', (pool) => {
  let run: RunResult
  beforeAll(async () => {
    run = await runVitest(vitest4, 'matchers', { args: ['--pool', pool], env: subsetEnv, timeoutMs: 300_000 })
  }, 300_000)

  test('leaky subjects fail with the leak report, clean ones pass', () => {
    checkSubjects(run, subset, 'runtime-flag')
  })
})

describe.each(['threads', 'vmThreads'])('Vitest 4, %s pool: per-test mode', (pool) => {
  let run: RunResult
  beforeAll(async () => {
    run = await runVitest(vitest4, 'each-test', { args: ['--pool', pool], timeoutMs: 400_000 })
  }, 400_000)

  test('eachTest: leaky tests fail with the report, clean pass, hooks run around every repeat, failures stay failures', () => {
    checkEachTestRun(run)
  })
})
