// Reports written by the real adapters, through the CLI: the other CLI tests read fixture reports
// (test/cli/fixtures); these run the Jest and Vitest reporters on small existing fixture projects
// (with the test/jest and test/vitest helpers) and check that what they write validates against the
// schema and goes through `leakproof report`, `merge` and `compare`, including real
// `jest --shard=1/2` + `--shard=2/2` and `vitest --shard=1/2` + `--shard=2/2` pairs.
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { validateRunReport, type Report } from '../../packages/cli/src/validate.js'
import { describeRun, runJest, type JestRun } from '../jest/helpers.js'
import { digest, runVitest, vitest4, type RunResult } from '../vitest/harness.js'
import { ensureBuilt, readJson, runCli, tempDir } from './helpers.js'

const work = tempDir('leakproof-adapter-reports-')
const jestShard = (i: number) => join(work, 'jest', `shard-${i}.json`)

let jestRuns: JestRun[]
let vitestRuns: RunResult[]
const vitestShard = (i: number) => join(vitestRuns[i - 1]!.outDir, 'leakproof.json')

beforeAll(async () => {
  ensureBuilt()
  const shardRun = (i: number) =>
    runJest({
      major: 30,
      fixture: 'reporter',
      // Two test files, one per shard. Per-test mode is switched on (the leakproof environment)
      // but excludes every test, so run.options has something to record at no extra cost.
      args: [`--shard=${i}/2`],
      config: {
        testEnvironment: '@leakproof/jest/environment',
        testEnvironmentOptions: { leakproof: { exclude: ['/./'], timeout: 100_000 } },
        reporters: ['default', ['@leakproof/jest/reporter', { outputFile: jestShard(i) }]],
      },
      timeoutMs: 240_000,
    })
  // Per-test mode off, tests in two files opting in (each-test/optin): the plugin adds the reporter.
  const vitestShardRun = (i: number) =>
    runVitest(vitest4, 'each-test', { args: ['--config', 'vitest.optin.config.ts', `--shard=${i}/2`], timeoutMs: 240_000 })
  ;[jestRuns, vitestRuns] = await Promise.all([
    Promise.all([shardRun(1), shardRun(2)]),
    Promise.all([vitestShardRun(1), vitestShardRun(2)]),
  ])
}, 300_000)
afterAll(() => {
  rmSync(work, { recursive: true, force: true })
  for (const run of vitestRuns ?? []) rmSync(run.outDir, { recursive: true, force: true })
})

function reportOf(path: string, why: string): Report {
  const text = (() => {
    try {
      return readFileSync(path, 'utf8')
    } catch {
      throw new Error(`no report at ${path}\n${why}`)
    }
  })()
  const result = validateRunReport(JSON.parse(text))
  if (!result.ok) throw new Error(`${path} does not validate:\n${result.errors.join('\n')}\n${why}`)
  return result.report
}

describe('Jest reporter, sharded: jest --shard=1/2 and --shard=2/2', () => {
  test('each shard writes a valid report with its shard, the Jest version and the options in effect', () => {
    const records: string[] = []
    for (const i of [1, 2]) {
      const why = describeRun(jestRuns[i - 1]!)
      const report = reportOf(jestShard(i), why)
      expect(report.run, why).toMatchObject({ framework: 'jest', shard: `${i}/2`, node: process.version, platform: `${process.platform}-${process.arch}` })
      expect(report.run.frameworkVersion).toMatch(/^30\./)
      expect(report.run.options).toEqual({ eachTest: true, eachTestOptions: { timeout: 100_000 }, exclude: ['/./'] })
      records.push(...report.tests.map((t) => `${t.file} > ${t.name}: ${t.verdict} (${t.source})`))
    }
    // Each file ran in exactly one shard.
    expect(records.sort()).toEqual([
      'cache.test.js > session cache > reads are clean: clean (matcher)',
      'cache.test.js > session cache > stores every session forever: leak (matcher)',
      'parse.test.js > JSON round trip is clean: clean (matcher)',
    ])
  })

  test('leakproof report: every format renders; the exit code follows the shard with the leak', () => {
    for (const i of [1, 2]) {
      const report = readJson<Report>(jestShard(i))
      const leaks = report.tests.filter((t) => t.verdict === 'leak').length
      for (const format of ['console', 'markdown', 'github', 'html', 'json']) {
        const r = runCli(['report', jestShard(i), '--format', format])
        expect(r.stderr, `${format}: ${r.stderr}`).toBe('')
        expect(r.code, format).toBe(leaks ? 1 : 0)
      }
    }
  })

  test('leakproof merge of the two shards: one valid report, no warnings, then compare and report', () => {
    const merged = join(work, 'jest', 'merged.json')
    const m = runCli(['merge', jestShard(1), jestShard(2), '--out', merged])
    expect(m.code, m.stderr).toBe(0)
    // No duplicate-test or missing-shard warning: the pair is complete.
    expect(m.stderr).toBe(`leakproof: wrote ${merged}\nleakproof: merged 2 reports: 3 test records, 1 leak\n`)
    const report = reportOf(merged, m.stderr)
    expect(report.run.framework).toBe('jest')
    expect(report.run.shard).toBeUndefined()
    expect(report.run.shards!.map((s) => s.shard).sort()).toEqual(['1/2', '2/2'])
    expect(report.run.options).toEqual({ eachTest: true, eachTestOptions: { timeout: 100_000 }, exclude: ['/./'] })
    expect(report.tests.map((t) => t.file)).toEqual(['cache.test.js', 'cache.test.js', 'parse.test.js'])

    const r = runCli(['report', merged, '--format', 'json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({ totals: { leak: 1, clean: 2, error: 0, skipped: 0 } })
    // Against itself as the baseline: the leak is known, so the gate passes.
    const c = runCli(['compare', '--baseline', merged, merged, '--format', 'json'])
    expect(c.code, c.stdout + c.stderr).toBe(0)
  })
})

describe('Vitest reporter (added by the plugin), per-test mode opt-in, vitest --shard=1/2 and --shard=2/2', () => {
  test('each shard writes a valid report with its shard, the plugin options and per-test records', () => {
    const files: string[] = []
    for (const i of [1, 2]) {
      const why = digest(vitestRuns[i - 1]!)
      const report = reportOf(vitestShard(i), why)
      expect(report.run, why).toMatchObject({ framework: 'vitest', frameworkVersion: vitest4.version, shard: `${i}/2`, node: process.version })
      expect(report.run.options).toEqual({ defaults: { timeout: 240_000 }, eachTest: false })
      expect(report.tests.length, why).toBeGreaterThan(0)
      expect(report.tests.every((t) => t.source === 'each-test')).toBe(true)
      files.push(...new Set(report.tests.map((t) => t.file)))
    }
    // One file per shard, both checked.
    expect(files.sort()).toEqual(['optin/file-level.test.ts', 'optin/opt-in.test.ts'])
  })

  test('leakproof merge of the shards, then report (HTML with plots) and compare', () => {
    const merged = join(work, 'vitest-merged.json')
    const m = runCli(['merge', vitestShard(1), vitestShard(2), '--out', merged, '--quiet'])
    expect(m.code, m.stderr).toBe(0)
    const report = reportOf(merged, m.stderr)
    expect(report.run.shards!.map((s) => s.shard).sort()).toEqual(['1/2', '2/2'])
    expect(report.run.options).toEqual({ defaults: { timeout: 240_000 }, eachTest: false })
    const count = readJson<Report>(vitestShard(1)).tests.length + readJson<Report>(vitestShard(2)).tests.length
    expect(report.tests).toHaveLength(count)
    expect(report.tests.some((t) => t.verdict === 'leak' && t.report!.samples.iteration.length > 0)).toBe(true)

    const html = runCli(['report', merged, '--format', 'html'])
    expect(html.stderr).toBe('')
    expect(html.code).toBe(1)
    expect(html.stdout).toMatch(/<svg class="plot"/)
    const c = runCli(['compare', '--baseline', merged, merged])
    expect(c.code, c.stdout + c.stderr).toBe(0)

    // Jest and Vitest reports in one merge: a valid report of framework "other".
    const mixed = join(work, 'mixed.json')
    const mm = runCli(['merge', jestShard(1), jestShard(2), merged, '--out', mixed, '--quiet'])
    expect(mm.code, mm.stderr).toBe(0)
    const all = reportOf(mixed, mm.stderr)
    expect(all.run.framework).toBe('other')
    expect(all.tests).toHaveLength(3 + count)
  })
})
