// Per-test mode in a real Vitest 4 run: every test checked (`eachTest: true`), and opt-in only.
import { beforeAll, describe, test } from 'vitest'
import { checkEachTestRun, checkOptInRun } from './checks.js'
import { runVitest, vitest4, type RunResult } from './harness.js'

describe('Vitest 4: per-test mode', () => {
  let each: RunResult
  let optIn: RunResult
  beforeAll(async () => {
    ;[each, optIn] = await Promise.all([
      runVitest(vitest4, 'each-test', { timeoutMs: 400_000 }),
      runVitest(vitest4, 'each-test', { args: ['--config', 'vitest.optin.config.ts'], timeoutMs: 400_000 }),
    ])
  }, 400_000)

  test('eachTest: leaky tests fail with the report, clean pass, hooks run around every repeat, failures stay failures', () => {
    checkEachTestRun(each)
  })

  test('opt-in: leakTest, meta, checkEachTest() select tests; options reach the engine', () => {
    checkOptInRun(optIn)
  })
})
