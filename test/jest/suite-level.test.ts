// Suite-level mode (@leakproof/jest/suite): the files that leak the worker are named with what
// holds them; clean files — including the last one of the worker, checked at its end — are not.
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { describeRun, fixturesDir, majors, runJest } from './helpers.js'

interface FileRecord {
  file: string
  verdict: string
  failed: boolean
  holder?: string
  retainerPath?: string
  retainedBytes?: number
  heapUsedAfterGc?: number
  checkedAt?: string
}

const leaky: Record<string, { holder: string; path: RegExp }> = {
  'c-listener.test.js': { holder: 'listener', path: /_events.*resize.*redrawTable/ },
  // Node 22+: the channel's subscriber list; Node 20 finds a shorter route through a WeakMap entry.
  'd-registry.test.js': { holder: 'registry', path: /_subscribers.*recordQuery|WeakMap|part of key/ },
  'f-patched-fs.test.js': { holder: 'spy', path: /statSync \(spy\)/ },
  'g-interval.test.js': { holder: 'timer', path: /Timeout.*sweepCache/ },
}
// b: process.on in a Jest file registers on the file's own copy of process; e: Jest restores
// jest.spyOn at teardown; dd: unsubscribes; bb: first use of process.stdout in a test; h: the last file, checked when the worker ends.
const clean = ['a-clean.test.js', 'b-process-on.test.js', 'bb-stdout.test.js', 'dd-channel.test.js', 'e-jest-spy.test.js', 'h-clean.test.js']

test.each(majors)('Jest %i: the files that keep their world alive are named with their holder; clean files are not', async (major) => {
  const reportPath = join(fixturesDir, 'suite', 'leakproof-report.json')
  rmSync(reportPath, { force: true })
  const run = await runJest({ major, fixture: 'suite', timeoutMs: 120_000 })
  const why = describeRun(run)
  // Every test passes; the run fails because four files were not released.
  expect(run.json?.numFailedTests, why).toBe(0)
  expect(run.json?.numPassedTests, why).toBe(13)
  expect(run.code, why).toBe(1)
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { files?: FileRecord[] }
  rmSync(reportPath, { force: true })
  const files = report.files ?? []
  const byFile = new Map(files.map((f) => [f.file, f]))
  expect([...byFile.keys()].sort(), why).toEqual([...clean, ...Object.keys(leaky)].sort())
  for (const name of clean) {
    expect(byFile.get(name)?.verdict, `${name}\n${why}`).toBe('released')
    expect(run.output, why).not.toMatch(new RegExp(`test file ${name.replace('.', '\\.')} was not released`))
  }
  for (const [name, { holder, path }] of Object.entries(leaky)) {
    const record = byFile.get(name)
    expect(record?.verdict, `${name}\n${why}`).toBe('held')
    expect(record?.failed, name).toBe(true)
    expect(record?.holder, `${name}: ${record?.retainerPath}`).toBe(holder)
    expect(record?.retainerPath, name).toMatch(path)
    expect(record?.retainedBytes, name).toBeGreaterThan(100_000)
    expect(run.output, why).toContain(`test file ${name} was not released`)
  }
  // The worker's heap after GC, file by file.
  for (const f of files) expect(f.heapUsedAfterGc, f.file).toBeGreaterThan(1_000_000)
  expect(run.output, why).toMatch(/leakproof suite: 10 test files watched, 10 checked, 4 not released/)
})

test('Jest 30 in band, onLeak: "warn", an ignored file: the run passes, held files are reported, the ignored one is not, and the last file is checked by the reporter', async () => {
  const reportPath = join(fixturesDir, 'suite', 'leakproof-report.json')
  rmSync(reportPath, { force: true })
  const run = await runJest({
    major: 30,
    fixture: 'suite',
    args: ['--runInBand'],
    config: {
      workerIdleMemoryLimit: undefined,
      testEnvironmentOptions: { leakproofSuite: { onLeak: 'warn', ignore: { files: ['g-interval'] } } },
    },
    timeoutMs: 120_000,
  })
  const why = describeRun(run)
  expect(run.json?.numPassedTests, why).toBe(13)
  expect(run.code, why).toBe(0)
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { files?: (FileRecord & { note?: string })[] }
  rmSync(reportPath, { force: true })
  const byFile = new Map((report.files ?? []).map((f) => [f.file, f]))
  for (const name of ['c-listener.test.js', 'd-registry.test.js', 'f-patched-fs.test.js']) {
    expect(byFile.get(name)?.verdict, `${name}\n${why}`).toBe('held')
    expect(byFile.get(name)?.failed, name).toBe(false)
    expect(run.output, why).toContain(`test file ${name} was not released`)
  }
  // Ignored: recorded, not reported.
  expect(byFile.get('g-interval.test.js')?.note, why).toBe('ignored')
  expect(run.output, why).not.toContain('test file g-interval.test.js was not released')
  // In band the last file is checked in Jest's own process, by the reporter.
  expect(byFile.get('h-clean.test.js')?.verdict, why).toBe('released')
  expect(byFile.get('h-clean.test.js')?.checkedAt, why).toBe('worker-end')
  for (const name of clean) expect(byFile.get(name)?.verdict, `${name}\n${why}`).toBe('released')
})
