// Inconclusive checks (out of time before the evidence decided) through the CLI: a report from the
// real engine round-trips through the run report, every format shows the check, `report` warns and
// exits 0 by default and 1 with --inconclusive=error, and version-1 reports still read.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createRunReport, measureLeak, runReportSchemaVersion, type RunReport, type TestLeakRecord } from '@leakproof/core'
import { beforeAll, describe, expect, test } from 'vitest'
import { validateRunReport } from '../../packages/cli/src/validate.js'
import { ensureBuilt, fixtures, readJson, runCli, tempDir, writeJson } from './helpers.js'

function busy(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until) {
    // keep the event loop busy
  }
}

let dir: string
let report: RunReport

beforeAll(async () => {
  ensureBuilt()
  // Ten fast calls pass the pace check, then 20 ms per call: 200 warm-up calls do not fit in 600 ms.
  let calls = 0
  const slow = await measureLeak(() => { if (++calls > 10) busy(20) }, { timeout: 600 })
  const clean = await measureLeak(() => ({}), { warmup: 20, iterations: 40, samples: 5 })
  const tests: TestLeakRecord[] = [
    { file: 'test/slow.test.ts', name: 'slow > renders', line: 7, verdict: slow.verdict, source: 'matcher', report: slow },
    { file: 'test/fast.test.ts', name: 'fast', line: 3, verdict: clean.verdict, source: 'matcher', report: clean },
  ]
  report = createRunReport({ framework: 'vitest', frameworkVersion: 'test' }, tests)
  dir = tempDir()
  writeJson(join(dir, 'report.json'), report)
})

test('the engine’s inconclusive report round-trips through a version-2 run report', () => {
  expect(report.schemaVersion).toBe(2)
  expect(runReportSchemaVersion).toBe(2)
  expect(report.tests[0]).toMatchObject({ verdict: 'inconclusive', report: { verdict: 'inconclusive', leaked: false, inconclusive: { stage: 'warmup' } } })
  expect(report.tests[1]!.verdict).toBe('clean')
  const parsed = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))
  expect(parsed).toEqual(JSON.parse(JSON.stringify(report)))
  const result = validateRunReport(parsed)
  expect(result.ok ? [] : result.errors).toEqual([])
})

describe('leakproof report', () => {
  test('--inconclusive=warn (default): exit 0, a warning on stderr', () => {
    for (const args of [[], ['--inconclusive', 'warn']]) {
      const r = runCli(['report', 'report.json', ...args], { cwd: dir })
      expect(r.code).toBe(0)
      expect(r.stderr).toBe(
        'leakproof: warning: 1 inconclusive leak check (out of time before the evidence decided; not leaks); --inconclusive=error would fail the run\n',
      )
    }
    // Inside GitHub Actions the warning is a workflow command.
    const gh = runCli(['report', 'report.json'], { cwd: dir, env: { GITHUB_ACTIONS: 'true' } })
    expect(gh.stderr).toMatch(/^::warning title=leakproof::1 inconclusive leak check/)
  })

  test('--inconclusive=error: exit 1, so CI fails on it; --exit-zero still exits 0', () => {
    const r = runCli(['report', 'report.json', '--inconclusive=error'], { cwd: dir })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('--inconclusive=error fails the run')
    expect(runCli(['report', 'report.json', '--inconclusive=error', '--exit-zero'], { cwd: dir }).code).toBe(0)
    // Nothing inconclusive: nothing to fail on.
    const clean = { ...report, tests: report.tests.filter((t) => t.verdict === 'clean') }
    writeJson(join(dir, 'clean.json'), clean)
    const c = runCli(['report', 'clean.json', '--inconclusive=error'], { cwd: dir })
    expect(c.code).toBe(0)
    expect(c.stderr).toBe('')
  })

  test('--inconclusive with another value is a usage error', () => {
    const r = runCli(['report', 'report.json', '--inconclusive=fail'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^leakproof: report: --inconclusive must be warn or error, got "fail"/)
  })

  test('every format shows the inconclusive check', () => {
    const out = (format: string) => runCli(['report', 'report.json', '--format', format, '-q'], { cwd: dir }).stdout
    const consoleText = out('console')
    expect(consoleText).toMatch(/test\/slow\.test\.ts > slow > renders\s+inconclusive\s+.*out of time in warmup \(\d+ calls\)/)
    expect(consoleText).toContain('2 tests: 0 leaks, 1 clean, 0 errors, 0 skipped, 1 inconclusive.')
    expect(consoleText).toMatch(/\? test\/slow\.test\.ts:7 > slow > renders\n {2}inconclusive: the warm-up did not finish before the 600 ms budget: nothing was measured \(\d+ calls, [\d.]+ ms\/call\); not reported as a leak/)

    const md = out('markdown')
    expect(md).toContain('## leakproof: ❔ no leaks found, 1 inconclusive')
    expect(md).toMatch(/^\| ❔ \| `test\/slow\.test\.ts` › slow > renders \| inconclusive \| .* \| inconclusive: the warm-up did not finish/m)
    expect(md).toContain('2 tests: 0 leaks, 1 clean, 0 errors, 0 skipped, 1 inconclusive.')

    const github = out('github')
    expect(github).toMatch(/^::warning file=test\/slow\.test\.ts,line=7,title=Leak check inconclusive::slow > renders: inconclusive: the warm-up did not finish/m)
    expect(github).toContain('1 inconclusive.')

    const html = out('html')
    expect(html).toContain('<span class="badge b-inconclusive">inconclusive</span>')
    expect(html).toContain('data-filter="inconclusive"')
    expect(html).toContain('Inconclusive: out of time before the evidence decided; not reported as a leak.')

    const json = JSON.parse(out('json'))
    expect(json.totals).toMatchObject({ tests: 2, leak: 0, clean: 1, inconclusive: 1 })
    expect(json.inconclusive).toEqual([
      expect.objectContaining({ file: 'test/slow.test.ts', name: 'slow > renders', line: 7, stage: 'warmup', timeoutMs: 600 }),
    ])
  })
})

describe('schema versions', () => {
  test('version-1 reports still read; merged with a version-2 shard they give version 2, the inconclusive record kept', () => {
    expect(runCli(['report', join(fixtures, 'shard-1.json'), '--exit-zero'], { cwd: dir }).code).toBe(0)
    const r = runCli(['merge', join(fixtures, 'shard-1.json'), 'report.json', '--out', 'merged.json', '-q'], { cwd: dir })
    expect(r.code).toBe(0)
    const merged = readJson<RunReport>(join(dir, 'merged.json'))
    expect(merged.schemaVersion).toBe(2)
    expect(merged.tests.filter((t) => t.verdict === 'inconclusive').map((t) => t.name)).toEqual(['slow > renders'])
    const only1 = runCli(['merge', join(fixtures, 'shard-1.json'), join(fixtures, 'shard-2.json'), '-q'], { cwd: dir })
    expect(JSON.parse(only1.stdout).schemaVersion).toBe(1)
  })

  test('a version-1 report cannot hold verdict inconclusive', () => {
    writeJson(join(dir, 'v1.json'), { ...report, schemaVersion: 1 })
    const r = runCli(['report', 'v1.json'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('tests[0].verdict is "inconclusive", which schema version 1 does not have')
  })

  test('compare: a leak of the baseline that is inconclusive now is not known to be fixed', () => {
    const baseline = { ...report, schemaVersion: 1, tests: [{ ...report.tests[0]!, verdict: 'leak', report: undefined }] }
    writeJson(join(dir, 'baseline.json'), baseline)
    const r = runCli(['compare', '--baseline', 'baseline.json', 'report.json', '--format', 'json'], { cwd: dir })
    expect(r.code).toBe(0)
    const changes = JSON.parse(r.stdout).changes as { kind: string; reason: string }[]
    expect(changes).toContainEqual(expect.objectContaining({ kind: 'unverified', reason: 'leaked in the baseline; inconclusive now (out of time), so not known to be fixed' }))
  })
})
