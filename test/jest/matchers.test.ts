// The matchers in real Jest 29 and 30 runs, and with the standalone `expect` package under node:test.

import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { describeRun, fixturesDir, installedVersion, majors, repoRoot, runJest } from './helpers.js'

describe.each(majors)('Jest %i: matchers', (major) => {
  test('toLeak and toBeCollected behave as documented', async ({ signal }) => {
    expect(installedVersion(major, 'jest')).toMatch(new RegExp(`^${major}\\.`))
    const run = await runJest({ major, fixture: 'matchers', signal })
    const why = describeRun(run)
    const result = (name: string) => {
      const found = run.byName.get(name)
      expect(found, `no result for "${name}"\n${why}`).toBeDefined()
      return found!
    }
    const failure = (name: string) => result(name).failureMessages.join('\n')

    expect(run.code, why).toBe(1)
    expect(run.json?.numTotalTests, why).toBe(7)

    expect(result('toBeCollected a dropped object, through a tracker, is collected').status, why).toBe('passed')

    const kept = 'toBeCollected a kept object fails with its retainer path'
    expect(result(kept).status, why).toBe('failed')
    expect(failure(kept)).toContain('Expected Object to be garbage-collected, but it is still reachable')
    expect(failure(kept)).toMatch(/registry/)

    // Jest's expect(value) holds `value` while the async matcher runs: the direct form cannot pass,
    // and the message says what to write instead.
    const direct = 'toBeCollected an object passed to expect() directly fails, naming trackCollection'
    expect(result(direct).status, why).toBe('failed')
    expect(failure(direct)).toContain('In Jest, expect(value) keeps `value` alive')
    expect(failure(direct)).toContain('trackCollection(value)')

    const thrown = 'toLeak an error thrown by the subject is reported as that error'
    expect(result(thrown).status, why).toBe('failed')
    expect(failure(thrown)).toContain('TypeError: database is down')
    expect(failure(thrown)).not.toContain('Expected the function not to leak')

    const typo = 'toLeak an unknown option is a usage error naming the options'
    expect(result(typo).status, why).toBe('failed')
    expect(failure(typo)).toContain('unknown option "iteratons"')
    expect(failure(typo)).toContain('Known options: warmup, iterations')

    // A check that outlives its test is aborted by the setup file's afterEach, so the next test
    // can measure instead of failing with "another leak measurement is already running".
    expect(result('toLeak a check that outlives its test timeout').status, why).toBe('failed')
    expect(failure('toLeak a check that outlives its test timeout')).toContain('Exceeded timeout of 300 ms')
    expect(result('toLeak the next check runs after a timed-out one').status, why).toBe('passed')
  }, 10 * 60_000)
})

test('node:test with the standalone expect package', async ({ signal }) => {
  const file = join(fixturesDir, 'standalone', 'expect-package.test.mjs')
  const child = spawn(process.execPath, ['--test', '--test-reporter=tap', file], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '', LEAKPROOF_RECORDS_DIR: '' },
    signal,
  })
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr.on('data', (c: Buffer) => (output += c.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  expect(output, output).toMatch(/^# pass 3$/m)
  expect(output, output).toMatch(/^# fail 0$/m)
  expect(code, output).toBe(0)
}, 5 * 60_000)
