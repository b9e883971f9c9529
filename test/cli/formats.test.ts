// Behaviour of the text formats beyond the goldens: escaping rules, the step summary, colour.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { annotation, escapeData, escapeProperty } from '../../packages/cli/src/format/github.js'
import { codeBlock, escapeMarkdown, formatMarkdown } from '../../packages/cli/src/format/markdown.js'
import type { Report } from '../../packages/cli/src/validate.js'
import { ensureBuilt, fixtures, readJson, runCli, tempDir, writeJson } from './helpers.js'

beforeAll(() => ensureBuilt())

const load = (name: string) => readJson<Report>(join(fixtures, name))

describe('github annotations', () => {
  test('escaping follows GitHub: %, CR, LF in messages; also : and , in properties', () => {
    expect(escapeData('50% done\r\nnext: a,b')).toBe('50%25 done%0D%0Anext: a,b')
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A')
    expect(annotation({ level: 'error', file: 'test/x,y:z.ts', line: 3, title: 'Memory leak: 1', message: 'a\nb' })).toBe(
      '::error file=test/x%2Cy%3Az.ts,line=3,title=Memory leak%3A 1::a%0Ab',
    )
  })

  test('one ::error per leak on its file and line, one ::warning per failed check, one notice', () => {
    const r = runCli(['report', 'current.json', '--format', 'github'])
    expect(r.code).toBe(1)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines.map((l) => /^::(\w+) ([^:]*)::/.exec(l)?.slice(1, 3).join(' '))).toEqual([
      'error file=test/api/sessions.test.ts,line=12,title=Memory leak',
      'error file=test/api/cache.test.ts,line=8,title=Memory leak',
      'error file=test/api/upload.test.ts,line=30,title=Memory leak',
      'error file=test/odd/100%25%2Ca%3Ab.test.ts,line=7,title=Memory leak',
      'warning file=test/api/upload.test.ts,line=44,title=Leak check failed',
      'notice title=leakproof',
    ])
    // Every command is one line; the message escapes %.
    expect(lines[3]).toContain('::<img src=x onerror=alert(1)> | **not bold** `tick` [link](http://x) @team 100%25, a:b: leaks 211.2 B/call')
  })

  test('a test name with a newline stays one annotation line', () => {
    const report = load('shard-1.json')
    report.tests[0]!.name = 'line one\nline two\r'
    const dir = tempDir()
    writeJson(join(dir, 'r.json'), report)
    const out = runCli(['report', 'r.json', '--format', 'github'], { cwd: dir }).stdout
    expect(out.split('\n')[0]).toMatch(/^::error file=test\/api\/sessions\.test\.ts,line=12,title=Memory leak::line one%0Aline two%0D: leaks/)
  })

  test('no line in the record: no line property', () => {
    const report = load('shard-1.json')
    delete report.tests[0]!.line
    const dir = tempDir()
    writeJson(join(dir, 'r.json'), report)
    const out = runCli(['report', 'r.json', '--format', 'github'], { cwd: dir }).stdout
    expect(out.split('\n')[0]).toMatch(/^::error file=test\/api\/sessions\.test\.ts,title=Memory leak::/)
  })

  test('more than 10 leaks: the notice says GitHub shows only 10', () => {
    const report = load('shard-1.json')
    report.tests = Array.from({ length: 12 }, (_, i) => ({ ...report.tests[0]!, name: `leak ${i}` }))
    const dir = tempDir()
    writeJson(join(dir, 'r.json'), report)
    const out = runCli(['report', 'r.json', '--format', 'github'], { cwd: dir }).stdout
    expect(out.match(/^::error /gm)).toHaveLength(12)
    expect(out).toMatch(/::notice title=leakproof::leakproof: 12 tests: 12 leaks.*GitHub shows only the first 10 annotations/)
  })

  test('compare --format github annotates only new and grown leaks', () => {
    const r = runCli(['compare', '--baseline', 'baseline.json', 'current.json', '--format', 'github'])
    expect(r.code).toBe(1)
    const titles = [...r.stdout.matchAll(/^::error file=([^,]+),line=\d+,title=([^:]+)::/gm)].map((m) => `${m[2]}: ${m[1]}`)
    expect(titles).toEqual([
      'Memory leak grew: test/api/cache.test.ts',
      'New memory leak: test/api/upload.test.ts',
      'New memory leak: test/odd/100%25%2Ca%3Ab.test.ts',
    ])
  })
})

describe('markdown', () => {
  test('user text cannot become markup, links, table cells or HTML', () => {
    // Escaped only where it is markup: `>`, `(`, `#` mid-line, `@` and `:` are not.
    const escaped = escapeMarkdown('<img src=x> | *a* _b_ [l](u) `c` # @d ~e~ a:b\nnext', { table: true })
    expect(escaped).toBe('\\<img src=x> \\| \\*a\\* \\_b\\_ \\[l\\](u) \\`c\\` # @d \\~e\\~ a:b\\nnext')
    const md = formatMarkdown(load('current.json'))
    // The evil name sits in one table row: exactly 7 unescaped pipes (6 cells).
    const row = md.split('\n').find((l) => l.includes('onerror'))!
    expect(row.replace(/\\\|/g, '').match(/\|/g)).toHaveLength(7)
    expect(md).not.toMatch(/(^|[^\\])<img/)
  })

  test('code blocks use a fence longer than any backtick run inside', () => {
    expect(codeBlock(['a ``` b'])).toEqual(['````text', 'a ``` b', '````'])
  })

  test('stays under the step summary budget, saying what was left out', () => {
    const report = load('shard-1.json')
    report.tests = Array.from({ length: 40 }, (_, i) => ({ ...report.tests[0]!, name: `leak ${i}` }))
    const md = formatMarkdown(report, { budget: 20_000 })
    expect(md.length).toBeLessThan(21_000)
    expect(md).toMatch(/_\d+ more leak sections left out to stay under GitHub's step summary size limit; see the HTML report\._/)
  })

  test('--format markdown appends to $GITHUB_STEP_SUMMARY when it is set; --no-summary does not', () => {
    const dir = tempDir()
    const summary = join(dir, 'summary.md')
    writeFileSync(summary, '# before\n')
    const r = runCli(['report', 'current.json', '--format', 'markdown'], { env: { GITHUB_STEP_SUMMARY: summary } })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('leakproof: appended the Markdown report to $GITHUB_STEP_SUMMARY\n')
    expect(readFileSync(summary, 'utf8')).toBe('# before\n' + r.stdout + '\n')
    runCli(['report', 'current.json', '--format', 'markdown', '--no-summary'], { env: { GITHUB_STEP_SUMMARY: summary } })
    expect(readFileSync(summary, 'utf8')).toBe('# before\n' + r.stdout + '\n')
  })

  test('--summary appends Markdown whatever the format; without the variable it warns', () => {
    const dir = tempDir()
    const summary = join(dir, 'summary.md')
    const r = runCli(['report', 'current.json', '--format', 'github', '--summary'], { env: { GITHUB_STEP_SUMMARY: summary } })
    expect(r.stdout).toMatch(/^::error /)
    expect(readFileSync(summary, 'utf8')).toMatch(/^## leakproof: ❌ 4 memory leaks\n/)
    const none = runCli(['report', 'current.json', '--format', 'github', '--summary'])
    expect(none.stderr).toBe('leakproof: warning: --summary: $GITHUB_STEP_SUMMARY is not set (it is set inside GitHub Actions jobs); nothing appended\n')
    // Other formats do not append by default.
    const console = runCli(['report', 'current.json'], { env: { GITHUB_STEP_SUMMARY: join(dir, 'other.md') } })
    expect(console.stderr).toBe('')
    expect(() => readFileSync(join(dir, 'other.md'))).toThrow()
  })
})

describe('console', () => {
  test('colour only when asked or on a terminal; NO_COLOR wins', () => {
    expect(runCli(['report', 'current.json']).stdout).not.toContain('\u001b[')
    expect(runCli(['report', 'current.json', '--color']).stdout).toContain('\u001b[1;31mleak')
    expect(runCli(['report', 'current.json'], { env: { FORCE_COLOR: '1' } }).stdout).toContain('\u001b[')
    expect(runCli(['report', 'current.json'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toContain('\u001b[')
  })

  test('per-leak details: retained types, retainer path, allocation site, handles', () => {
    const out = runCli(['report', 'current.json']).stdout
    const odd = out.slice(out.indexOf('✗ test/odd/'))
    expect(odd).toContain('Retained types (new objects still alive, per call):')
    expect(odd).toContain('(module scope) → timers (Array) → [680] → Timeout   (84 objects)')
    expect(odd).toContain('startPolling (test/cli/fixtures/generate.mjs:61:31)  322 B/call')
    expect(odd).toContain('Open handles created per call and never released:\n    Timeout +1 per call (400 open)')
    expect(out).toContain('! test/api/upload.test.ts:44 > upload > rejects oversized bodies\n  The leak check failed: the subject threw on call 1')
  })

  test('control characters in names cannot reach the terminal', () => {
    const report = load('shard-1.json')
    report.tests[0]!.name = 'evil \u001b[2J\u001b]0;title\u0007 name'
    const dir = tempDir()
    writeJson(join(dir, 'r.json'), report)
    const out = runCli(['report', 'r.json'], { cwd: dir }).stdout
    expect(out).not.toContain('\u001b')
    expect(out).toContain('evil \\x1b[2J\\x1b]0;title\\x07 name')
  })
})

describe('json summary', () => {
  test('totals, leaks and errors', () => {
    const r = runCli(['report', 'current.json', '--format', 'json'])
    const json = JSON.parse(r.stdout)
    expect(json.totals).toEqual({ tests: 11, leak: 4, clean: 5, error: 1, skipped: 1, inconclusive: 0, leakedBytesPerIteration: 2654, leakedExternalBytesPerIteration: 2048 })
    expect(json.leaks.map((l: { name: string }) => l.name)).toHaveLength(4)
    expect(json.leaks[0]).toEqual(
      expect.objectContaining({ file: 'test/api/sessions.test.ts', line: 12, kinds: ['heap'], topRetained: 'Session +1/call', allocatedAt: 'loginHandler (test/cli/fixtures/generate.mjs:30:31)' }),
    )
    expect(json.errors).toEqual([
      { file: 'test/api/upload.test.ts', name: 'upload > rejects oversized bodies', line: 44, error: expect.stringMatching(/^the subject threw on call 1: TypeError/) },
    ])
  })
})
