// Golden-file tests: every output format of `report` and `compare`, and the merged report, for
// the committed fixture reports (captured from the real engine, see fixtures/generate.mjs).
// Update after an intended change with: UPDATE_GOLDEN=1 npx vitest run test/cli
import { beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt, expectGolden, normalise, runCli } from './helpers.js'

beforeAll(() => ensureBuilt())

describe('report', () => {
  const cases: [string, string[], number][] = [
    ['report-console.txt', ['report', 'current.json', '--no-color'], 1],
    ['report-console-color.txt', ['report', 'current.json', '--color'], 1],
    ['report-markdown.md', ['report', 'current.json', '--format', 'markdown'], 1],
    ['report-github.txt', ['report', 'current.json', '--format', 'github'], 1],
    ['report-html.html', ['report', 'current.json', '--format', 'html'], 1],
    ['report-json.json', ['report', 'current.json', '--format', 'json'], 1],
    ['report-baseline-console.txt', ['report', 'baseline.json'], 1],
    ['report-empty-console.txt', ['report', 'empty.json'], 0],
    ['report-empty-markdown.md', ['report', 'empty.json', '--format', 'markdown'], 0],
    ['report-empty-html.html', ['report', 'empty.json', '--format', 'html'], 0],
  ]
  test.each(cases)('%s', (golden, args, code) => {
    const r = runCli(args)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(code)
    expectGolden(golden, normalise(r.stdout))
  })

  test('the same report renders byte-identical output twice (no clock, no randomness)', () => {
    for (const format of ['console', 'markdown', 'github', 'html', 'json']) {
      const a = runCli(['report', 'current.json', '--format', format])
      const b = runCli(['report', 'current.json', '--format', format])
      expect(a.stdout, format).toBe(b.stdout)
    }
  })
})

describe('compare', () => {
  const cases: [string, string[]][] = [
    ['compare-console.txt', ['compare', '--baseline', 'baseline.json', 'current.json', '--no-color']],
    ['compare-markdown.md', ['compare', '--baseline', 'baseline.json', 'current.json', '--format', 'markdown']],
    ['compare-github.txt', ['compare', '--baseline', 'baseline.json', 'current.json', '--format', 'github']],
    ['compare-json.json', ['compare', '--baseline', 'baseline.json', 'current.json', '--format', 'json']],
  ]
  test.each(cases)('%s', (golden, args) => {
    const r = runCli(args)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(1)
    expectGolden(golden, normalise(r.stdout))
  })
})

test('merge.json: the three shards merged', () => {
  const r = runCli(['merge', 'shard-1.json', 'shard-2.json', 'shard-3.json'])
  expect(r.code).toBe(0)
  expect(r.stderr).toBe('leakproof: merged 3 reports: 11 test records, 4 leaks\n')
  expectGolden('merge.json', r.stdout)
})
