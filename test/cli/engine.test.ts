// Fresh reports from the real engine (not the committed fixtures) must validate against the
// schema and render in every format: this catches the engine and the CLI drifting apart.
import { join } from 'node:path'
import { createRunReport, measureLeak, type TestLeakRecord } from '@leakproof/core'
import { beforeAll, expect, test } from 'vitest'
import { validateRunReport } from '../../packages/cli/src/validate.js'
import { ensureBuilt, runCli, tempDir, writeJson } from './helpers.js'

beforeAll(() => ensureBuilt())

test('measureLeak output → createRunReport → the CLI', async () => {
  const keep: object[] = []
  const leaky = await measureLeak(() => keep.push({}))
  const clean = await measureLeak(() => ({}))
  const tests: TestLeakRecord[] = [
    { file: 'test/a.test.ts', name: 'keeps objects', line: 3, verdict: leaky.leaked ? 'leak' : 'clean', source: 'matcher', report: leaky },
    { file: 'test/a.test.ts', name: 'lets go', line: 9, verdict: clean.leaked ? 'leak' : 'clean', source: 'matcher', report: clean },
  ]
  const report = createRunReport({ framework: 'vitest', frameworkVersion: 'test', node: process.version, platform: process.platform }, tests)
  const roundTripped = JSON.parse(JSON.stringify(report))
  const result = validateRunReport(roundTripped)
  expect(result.ok ? [] : result.errors).toEqual([])

  const dir = tempDir()
  writeJson(join(dir, 'report.json'), report)
  const leaks = tests.filter((t) => t.verdict === 'leak').length
  for (const format of ['console', 'markdown', 'github', 'html', 'json']) {
    const r = runCli(['report', 'report.json', '--format', format], { cwd: dir })
    expect(r.stderr, format).toBe('')
    expect(r.code, format).toBe(leaks ? 1 : 0)
  }
  const json = JSON.parse(runCli(['report', 'report.json', '--format', 'json'], { cwd: dir }).stdout)
  expect(json.totals.tests).toBe(2)
  expect(json.totals.leak).toBe(leaks)
  // The leaky subject is a textbook leak; the engine should see it (the verdict is the engine's
  // business, but a CLI fed only clean reports would test little).
  expect(leaky.leaked).toBe(true)
  expect(clean.leaked).toBe(false)
})

test('createRunReport: run metadata defaults and run.options made JSON-safe, projects collapsed when they agree', () => {
  const signal = new AbortController().signal
  const options = {
    defaults: { timeout: 1000, ignore: { types: ['Cache', /^Compiled/i] }, signal, onProgress: () => {}, threshold: Number.NaN },
    eachTest: true,
    eachTestOptions: { iterations: 100 },
  }
  const report = createRunReport({ framework: 'jest', frameworkVersion: '30.0.0', shard: '1/2', options }, [])
  expect(report.run).toEqual({
    framework: 'jest',
    frameworkVersion: '30.0.0',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    shard: '1/2',
    options: { defaults: { timeout: 1000, ignore: { types: ['Cache', '/^Compiled/i'] } }, eachTest: true, eachTestOptions: { iterations: 100 } },
  })
  expect(JSON.parse(JSON.stringify(report))).toEqual(report)
  expect(validateRunReport(JSON.parse(JSON.stringify(report))).ok).toBe(true)

  const same = createRunReport({ framework: 'vitest', frameworkVersion: '4', options: [{ project: 'a', eachTest: false }, { project: 'b', eachTest: false }] }, [])
  expect(same.run.options).toEqual({ eachTest: false })
  const differ = createRunReport({ framework: 'vitest', frameworkVersion: '4', options: [{ project: 'a', eachTest: false }, { project: 'b', eachTest: true, eachTestOptions: {} }] }, [])
  expect(differ.run.options).toEqual({ projects: { a: { eachTest: false }, b: { eachTest: true, eachTestOptions: {} } } })
  expect(validateRunReport(JSON.parse(JSON.stringify(differ))).ok).toBe(true)
  // No options known (the Vitest reporter without the plugin): no run.options at all.
  expect('options' in createRunReport({ framework: 'vitest', frameworkVersion: '4', options: [] }, []).run).toBe(false)
})
