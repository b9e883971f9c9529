// Per-test mode at suite scale: a file's tests screened together, bisected only when the screen
// does not clear them. Real measurements of small subjects standing in for tests.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { LeakError, readTestRecords, recordsDirEnv } from '../../src/index.js'
import { checkQueuedTests, groupByOptions, halves, optionsKey, type GroupCheckStats, type QueuedTest } from '../../src/matchers/index.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'leakproof-each-file-'))
  process.env[recordsDirEnv] = dir
})
afterEach(() => {
  delete process.env[recordsDirEnv]
  rmSync(dir, { recursive: true, force: true })
})

function queued(name: string, run: () => unknown, options = {}): QueuedTest {
  return { test: { testPath: 'file.test.ts', name }, run, options, firstRunMs: 0.05, optOut: 'opt out', minTimeout: 60_000 }
}

const cleanTest = (name: string) =>
  queued(name, () => {
    const rows = Array.from({ length: 8 }, (_, i) => ({ i }))
    return rows.length
  })

describe('pure rules', () => {
  test('tests with the same options share a group, in run order; others get their own', () => {
    const shared = { threshold: 4 }
    const tests = [
      { name: 'a', options: shared },
      { name: 'b', options: { threshold: 8 } },
      { name: 'c', options: { threshold: 4 } },
      { name: 'd', options: { ignore: { types: [/^Foo$/] } } },
      { name: 'e', options: { ignore: { types: [/^Foo$/] } } },
    ]
    expect(groupByOptions(tests).map((g) => g.map((t) => t.name))).toEqual([['a', 'c'], ['b'], ['d', 'e']])
  })

  test('options keys tell RegExps apart by source and flags; signals do not split a group', () => {
    expect(optionsKey({ ignore: { types: [/a/] } })).not.toBe(optionsKey({ ignore: { types: [/a/i] } }))
    expect(optionsKey({ ignore: { types: [/a/] } })).not.toBe(optionsKey({ ignore: { types: [/b/] } }))
    expect(optionsKey({ ignore: { types: [/a/] } })).toBe(optionsKey({ ignore: { types: [/a/] } }))
    expect(optionsKey({ signal: new AbortController().signal })).toBe(optionsKey({ signal: new AbortController().signal }))
    expect(optionsKey({ threshold: 4 })).not.toBe(optionsKey({ threshold: 8 }))
  })

  test('halves split a group, the first half the larger', () => {
    expect(halves([1, 2, 3, 4, 5])).toEqual([[1, 2, 3], [4, 5]])
    expect(halves([1, 2])).toEqual([[1], [2]])
  })
})

describe('checkQueuedTests', () => {
  test('a clean file: one screen for all its tests, no per-test check, a clean record each', async () => {
    const stats: GroupCheckStats = { groupScreens: 0, singleChecks: 0 }
    const tests = ['a', 'b', 'c', 'd'].map(cleanTest)
    const failures = await checkQueuedTests(tests, stats)
    expect(failures).toEqual([])
    expect(stats).toEqual({ groupScreens: 1, singleChecks: 0 })
    const records = readTestRecords(dir)
    expect(records.map((r) => [r.name, r.verdict])).toEqual(['a', 'b', 'c', 'd'].map((n) => [n, 'clean']))
  })

  test('a file with one leaking test: bisected down to it; it fails with its report, the others pass', async () => {
    const kept: object[] = []
    const stats: GroupCheckStats = { groupScreens: 0, singleChecks: 0 }
    const tests = [cleanTest('a'), cleanTest('b'), cleanTest('c'), queued('leaks', () => void kept.push({ id: kept.length }))]
    const failures = await checkQueuedTests(tests, stats)
    expect(failures.map((f) => f.test.test.name)).toEqual(['leaks'])
    const error = failures[0]!.error as LeakError
    expect(error).toBeInstanceOf(LeakError)
    expect(error.message).toContain('this test retains memory every time it runs')
    // Fewer full checks than tests: the clean half was cleared by one screen.
    expect(stats.singleChecks).toBeLessThan(tests.length)
    const verdicts = new Map(readTestRecords(dir).map((r) => [r.name, r.verdict]))
    expect(verdicts).toEqual(new Map([['a', 'clean'], ['b', 'clean'], ['c', 'clean'], ['leaks', 'leak']]))
  })

  test('a test that fails when repeated fails with its own error; the rest are screened without it', async () => {
    let ran = 0
    const tests = [
      cleanTest('a'),
      queued('once only', () => {
        if (++ran > 1) throw new Error('second run sees state of the first')
      }),
      cleanTest('b'),
    ]
    const failures = await checkQueuedTests(tests)
    expect(failures.map((f) => f.test.test.name)).toEqual(['once only'])
    expect(String((failures[0]!.error as Error).message)).toContain('second run sees state of the first')
    const verdicts = new Map(readTestRecords(dir).map((r) => [r.name, r.verdict]))
    expect(verdicts.get('once only')).toBe('error')
    expect(verdicts.get('a')).toBe('clean')
    expect(verdicts.get('b')).toBe('clean')
  })
})
