// The whole verdict corpus (test/corpus/subjects.mjs) through `expect(fn).not.toLeak()` in a real
// Vitest 4 run, forks pool (the default), with the plugin and the reporter.
import { beforeAll, describe, test } from 'vitest'
import { allSubjects, checkSubjects } from './checks.js'
import { runVitest, vitest4, type RunResult } from './harness.js'

describe('Vitest 4, forks pool: every corpus subject through toLeak()', () => {
  let run: RunResult
  beforeAll(async () => {
    run = await runVitest(vitest4, 'matchers', { args: ['--pool', 'forks'], timeoutMs: 900_000 })
  }, 900_000)

  test('leaky subjects fail with the leak report, clean ones pass; report and table list them all', () => {
    checkSubjects(run, allSubjects, 'expose-gc')
  })
})
