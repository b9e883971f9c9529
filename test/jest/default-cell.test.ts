// The default test set's Jest cell: per-test mode (testEnvironment '@leakproof/jest/environment')
// on a TypeScript test file through ts-jest, Jest 30. One test of each outcome: a leak fails with
// the report, a clean test passes, a test's own failure stays that failure, a test that fails
// only when repeated gets its own error and an `error` record, an opt-out passes. The full
// matrix (both majors, hooks, snapshots, concurrency, JS) is each-test.test.ts and corpus.test.ts
// under LEAKPROOF_MATRIX=1.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import type { RunReport } from '../../packages/core/src/index.js'
import { describeRun, fixturesDir, installedVersion, runJest } from './helpers.js'

const work = mkdtempSync(join(tmpdir(), 'leakproof-default-cell-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** 1-based line of the only line of the fixture's test file containing `text`. */
function lineOf(text: string): number {
  const lines = readFileSync(join(fixturesDir, 'each-test-ts', 'cell.test.ts'), 'utf8').split('\n')
  const found = lines.flatMap((line, i) => (line.includes(text) ? [i + 1] : []))
  expect(found, text).toHaveLength(1)
  return found[0]!
}

test('Jest 30, TypeScript through ts-jest, per-test mode: leak, clean, own failure, repeat failure, opt-out', async ({ signal }) => {
  expect(installedVersion(30, 'jest')).toMatch(/^30\./)
  expect(installedVersion(30, 'ts-jest')).toMatch(/^29\./)
  const reportFile = join(work, 'report.json')
  const run = await runJest({
    major: 30,
    fixture: 'each-test-ts',
    // A worker process even for one file: Jest's own process ("in band") has a bigger heap (its
    // reporters, the file map), which makes heap samples noisier and snapshots slower.
    args: ['--workerIdleMemoryLimit=1GB'],
    signal,
    config: { reporters: ['default', ['@leakproof/jest/reporter', { outputFile: reportFile }]] },
  })
  const why = describeRun(run)
  const status = (title: string) => run.byName.get(`per-test ${title}`)?.status
  const failure = (title: string) => run.byName.get(`per-test ${title}`)?.failureMessages.join('\n') ?? ''

  expect(run.code, why).toBe(1)
  expect(run.json?.numTotalTests, why).toBe(6)

  // The leak: the report, framed for a whole test, pointing at the test's line in the .ts file.
  const leakyLine = lineOf("test('leaky: keeps a session per run'")
  expect(status('leaky: keeps a session per run'), why).toBe('failed')
  const leak = failure('leaky: keeps a session per run')
  expect(leak).toContain('leakproof: this test retains memory every time it runs.')
  expect(leak).toMatch(/It ran \d+ times \(its \d+ beforeEach\/afterEach hooks around every run\)/)
  expect(leak).toMatch(/^\s*Leak: the subject retained /m)
  expect(leak).toMatch(/\n\s+Object\s+[\d.]+\s/)
  expect(leak).toContain('Leave the test out with noLeakCheck(fn), skipLeakCheck() in its body')
  expect(leak).toContain(`cell.test.ts:${leakyLine}:`)

  expect(status('clean: afterEach releases what the test keeps'), `${failure('clean: afterEach releases what the test keeps')}\n${why}`).toBe(
    'passed',
  )

  // Its own failure, after one run: no leak verdict, no note.
  expect(status('own failure'), why).toBe('failed')
  expect(failure('own failure')).toContain('expect(received).toEqual(expected)')
  expect(failure('own failure')).not.toContain('leakproof')

  // Passed once, failed when repeated: its own assertion, with the note.
  expect(status('fails only when repeated'), why).toBe('failed')
  expect(failure('fails only when repeated')).toContain('expect(received).toBe(expected)')
  expect(failure('fails only when repeated')).toContain('the test passed its first run and failed on run 2')

  // A suite's tests are repeated before its afterAll hook closes what its beforeAll opened.
  expect(run.byName.get('with a connection queries it while open')?.status, why).toBe('passed')

  // Opted out: retains memory, runs once, passes.
  expect(status('opt-out: noLeakCheck(fn)'), why).toBe('passed')

  // Records, with the declaration line of each test in the TypeScript source.
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport
  expect(report.run).toMatchObject({ framework: 'jest', frameworkVersion: expect.stringMatching(/^30\./) })
  const records = report.tests.map(({ report: _report, ...rest }) => rest)
  expect(records.sort((a, b) => a.name.localeCompare(b.name)), why).toEqual([
    {
      file: 'cell.test.ts',
      name: 'per-test > clean: afterEach releases what the test keeps',
      line: lineOf("test('clean: afterEach releases"),
      verdict: 'clean',
      source: 'each-test',
    },
    {
      file: 'cell.test.ts',
      name: 'per-test > fails only when repeated',
      line: lineOf("test('fails only when repeated'"),
      verdict: 'error',
      source: 'each-test',
      error: expect.stringContaining('expect(received).toBe(expected)'),
    },
    { file: 'cell.test.ts', name: 'per-test > leaky: keeps a session per run', line: leakyLine, verdict: 'leak', source: 'each-test' },
    { file: 'cell.test.ts', name: 'with a connection > queries it while open', line: lineOf("test('queries it while open'"), verdict: 'clean', source: 'each-test' },
  ])
}, 5 * 60_000)
