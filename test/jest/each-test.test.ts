// Per-test mode (testEnvironment: '@leakproof/jest/environment') in real Jest 29 and 30 runs.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { RunReport } from '../../packages/core/src/index.js'
import { groupCalls, groupWarmup } from '../../packages/core/src/matchers/fit.js'
import { describeRun, majors, runJest } from './helpers.js'

const work = mkdtempSync(join(tmpdir(), 'leakproof-each-test-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

type Counts = Record<string, { before: number; after: number; body: number }>

describe.each(majors)('Jest %i: per-test mode', (major) => {
  test('repeats every test with its hooks and fails the ones that retain memory', async ({ signal }) => {
    const countsFile = join(work, `counts-${major}.json`)
    const reportFile = join(work, `report-${major}.json`)
    const run = await runJest({
      major,
      fixture: 'each-test',
      env: { LEAKPROOF_FIXTURE_OUT: countsFile },
      signal,
      config: {
        reporters: ['default', ['@leakproof/jest/reporter', { outputFile: reportFile }]],
        // Jest 30's node environment warns about this value; Jest 29's ignores it. Proves the
        // leakproof environment extends the running major's jest-environment-node.
        testEnvironmentOptions: { leakproof: { exclude: ['excluded by config'], timeout: 100_000 }, globalsCleanup: 'bogus' },
      },
    })
    const why = describeRun(run)
    const status = (title: string) => run.byName.get(`per-test ${title}`)?.status
    const failure = (title: string) => run.byName.get(`per-test ${title}`)?.failureMessages.join('\n') ?? ''
    const counts = JSON.parse(readFileSync(countsFile, 'utf8')) as Counts
    const runs = (title: string) => counts[`per-test ${title}`]

    expect(run.code, why).toBe(1)

    // The leaky test fails with the report, pointing at the test and what it keeps.
    expect(status('leaky: keeps a session per run'), why).toBe('failed')
    const leak = failure('leaky: keeps a session per run')
    expect(leak).toContain('leakproof: this test retains memory every time it runs.')
    expect(leak).toMatch(/It ran (\d+) times \(its \d+ beforeEach\/afterEach hooks around every run\)/)
    expect(leak).toMatch(/^\s*Leak: the subject retained /m)
    expect(leak).toMatch(/sessions/)
    expect(leak).toContain('each.test.js:26')
    const ranTimes = Number(/It ran (\d+) times/.exec(leak)![1])
    // Its own check's runs, after the screens of its group that led to it.
    expect(runs('leaky: keeps a session per run')?.body).toBeGreaterThanOrEqual(ranTimes)

    // Clean tests pass, including ones that only stay clean because hooks run around every repeat
    // (afterEach empties `scratch`; Jest's clearMocks root hook resets the mock's call count).
    for (const title of [
      'clean: temporaries only',
      'clean: afterEach releases what the test keeps',
      'clean: mock calls are cleared before every repeat',
      'clean: async with a done callback',
      'clean: expect.assertions counts one run',
    ]) {
      expect(status(title), `${title}\n${failure(title)}\n${why}`).toBe('passed')
      const c = runs(title)!
      // Repeated (at least a group screen's warm-up + measured runs), with the hooks around every single run.
      expect(c.body, title).toBeGreaterThan(groupWarmup + groupCalls)
      expect(c.before, title).toBe(c.body)
      expect(c.after, title).toBe(c.body)
    }

    // A test failing its own assertion is reported as itself, after one run, never measured.
    expect(status('own failure'), why).toBe('failed')
    expect(failure('own failure')).toContain('expect(received).toEqual(expected)')
    expect(failure('own failure')).not.toContain('leakproof')
    expect(runs('own failure')).toEqual({ before: 1, after: 1, body: 1 })

    // A test that fails only when repeated: its own assertion error, saying so.
    expect(status('fails only when repeated'), why).toBe('failed')
    expect(failure('fails only when repeated')).toContain('expect(received).toBe(expected)')
    expect(failure('fails only when repeated')).toContain('the test passed its first run and failed on run 2')
    // Its first run, the run of its group's screen that threw (unless the group was split unscreened)
    // and the first repeat of its own check, which reports the error.
    expect(runs('fails only when repeated')?.body).toBeGreaterThanOrEqual(2)
    expect(runs('fails only when repeated')?.body).toBeLessThanOrEqual(3)

    // Opt-outs run once and pass although they keep data.
    for (const title of ['opt-out: skipLeakCheck()', 'opt-out: noLeakCheck(fn)', 'excluded by config']) {
      expect(status(title), `${title}\n${why}`).toBe('passed')
      expect(runs(title), title).toEqual({ before: 1, after: 1, body: 1 })
    }

    // A test that measures itself is not repeated on top.
    expect(status('measures itself with toLeak'), why).toBe('passed')
    expect(runs('measures itself with toLeak')?.body).toBe(1)

    // test.concurrent is refused before its body runs.
    expect(status('concurrent'), why).toBe('failed')
    expect(failure('concurrent')).toContain('LeakproofUsageError: per-test leak mode cannot check test.concurrent ("per-test > concurrent")')
    expect(runs('concurrent')).toBeUndefined()

    if (major === 30) expect(run.output).toContain('testEnvironmentOptions.globalsCleanup')
    else expect(run.output).not.toContain('globalsCleanup')

    // The reporter got one 'each-test' record per measured or skipped test.
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport
    expect(report.run.framework).toBe('jest')
    expect(report.run.frameworkVersion).toMatch(new RegExp(`^${major}\\.`))
    const records = new Map(report.tests.filter((t) => t.source === 'each-test').map((t) => [t.name, t]))
    expect(records.get('per-test > leaky: keeps a session per run')).toMatchObject({ verdict: 'leak', line: 26 })
    expect(records.get('per-test > clean: temporaries only')?.verdict).toBe('clean')
    expect(records.get('per-test > opt-out: skipLeakCheck()')?.verdict).toBe('skipped')
    expect(records.has('per-test > own failure')).toBe(false)
    // A test that failed only when repeated: an 'error' record with its own error (as in Vitest).
    expect(records.get('per-test > fails only when repeated')).toMatchObject({
      verdict: 'error',
      error: expect.stringContaining('expect(received).toBe(expected)'),
    })
    // The test that measured itself has its matcher record, under the same naming.
    expect(report.tests.find((t) => t.name === 'per-test > measures itself with toLeak')).toMatchObject({ source: 'matcher', verdict: 'clean' })
    expect(run.output).toMatch(/^\s+\d+ tests: 1 leak, \d+ clean, 1 error, /m)
  }, 10 * 60_000)
})
