// The reporter in real Jest runs with worker processes: records reach it through the records
// directory it puts in the environment, it prints the table and writes the JSON run report.
// Also the two ways to get a forced GC: `node --expose-gc jest` and the runtime fallback.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { RunReport } from '../../packages/core/src/index.js'
import { describeRun, fixturesDir, type JestMajor, runJest } from './helpers.js'

/** 1-based line of the only line of a reporter fixture file containing `text`. */
function fixtureLine(file: string, text: string): number {
  const lines = readFileSync(join(fixturesDir, 'reporter', file), 'utf8').split('\n')
  const found = lines.flatMap((line, i) => (line.includes(text) ? [i + 1] : []))
  expect(found, `${file}: ${text}`).toHaveLength(1)
  return found[0]!
}

const work = mkdtempSync(join(tmpdir(), 'leakproof-reporter-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const cases: Array<{ major: JestMajor; exposeGc: boolean }> = [
  { major: 29, exposeGc: true },
  { major: 30, exposeGc: false },
]

describe.each(cases)('Jest $major, exposeGc: $exposeGc', ({ major, exposeGc }) => {
  test('table at the end of the run and the JSON run report, from worker processes', async ({ signal }) => {
    const pidsFile = join(work, `pids-${major}.txt`)
    const reportFile = join(work, `report-${major}.json`)
    const run = await runJest({
      major,
      fixture: 'reporter',
      exposeGc,
      // Two files and two workers: the test files run in child processes, not in Jest's own.
      args: ['--maxWorkers=2'],
      env: { LEAKPROOF_FIXTURE_OUT: pidsFile },
      signal,
      config: { reporters: ['default', ['@leakproof/jest/reporter', { outputFile: reportFile }]] },
    })
    const why = describeRun(run)
    expect(run.code, why).toBe(1)

    const pids = readFileSync(pidsFile, 'utf8').trim().split('\n').map(Number)
    expect(pids, why).toHaveLength(2)
    expect(pids, 'test files ran in workers').not.toContain(run.pid)

    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport
    expect(report).toMatchObject({ schemaVersion: 2, tool: 'leakproof', run: { framework: 'jest', node: process.version } })
    expect(report.run.frameworkVersion).toMatch(new RegExp(`^${major}\\.`))
    const byName = new Map(report.tests.map((t) => [t.name, t]))
    // Matcher records are named like per-test ones: describe blocks and title joined with ' > '.
    expect([...byName.keys()].sort(), why).toEqual([
      'JSON round trip is clean',
      'session cache > reads are clean',
      'session cache > stores every session forever',
    ])
    const leak = byName.get('session cache > stores every session forever')!
    // Each record has the line of its expect(...).not.toLeak() call (a GitHub annotation's line).
    expect(leak).toMatchObject({ file: 'cache.test.js', verdict: 'leak', source: 'matcher', line: fixtureLine('cache.test.js', '}).not.toLeak(options)') })
    expect(byName.get('session cache > reads are clean')?.line).toBe(fixtureLine('cache.test.js', "includes('user')).not.toLeak"))
    expect(byName.get('JSON round trip is clean')?.line).toBe(fixtureLine('parse.test.js', '.not.toLeak('))
    // The failing test shows Jest's matcher header, then the report.
    expect(run.byName.get('session cache stores every session forever')?.failureMessages.join('\n')).toMatch(
      /^Error: expect\(fn\)\.not\.toLeak\(options\)\n\nExpected the function not to leak, but it did\.\n\n/,
    )
    expect(leak.report?.leaked).toBe(true)
    expect(leak.report?.retainedTypes.map((t) => t.name)).toContain('Session')
    expect(byName.get('session cache > reads are clean')?.verdict).toBe('clean')
    expect(byName.get('JSON round trip is clean')).toMatchObject({ file: 'parse.test.js', verdict: 'clean' })
    // Which GC the workers used: the flag when Jest was launched with it, else the runtime fallback.
    for (const record of report.tests) {
      expect(record.report?.runtime.gc, record.name).toBe(exposeGc ? 'expose-gc' : 'runtime-flag')
    }

    // The table (core's formatRecordsTable): leaks first, bytes per call, top retained type.
    const table = run.output.slice(run.output.lastIndexOf('\nleakproof\n') + 1)
    const lines = table.split('\n')
    expect(lines[0], why).toBe('leakproof')
    expect(lines[1]).toMatch(/^\s+test\s+verdict\s+heap\/call\s+external\/call\s+top retained type$/)
    expect(lines[2]).toMatch(/^\s+cache\.test\.js > session cache > stores every session forever\s+leak\s+[\d.]+ (B|KB)\s+\S+ B\s+\w+ \+[\d.]+\/call$/)
    expect(lines[3]).toMatch(/\s+clean\s+/)
    expect(lines[4]).toMatch(/\s+clean\s+/)
    expect(table).toContain('3 tests: 1 leak, 2 clean, 0 errors, 0 skipped.')
    expect(table).toContain(`Report: ${reportFile}`)
  }, 10 * 60_000)
})

test('reporter options are checked', async ({ signal }) => {
  const run = await runJest({
    major: 30,
    signal,
    fixture: 'reporter',
    args: ['parse.test.js'],
    config: { reporters: ['default', ['@leakproof/jest/reporter', { outputFle: 'x.json' }]] },
  })
  expect(run.code).toBe(1)
  expect(run.output).toContain('@leakproof/jest/reporter: unknown option "outputFle". Known options: outputFile, table, color')
})
