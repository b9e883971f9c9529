import { cpSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { mergeReports } from '../../packages/cli/src/merge.js'
import type { Report } from '../../packages/cli/src/validate.js'
import { ensureBuilt, fixtures, readJson, runCli, tempDir, writeJson } from './helpers.js'

beforeAll(() => ensureBuilt())

const load = (name: string) => readJson<Report>(join(fixtures, name))
const key = (t: { file: string; name: string; line?: number }) => `${t.file} > ${t.name} @${t.line}`

describe('merge', () => {
  test('the shards merge into the same records as the unsharded run, grouped by file', () => {
    const dir = tempDir()
    const r = runCli(['merge', 'shard-3.json', 'shard-1.json', 'shard-2.json', '--out', join(dir, 'merged.json')])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe(`leakproof: wrote ${join(dir, 'merged.json')}\nleakproof: merged 3 reports: 11 test records, 4 leaks\n`)
    const merged = readJson<Report>(join(dir, 'merged.json'))
    const whole = load('current.json')
    expect(merged.tests.map(key).sort()).toEqual(whole.tests.map(key).sort())
    // Sorted by file, then line.
    const files = merged.tests.map((t) => t.file)
    expect(files).toEqual([...files].sort())
    expect(merged.tests.filter((t) => t.file === 'test/api/health.test.ts').map((t) => t.name)).toEqual([
      'health > responds',
      'health > second matcher call',
    ])
    // Input order does not matter.
    const again = runCli(['merge', 'shard-1.json', 'shard-2.json', 'shard-3.json'])
    expect(JSON.parse(again.stdout).tests).toEqual(merged.tests)
  })

  test('run metadata: shard list, latest createdAt, no shard of its own', () => {
    const r = runCli(['merge', 'shard-1.json', 'shard-2.json', 'shard-3.json'])
    const merged = JSON.parse(r.stdout) as Report
    expect(merged.schemaVersion).toBe(1)
    expect(merged.createdAt).toBe('2025-06-02T10:00:03.000Z')
    expect(merged.run.shard).toBeUndefined()
    expect(merged.run.framework).toBe('vitest')
    expect(merged.run.shards).toEqual([
      { source: 'shard-1.json', shard: '1/3', createdAt: '2025-06-02T10:00:01.000Z', tests: 3 },
      { source: 'shard-2.json', shard: '2/3', createdAt: '2025-06-02T10:00:02.000Z', tests: 4 },
      { source: 'shard-3.json', shard: '3/3', createdAt: '2025-06-02T10:00:03.000Z', tests: 4 },
    ])
    // The merged report is itself a valid input.
    const dir = tempDir()
    writeJson(join(dir, 'merged.json'), merged)
    expect(runCli(['report', join(dir, 'merged.json'), '--format', 'json']).code).toBe(1)
  })

  test('the same test in two shards: kept once, from the shard where it leaks, with a warning', () => {
    const dir = tempDir()
    const a = load('shard-1.json')
    const b = structuredClone(a)
    b.run.shard = '2/3'
    // In b, the sessions test is clean and the health test leaks (copied report of the cache leak).
    b.tests = [
      { ...b.tests[0]!, verdict: 'clean', report: load('shard-1.json').tests[2]!.report },
      { ...b.tests[2]!, verdict: 'leak', report: a.tests[1]!.report },
    ]
    writeJson(join(dir, 'a.json'), a)
    writeJson(join(dir, 'b.json'), b)
    const r = runCli(['merge', 'a.json', 'b.json', '--out', 'm.json'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(
      'leakproof: warning: "test/api/sessions.test.ts > sessions > login handler keeps no session" is in 2 reports: a.json (leak), b.json (clean); keeping the one from a.json\n',
    )
    expect(r.stderr).toContain(
      'leakproof: warning: "test/api/health.test.ts > health > responds" is in 2 reports: a.json (clean), b.json (leak); keeping the one from b.json\n',
    )
    const merged = readJson<Report>(join(dir, 'm.json'))
    expect(merged.tests.map((t) => `${t.name}: ${t.verdict}`).sort()).toEqual([
      'cache > set: leak',
      'health > responds: leak',
      'sessions > login handler keeps no session: leak',
    ])
    expect(merged.run.shards!.map((s) => s.tests)).toEqual([2, 1])
    // Also the missing shard 3/3 is noticed.
    expect(r.stderr).toContain('shard 3/3 is missing: the merged report covers 2 of 3 shards')
  })

  test('in GitHub Actions, warnings are ::warning commands', () => {
    const r = runCli(['merge', 'shard-1.json', 'shard-3.json'], { env: { GITHUB_ACTIONS: 'true' } })
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('::warning title=leakproof::shard 2/3 is missing: the merged report covers 2 of 3 shards')
  })

  test('a shard given twice', () => {
    const r = runCli(['merge', 'shard-1.json', 'shard-1.json'])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('shard 1/3 appears 2 times (shard-1.json, shard-1.json)')
    expect(JSON.parse(r.stdout).tests).toHaveLength(3)
  })

  test('several records of one test inside one report are all kept', () => {
    const report = load('shard-1.json')
    report.tests.push({ ...report.tests[0]!, verdict: 'clean' })
    const { report: merged, warnings } = mergeReports([{ source: 'x.json', report }])
    expect(warnings.filter((w) => w.includes(' is in '))).toEqual([])
    expect(merged.tests.filter((t) => t.name === report.tests[0]!.name).map((t) => t.verdict)).toEqual(['leak', 'clean'])
  })

  test('empty reports are fine', () => {
    const r = runCli(['merge', 'empty.json', 'empty.json'])
    expect(r.code).toBe(0)
    const merged = JSON.parse(r.stdout) as Report
    expect(merged.tests).toEqual([])
    expect(merged.run.shards).toHaveLength(2)
    const withShard = runCli(['merge', 'empty.json', 'shard-2.json'])
    expect(withShard.code).toBe(0)
    expect(JSON.parse(withShard.stdout).tests).toHaveLength(4)
  })

  test('different frameworks and options are merged with warnings', () => {
    const a = load('shard-1.json')
    const b = load('shard-2.json')
    b.run.framework = 'jest'
    b.run.frameworkVersion = '30.0.0'
    b.run.options = { defaults: { warmup: 50 }, eachTest: false }
    const { report, warnings } = mergeReports([
      { source: 'a.json', report: a },
      { source: 'b.json', report: b },
    ])
    expect(report.run.framework).toBe('other')
    expect(report.run.frameworkVersion).toBe('4.1.12, 30.0.0')
    expect(report.run.options).toEqual(a.run.options)
    expect(warnings).toContain('the reports come from different test frameworks (vitest, jest); framework set to "other"')
    expect(warnings).toContain('b.json ran with different leak options than a.json; the merged report keeps those of a.json')
  })

  test('a directory stands for the reports under it (download-artifact layout)', () => {
    const dir = tempDir()
    for (const i of [1, 2, 3]) {
      mkdirSync(join(dir, 'shards', `leakproof-shard-${i}`), { recursive: true })
      cpSync(join(fixtures, `shard-${i}.json`), join(dir, 'shards', `leakproof-shard-${i}`, 'leakproof-report.json'))
    }
    const r = runCli(['merge', 'shards', '--out', 'merged.json', '--quiet'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    const merged = readJson<Report>(join(dir, 'merged.json'))
    expect(merged.tests).toHaveLength(11)
    expect(merged.run.shards!.map((s) => s.source)).toEqual([1, 2, 3].map((i) => join('shards', `leakproof-shard-${i}`, 'leakproof-report.json')))
    const empty = tempDir()
    const none = runCli(['merge', empty])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('the directory has no .json report files')
  })

  test('no inputs is a usage error', () => {
    const r = runCli(['merge', '--out', 'x.json'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^leakproof: merge: no input reports given\nUsage: leakproof merge/)
  })

  test('a progress line on stderr when reading many reports', () => {
    const dir = tempDir()
    const files = [1, 2, 3, 4, 5, 6].map((i) => {
      cpSync(join(fixtures, `shard-${((i - 1) % 3) + 1}.json`), join(dir, `r${i}.json`))
      return `r${i}.json`
    })
    const r = runCli(['merge', ...files, '--out', 'm.json'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^leakproof: reading 6 reports \(\d+\.\d KB\)…\nleakproof: read 6 reports \(\d+\.\d KB\) in \d+\.\ds, 22 test records\n/)
    const withProgress = readFileSync(join(dir, 'm.json'))
    expect(withProgress.toString()).toContain('"schemaVersion": 1')
    // --quiet silences it; fewer files show none.
    const quiet = runCli(['merge', ...files, '--out', 'm-quiet.json', '--quiet'], { cwd: dir })
    expect(quiet.code).toBe(0)
    expect(quiet.stderr).toBe('')
    expect(runCli(['merge', 'r1.json', 'r2.json'], { cwd: dir }).stderr).not.toContain('reading')
    // Byte-for-byte the same output whatever the progress setting: progress (forced or off) only
    // ever goes to stderr, never into the merged report, whether written to a file or to stdout.
    expect(readFileSync(join(dir, 'm-quiet.json')).equals(withProgress)).toBe(true)
    const forced = runCli(['merge', ...files, '--out', 'm-forced.json', '--progress'], { cwd: dir })
    expect(forced.stderr).toContain('leakproof: reading 6 reports')
    expect(readFileSync(join(dir, 'm-forced.json')).equals(withProgress)).toBe(true)
    const toStdout = runCli(['merge', ...files, '--progress'], { cwd: dir })
    expect(toStdout.code).toBe(0)
    expect(toStdout.stderr).toContain('leakproof: reading 6 reports')
    expect(Buffer.from(toStdout.stdout).equals(withProgress)).toBe(true)
  })
})
