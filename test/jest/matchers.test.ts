// The matchers in real Jest 29 and 30 runs, and with the standalone `expect` package under node:test.

import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { describeRun, fixturesDir, installedVersion, majors, repoRoot, runJest } from './helpers.js'

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*m/g

describe.each(majors)('Jest %i: matchers', (major) => {
  test('toLeak and toBeCollected behave as documented', async ({ signal }) => {
    expect(installedVersion(major, 'jest')).toMatch(new RegExp(`^${major}\\.`))
    // --colors: Jest's matcherHint colors its header, which shows the matchers format with this.utils.
    const run = await runJest({ major, fixture: 'matchers', args: ['--colors'], signal })
    const why = describeRun(run)
    const result = (name: string) => {
      const found = run.byName.get(name)
      expect(found, `no result for "${name}"\n${why}`).toBeDefined()
      return found!
    }
    const rawFailure = (name: string) => result(name).failureMessages.join('\n')
    const failure = (name: string) => rawFailure(name).replace(ansi, '')

    expect(run.code, why).toBe(1)
    expect(run.json?.numTotalTests, why).toBe(9)

    expect(result('toBeCollected a dropped object, through a tracker, is collected').status, why).toBe('passed')

    const kept = 'toBeCollected a kept object fails with its retainer path'
    expect(result(kept).status, why).toBe('failed')
    expect(failure(kept)).toMatch(/^Error: expect\(value\)\.toBeCollected\(\)\n\nExpected Object to be garbage-collected, but it is still reachable:\n/)
    expect(failure(kept)).toMatch(/ → registry \(Array\) → \[0\] → Object\n/)
    // The header is Jest's matcherHint (dim `expect(`, red received), not core's plain fallback.
    expect(rawFailure(kept)).toContain('\u001b[2mexpect(\u001b[22m\u001b[31mvalue\u001b[39m\u001b[2m).\u001b[22mtoBeCollected')

    // Jest's expect(value) holds `value` while the async matcher runs: the direct form cannot pass,
    // and the message says what to write instead.
    const direct = 'toBeCollected an object passed to expect() directly fails, naming trackCollection'
    expect(result(direct).status, why).toBe('failed')
    expect(failure(direct)).toContain('expect(value) keeps `value` alive until the assertion settles, so pass a tracker')
    expect(failure(direct)).toContain('trackCollection(value)')

    const thrown = 'toLeak an error thrown by the subject is reported as that error'
    expect(result(thrown).status, why).toBe('failed')
    expect(failure(thrown)).toContain('TypeError: database is down')
    expect(failure(thrown)).not.toContain('Expected the function not to leak')

    const typo = 'toLeak an unknown option is a usage error naming the options'
    expect(result(typo).status, why).toBe('failed')
    expect(failure(typo)).toContain('unknown option "iteratons"')
    expect(failure(typo)).toContain('Known options: warmup, calls')

    // A check that outlives its test is aborted by the setup file's afterEach, so the next test
    // can measure instead of failing with "another leak measurement is already running".
    expect(result('toLeak a check that outlives its test timeout').status, why).toBe('failed')
    expect(failure('toLeak a check that outlives its test timeout')).toContain('Exceeded timeout of 300 ms')
    expect(result('toLeak the next check runs after a timed-out one').status, why).toBe('passed')

    // toLeak() without .not: passes for a leaky function, fails for a clean one, in Jest's format.
    expect(result('toLeak without .not a leaky function passes').status, why).toBe('passed')
    const clean = 'toLeak without .not a clean function fails, saying it did not leak'
    expect(result(clean).status, why).toBe('failed')
    expect(failure(clean)).toMatch(/^Error: expect\(fn\)\.toLeak\(options\)\n\nExpected the function to leak, but it did not\.\n\nNo leak: /)
    expect(rawFailure(clean)).toContain('\u001b[2mexpect(\u001b[22m\u001b[31mfn\u001b[39m\u001b[2m).\u001b[22mtoLeak\u001b[2m(\u001b[22m\u001b[32moptions\u001b[39m')
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
