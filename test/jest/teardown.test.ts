// Jest 30 soft-deletes what a test file put on its global when the environment is torn down, and
// warns (JEST-01 DeprecationWarning) when anything reads it afterwards, such as `expect`'s state
// (a matcher settling after teardown). Per-test mode's paths must not.
import { expect, test } from 'vitest'
import { describeRun, runJest } from './helpers.js'

test('Jest 30 per-test mode reads nothing of a test file\'s global after teardown', async ({ signal }) => {
  const run = await runJest({
    major: 30,
    fixture: 'teardown',
    signal,
    config: { reporters: ['default', ['@leakproof/jest/reporter', { outputFile: false }]] },
  })
  const why = describeRun(run)
  // The leak fails; the rest pass.
  expect(run.code, why).toBe(1)
  expect(run.json?.numTotalTests, why).toBe(4)
  expect(run.byName.get('leaky: keeps a session per run')?.status, why).toBe('failed')
  expect(run.json?.numPassedTests, why).toBe(3)
  expect(run.stderr, why).not.toMatch(/JEST-01|soft deleted/)
})
