// Suite-level mode's pure decisions: what kind of holder a retainer path shows (and whether it
// fails the run), option validation, merging the workers' file records, the text users read.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { LeakproofUsageError } from '../../src/errors.js'
import type { RetainerStep } from '../../src/report/types.js'
import { readSuiteRecords, type SuiteFileRecord } from '../../src/report/run-report.js'
import { holderFails, holderOf } from '../../src/suite/holder.js'
import { resolveSuiteOptions } from '../../src/suite/options.js'
import { formatHeldFile, formatSuiteSummary } from '../../src/suite/watch.js'

/** Steps from a rendered path like `(module scope) → fs (Object) → statSync (spy) → …`. */
function steps(text: string): RetainerStep[] {
  return text
    .split(' → ')
    .slice(1)
    .map((part) => {
      const m = /^(.*?)(?: \((.*)\))?$/.exec(part)!
      return { edge: m[1]!, edgeType: 'property', name: m[2] ?? m[1]!, nodeType: 'object' }
    })
}

describe('holderOf', () => {
  // The paths the Jest integration test found (test/jest/suite-level.test.ts), as rendered.
  const cases: [string, string][] = [
    ['Node / PipeWrap → native_to_javascript (Pipe) → <symbol owner_symbol> (Socket) → _events (Object) → resize (redrawTable) → __proto__ → context → global_proxy_object → global', 'listener'],
    ['(module scope) → fs (Object) → statSync (spy) → __proto__ → context → global_proxy_object → global', 'spy'],
    ['(module scope) → timerListMap (Object) → [60000] (TimersList) → _idleNext (Timeout) → _onTimeout (sweepCache) → __proto__ → context → global', 'timer'],
    ['(module scope) → channels (WeakRefMap) → table → [42] (WeakReference) → #strong (Channel) → _subscribers (Array) → [0] (recordQuery) → __proto__ → context → global', 'registry'],
    ['Node / PipeWrap → native_to_javascript (Pipe) → <symbol kResourceStore> (Object) → test (Object) → fn → context → global_proxy_object → global', 'async-context'],
    ['(global) → something → context → global', 'unknown'],
  ]
  test.each(cases)('%s → %s', (text, kind) => {
    expect(holderOf(steps(text), text)).toBe(kind)
  })

  test('only an async-context holder (the runner\'s AsyncLocalStorage store) does not fail the run', () => {
    expect(holderFails('async-context')).toBe(false)
    for (const kind of ['listener', 'timer', 'spy', 'registry', 'unknown'] as const) expect(holderFails(kind)).toBe(true)
  })
})

describe('resolveSuiteOptions', () => {
  test('defaults: fail the run, explain, nothing ignored', () => {
    expect(resolveSuiteOptions(undefined)).toEqual({ onLeak: 'fail', explain: true, ignoreFiles: [], ignoreHolders: [], idleMs: 50 })
    expect(resolveSuiteOptions(true).onLeak).toBe('fail')
  })

  test('ignore patterns: substrings are literal, /regex/flags strings and RegExps are patterns', () => {
    const o = resolveSuiteOptions({ onLeak: 'warn', ignore: { files: ['legacy/a.test.js', '/^e2e\\//i'], holders: [/diagnostics/] } })
    expect(o.onLeak).toBe('warn')
    expect(o.ignoreFiles[0]!.test('src/legacy/a.test.js')).toBe(true)
    expect(o.ignoreFiles[0]!.test('src/legacy/aXtest.js')).toBe(false)
    expect(o.ignoreFiles[1]!.test('E2E/login.test.js')).toBe(true)
    expect(o.ignoreHolders[0]!.test('(module scope) → diagnostics')).toBe(true)
  })

  test.each([
    [{ onLeak: 'error' }, /onLeak must be 'fail' or 'warn'/],
    [{ explian: true }, /unknown option "explian"; known options are onLeak, explain, ignore, idleMs/],
    [{ ignore: ['a'] }, /ignore must be an object like \{ files/],
    [{ ignore: { paths: [] } }, /ignore takes files and holders, not paths/],
    [{ ignore: { files: [''] } }, /non-empty strings/],
    [{ ignore: { files: ['/(/'] } }, /not a valid regular expression/],
    [{ idleMs: -1 }, /idleMs must be a number of milliseconds/],
    ['yes', /must be true or an object/],
  ])('%j is a usage error naming the fix', (input, message) => {
    expect(() => resolveSuiteOptions(input, 'testEnvironmentOptions.leakproofSuite')).toThrow(LeakproofUsageError)
    expect(() => resolveSuiteOptions(input, 'testEnvironmentOptions.leakproofSuite')).toThrow(message)
  })
})

const held: SuiteFileRecord = {
  file: 'src/flush.test.js',
  worker: '101',
  order: 2,
  verdict: 'held',
  failed: true,
  heapUsedAfterGc: 40 * 2 ** 20,
  heapGrowth: 2.5 * 2 ** 20,
  checkedAt: 'next-file',
  retainerPath: '(module scope) → timerListMap (Object) → [60000] (TimersList) → _idleNext (Timeout) → _onTimeout (sweep) → context → global',
  holder: 'timer',
  retainedBytes: 2.2 * 2 ** 20,
  advice: 'clear it',
}

describe('records and text', () => {
  test('a later record of a file (worker, order) replaces its "unchecked" one; files keep their worker order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leakproof-suite-records-'))
    try {
      const unchecked = (order: number, file: string): SuiteFileRecord => ({ file, worker: '101', order, verdict: 'unchecked', failed: false })
      const lines = [unchecked(0, 'a.test.js'), unchecked(1, 'b.test.js'), { ...unchecked(0, 'a.test.js'), verdict: 'released' as const, heapUsedAfterGc: 1 }]
      writeFileSync(join(dir, '101.files'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
      writeFileSync(join(dir, '101.jsonl'), '') // test records: not read as files
      const files = readSuiteRecords(dir)
      expect(files.map((f) => [f.file, f.verdict])).toEqual([
        ['a.test.js', 'released'],
        ['b.test.js', 'unchecked'],
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a held file says which file, what holds it, its sizes and how to leave it out', () => {
    const text = formatHeldFile(held)
    expect(text).toContain('test file src/flush.test.js was not released after it ended')
    expect(text).toContain(`Held by: ${held.retainerPath}`)
    expect(text).toMatch(/2\.2 MB retained only through this file's world; worker heap after GC 40(\.0)? MB \(\+2\.5 MB since the file before it\)/)
    expect(text).toContain("ignore: { files: ['src/flush.test.js'] }")
  })

  test('the summary counts watched, checked and held files, and lists the held ones', () => {
    const released: SuiteFileRecord = { file: 'src/ok.test.js', worker: '101', order: 1, verdict: 'released', failed: false }
    const unchecked: SuiteFileRecord = { file: 'src/last.test.js', worker: '101', order: 3, verdict: 'unchecked', failed: false }
    expect(formatSuiteSummary([released, unchecked])).toBe('leakproof suite: 2 test files watched, 1 checked, 0 not released')
    const summary = formatSuiteSummary([released, held, unchecked])
    expect(summary.split('\n')[0]).toBe('leakproof suite: 3 test files watched, 2 checked, 1 not released:')
    expect(summary).toContain('✗ src/flush.test.js  timer: (module scope) → timerListMap')
  })
})
