import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { compareReports, parseBytes, parsePercent, type Change } from '../../packages/cli/src/compare.js'
import type { Report, TestLeakRecord } from '../../packages/cli/src/validate.js'
import { ensureBuilt, fixtures, readJson, runCli, tempDir, writeJson } from './helpers.js'

beforeAll(() => ensureBuilt())

const load = (name: string) => readJson<Report>(join(fixtures, name))
const summary = (changes: Change[]) =>
  changes.map((c) => {
    const r = (c.current ?? c.baseline)!
    return `${c.kind}: ${r.file} > ${r.name}${c.renamedFrom ? ` (from ${c.renamedFrom.file} > ${c.renamedFrom.name}, by ${c.renamedFrom.by})` : ''}`
  })

describe('compare: baseline (main) vs current (this PR)', () => {
  test('classifies every test: new, grown, known, fixed, renamed, moved, removed, added', () => {
    const result = compareReports(load('baseline.json'), load('current.json'))
    expect(summary(result.changes)).toEqual([
      'known: test/api/sessions.test.ts > sessions > login handler keeps no session',
      'grown: test/api/cache.test.ts > cache > set',
      'clean: test/api/health.test.ts > health > responds',
      'fixed: test/stream/events.test.ts > events > subscribe and unsubscribe',
      'clean: test/api/users.test.ts > users > lists all users (from test/api/users.test.ts > users > list users, by line)',
      'new: test/api/upload.test.ts > upload > buffers chunks',
      'error: test/api/upload.test.ts > upload > rejects oversized bodies',
      'clean: test/lib/format.test.ts > format > bytes (from test/util/format.test.ts > format > bytes, by name)',
      'new: test/odd/100%,a:b.test.ts > <img src=x onerror=alert(1)> | **not bold** `tick` [link](http://x) @team 100%, a:b',
      'added: test/odd/100%,a:b.test.ts > odd > later',
      'added: test/api/health.test.ts > health > second matcher call',
      'removed: test/legacy/old.test.ts > legacy > polls forever',
    ])
    expect(result.failed).toBe(true)
    expect(result.counts).toEqual({ new: 2, grown: 1, known: 1, fixed: 1, unverified: 0, error: 1, removed: 1, added: 2, clean: 3 })
    const grown = result.changes.find((c) => c.kind === 'grown')!
    expect(grown.reason).toBe('heap 101.3 B/call, baseline 41.2 B/call (+145.9%, allowed +10.3 B)')
  })

  test('exit code 1 and the lists on the console', () => {
    const r = runCli(['compare', '--baseline', 'baseline.json', 'current.json'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^leakproof compare: FAIL: 2 new leaks, 1 grown leak\n/)
    expect(r.stdout).toContain('New leaks (fail the check): 2\n')
    expect(r.stdout).toContain('Grown leaks (fail the check): 1\n')
    expect(r.stdout).toContain('Known leaks, not grown: 1\n')
    expect(r.stdout).toContain('Fixed: 1\n')
    expect(r.stdout).toContain('Removed since the baseline: 1\n  - test/legacy/old.test.ts:3 > legacy > polls forever: was leaking in the baseline\n')
  })

  test('no new leaks: exit 0, known leaks listed', () => {
    // The baseline against itself, and the current report against itself.
    for (const name of ['baseline.json', 'current.json']) {
      const r = runCli(['compare', '--baseline', name, name])
      expect(r.code, name).toBe(0)
      expect(r.stdout).toMatch(/^leakproof compare: OK: no new leaks \(\d known leaks? unchanged\)\n/)
    }
  })

  test('a tolerance large enough makes the grown leak known; the new ones still fail', () => {
    const base = load('baseline.json')
    const cur = load('current.json')
    expect(compareReports(base, cur, { tolerance: { percent: 200 } }).counts.grown).toBe(0)
    expect(compareReports(base, cur, { tolerance: { percent: 200 } }).failed).toBe(true)
    expect(compareReports(base, cur, { tolerance: { bytes: 61 } }).counts.grown).toBe(0)
    expect(compareReports(base, cur, { tolerance: { bytes: 59 } }).counts.grown).toBe(1)
    // Both given: the larger allowance wins (41.2 × 10% = 4.1 < 61).
    expect(compareReports(base, cur, { tolerance: { percent: 10, bytes: 61 } }).counts.grown).toBe(0)
    const r = runCli(['compare', '--baseline', 'baseline.json', 'current.json', '--tolerance', '200%', '--format', 'json'])
    expect(r.code).toBe(1)
    const json = JSON.parse(r.stdout)
    expect(json.counts.grown).toBe(0)
    expect(json.counts.known).toBe(2)
    expect(json.tolerance).toEqual({ percent: 200, bytes: 0 })
    const bytes = runCli(['compare', '--baseline', 'baseline.json', 'current.json', '--tolerance-bytes', '1KB', '--format', 'json'])
    expect(JSON.parse(bytes.stdout).tolerance).toEqual({ percent: 0, bytes: 1024 })
  })

  test('only new leaks fail: a PR that fixes the new ones passes', () => {
    const cur = load('current.json')
    cur.tests = cur.tests.filter((t) => !(t.verdict === 'leak' && (t.file.includes('upload') || t.file.includes('odd'))))
    const dir = tempDir()
    writeJson(join(dir, 'pr.json'), cur)
    const r = runCli(['compare', '--baseline', join(fixtures, 'baseline.json'), 'pr.json', '--tolerance', '150%'], { cwd: dir })
    expect(r.stdout).toMatch(/^leakproof compare: OK: no new leaks \(2 known leaks unchanged\)/)
    expect(r.code).toBe(0)
  })

  test('a leak that now also holds handles has grown, whatever its bytes', () => {
    const base = load('baseline.json')
    const cur = load('baseline.json')
    const sessions = cur.tests[0]!
    sessions.report!.kinds = ['heap', 'resources']
    sessions.report!.resources = [{ type: 'Timeout', countPerIteration: 1, retainedCount: 400 }]
    const result = compareReports(base, cur)
    expect(result.changes[0]).toEqual(expect.objectContaining({ kind: 'grown', reason: 'now also leaks open handles' }))
  })

  test('--no-renames: the renamed and moved tests become removed + added', () => {
    const result = compareReports(load('baseline.json'), load('current.json'), { detectRenames: false })
    expect(result.changes.filter((c) => c.renamedFrom)).toEqual([])
    expect(summary(result.changes).filter((s) => /users|format/.test(s)).sort()).toEqual([
      'added: test/api/users.test.ts > users > lists all users',
      'added: test/lib/format.test.ts > format > bytes',
      'removed: test/api/users.test.ts > users > list users',
      'removed: test/util/format.test.ts > format > bytes',
    ])
    const r = runCli(['compare', '--baseline', 'baseline.json', 'current.json', '--no-renames', '--format', 'json'])
    expect(JSON.parse(r.stdout).counts.removed).toBe(3)
  })

  test('a renamed test that leaks in both is known, not new', () => {
    const base = load('baseline.json')
    const cur = load('baseline.json')
    cur.tests[0]!.name = 'sessions > login handler (renamed)'
    const r = compareReports(base, cur)
    expect(r.changes[0]).toEqual(expect.objectContaining({ kind: 'known', renamedFrom: expect.objectContaining({ by: 'line' }) }))
    expect(r.failed).toBe(false)
    // Without rename detection it is a new leak.
    expect(compareReports(base, cur, { detectRenames: false }).failed).toBe(true)
  })

  test('ambiguous renames are not guessed', () => {
    const rec = (file: string, name: string, line: number, verdict: TestLeakRecord['verdict']): TestLeakRecord => ({ file, name, line, verdict, source: 'matcher' })
    const mk = (tests: TestLeakRecord[]): Report => ({ ...load('empty.json'), tests })
    // Two baseline tests on the same line (e.g. test.each): neither is matched by line.
    const base = mk([rec('a.ts', 'x 1', 5, 'leak'), rec('a.ts', 'x 2', 5, 'leak')])
    const cur = mk([rec('a.ts', 'y 1', 5, 'leak')])
    const r = compareReports(base, cur)
    expect(summary(r.changes)).toEqual(['new: a.ts > y 1', 'removed: a.ts > x 1', 'removed: a.ts > x 2'])
  })

  test('leaked in the baseline, errored now: not verified as fixed, not failing', () => {
    const base = load('baseline.json')
    const cur = load('baseline.json')
    cur.tests[0] = { ...cur.tests[0]!, verdict: 'error', error: 'timeout' }
    delete cur.tests[0].report
    const r = compareReports(base, cur)
    expect(r.changes[0]).toEqual(expect.objectContaining({ kind: 'unverified' }))
    expect(r.failed).toBe(false)
  })

  test('several matcher calls in one test are compared in order', () => {
    const base = load('baseline.json')
    const cur = load('baseline.json')
    const second = { ...structuredClone(cur.tests[2]!), verdict: 'leak' as const, report: cur.tests[0]!.report }
    cur.tests.splice(3, 0, second)
    const r = compareReports(base, cur)
    const health = r.changes.filter((c) => c.current?.name === 'health > responds')
    expect(health.map((c) => c.kind)).toEqual(['clean', 'new'])
  })

  test('an empty current report: everything removed, nothing fails', () => {
    const r = runCli(['compare', '--baseline', 'baseline.json', 'empty.json'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Removed since the baseline: 7\n')
  })

  test('an empty baseline: every leak is new', () => {
    const r = runCli(['compare', '--baseline', 'empty.json', 'current.json', '--format', 'json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout).counts.new).toBe(4)
  })
})

describe('compare: options and errors', () => {
  test('--allow-missing-baseline compares with an empty baseline', () => {
    const r = runCli(['compare', '--baseline', 'missing/base.json', 'current.json', '--allow-missing-baseline'])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('leakproof: warning: baseline missing/base.json does not exist; comparing with an empty baseline (every leak counts as new)\n')
    expect(r.stdout).toContain('baseline: missing/base.json (missing: every leak counts as new)')
    expect(r.stdout).toContain('New leaks (fail the check): 4\n')
    const clean = runCli(['compare', '--baseline', 'missing/base.json', 'empty.json', '--allow-missing-baseline'])
    expect(clean.code).toBe(0)
  })

  test('a missing baseline without the flag is an input error', () => {
    const r = runCli(['compare', '--baseline', 'missing/base.json', 'current.json'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('leakproof: cannot read missing/base.json: no such file\n')
  })

  test('--exit-zero', () => {
    const r = runCli(['compare', '--baseline', 'baseline.json', 'current.json', '--exit-zero'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^leakproof compare: FAIL/)
  })

  test.each([
    [['compare', 'current.json'], 'leakproof: compare: --baseline <file> is required\n'],
    [['compare', '--baseline', 'baseline.json'], 'leakproof: compare: missing the current report file\n'],
    [['compare', '--baseline', 'baseline.json', 'a.json', 'b.json'], 'leakproof: compare: expected one current report, got 2\n'],
    [['compare', '--baseline', 'baseline.json', 'current.json', '--tolerance', 'lots'], 'leakproof: compare: --tolerance must be a percentage like 25%, got "lots"\n'],
    [['compare', '--baseline', 'baseline.json', 'current.json', '--tolerance-bytes=-5'], 'leakproof: compare: --tolerance-bytes must be a byte count like 64 or 1KB, got "-5"\n'],
    [['compare', '--baseline', 'baseline.json', 'current.json', '--format', 'html'], 'leakproof: compare: unknown --format "html"; use one of console, markdown, github, json\n'],
  ])('usage error: %j', (args, message) => {
    const r = runCli(args)
    expect(r.code).toBe(2)
    expect(r.stderr.startsWith(message)).toBe(true)
  })

  test('tolerance parsing', () => {
    expect(parsePercent('25%')).toBe(25)
    expect(parsePercent('12.5')).toBe(12.5)
    expect(parsePercent('x')).toBeUndefined()
    expect(parseBytes('64')).toBe(64)
    expect(parseBytes('1.5KB')).toBe(1536)
    expect(parseBytes('2 mb')).toBe(2 * 1024 * 1024)
    expect(parseBytes('-1')).toBeUndefined()
  })
})
