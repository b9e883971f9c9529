// The reporter in real Jest runs with worker processes: records reach it through the records
// directory it puts in the environment, it prints the table and writes the JSON run report.
// Also the two ways to get a forced GC: `node --expose-gc jest` and the runtime fallback.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { RunReport } from '../../packages/core/src/index.js'
import { describeRun, type JestMajor, runJest } from './helpers.js'

const work = mkdtempSync(join(tmpdir(), 'leakproof-reporter-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const cases: Array<{ major: JestMajor; exposeGc: boolean }> = [
  { major: 29, exposeGc: true },
  { major: 30, exposeGc: false },
]

describe.each(cases)('Jest $major, exposeGc: $exposeGc', ({ major, exposeGc }) => {
  test('table at the end of the run and the JSON run report, from worker processes', async () => {
    const pidsFile = join(work, `pids-${major}.txt`)
    const reportFile = join(work, `report-${major}.json`)
    const run = await runJest({
      major,
      fixture: 'reporter',
      exposeGc,
      // Two files and two workers: the test files run in child processes, not in Jest's own.
      args: ['--maxWorkers=2'],
      env: { LEAKPROOF_FIXTURE_OUT: pidsFile },
      config: { reporters: ['default', ['@leakproof/jest/reporter', { outputFile: reportFile }]] },
    })
    const why = describeRun(run)
    expect(run.code, why).toBe(1)

    const pids = readFileSync(pidsFile, 'utf8').trim().split('\n').map(Number)
    expect(pids, why).toHaveLength(2)
    expect(pids, 'test files ran in workers').not.toContain(run.pid)

    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport
    expect(report).toMatchObject({ schemaVersion: 1, tool: 'leakproof', run: { framework: 'jest', node: process.version } })
    expect(report.run.frameworkVersion).toMatch(new RegExp(`^${major}\\.`))
    const byName = new Map(report.tests.map((t) => [t.name, t]))
    expect([...byName.keys()].sort(), why).toEqual([
      'JSON round trip is clean',
      'session cache reads are clean',
      'session cache stores every session forever',
    ])
    const leak = byName.get('session cache stores every session forever')!
    expect(leak).toMatchObject({ file: 'cache.test.js', verdict: 'leak', source: 'matcher' })
    expect(leak.report?.leaked).toBe(true)
    expect(leak.report?.retainedTypes[0]?.name).toBe('Session')
    expect(byName.get('session cache reads are clean')?.verdict).toBe('clean')
    expect(byName.get('JSON round trip is clean')).toMatchObject({ file: 'parse.test.js', verdict: 'clean' })
    // Which GC the workers used: the flag when Jest was launched with it, else the runtime fallback.
    for (const record of report.tests) {
      expect(record.report?.runtime.gc, record.name).toBe(exposeGc ? 'expose-gc' : 'runtime-flag')
    }

    // The table: leaks first, with bytes per call and the top retained type.
    const table = run.output.slice(run.output.indexOf('leakproof: 3 leak checks (1 leak, 2 clean)'))
    expect(table, why).toMatch(/^leakproof: 3 leak checks \(1 leak, 2 clean\)$/m)
    const rows = table.split('\n').slice(1, 5)
    expect(rows[0]).toMatch(/^\s+test\s+verdict\s+bytes\/call\s+top retained$/)
    expect(rows[1]).toMatch(/cache\.test\.js › session cache stores every session forever\s+LEAK\s+[\d.]+ (B|KB)\s+Session \([\d.]+\/call\)/)
    expect(rows[2]).toMatch(/\s+clean\s+/)
    expect(rows[3]).toMatch(/\s+clean\s+/)
    expect(table).toContain(`Report: ${reportFile}`)
  })
})

test('reporter options are checked', async () => {
  const run = await runJest({
    major: 30,
    fixture: 'reporter',
    args: ['parse.test.js'],
    config: { reporters: ['default', ['@leakproof/jest/reporter', { outputFle: 'x.json' }]] },
  })
  expect(run.code).toBe(1)
  expect(run.output).toContain('@leakproof/jest/reporter: unknown option "outputFle". Known options: outputFile, table, color')
})
