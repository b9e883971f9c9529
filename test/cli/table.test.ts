// packages/core/src/report/table.ts: the summary table shared by the reporters and the CLI.
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { TestLeakRecord } from '../../packages/core/src/report/run-report.js'
import { formatRecordsTable, sanitizeCell } from '../../packages/core/src/report/table.js'
import { fixtures, readJson } from './helpers.js'

const records = () => readJson<{ tests: TestLeakRecord[] }>(join(fixtures, 'current.json')).tests
const strip = (s: string) => s.replace(/\u001b\[[\d;]*m/g, '')

describe('formatRecordsTable', () => {
  test('columns, leaks first, aligned, with a totals line', () => {
    const table = formatRecordsTable(records().filter((r) => !r.file.includes('odd')))
    expect(table).toBe(
      [
        'test                                                                   verdict  heap/call  external/call  top retained type',
        'test/api/sessions.test.ts > sessions > login handler keeps no session  leak       104.1 B            0 B  Session +1/call',
        'test/api/cache.test.ts > cache > set                                   leak       101.3 B            0 B  Object +1/call',
        'test/api/upload.test.ts > upload > buffers chunks                      leak        2.2 KB         2.0 KB  system / JSArrayBufferData +1/call',
        'test/api/upload.test.ts > upload > rejects oversized bodies            error            -              -  error: the subject threw on call 1: TypeError: Cannot read properties of undef…',
        'test/api/health.test.ts > health > responds                            clean        0.1 B            0 B  -',
        'test/stream/events.test.ts > events > subscribe and unsubscribe        clean        0.1 B            0 B  -',
        'test/api/users.test.ts > users > lists all users                       clean        0.1 B            0 B  -',
        'test/lib/format.test.ts > format > bytes                               clean        0.1 B            0 B  -',
        'test/api/health.test.ts > health > second matcher call                 clean        0.1 B            0 B  -',
        '',
        '9 tests: 3 leaks, 5 clean, 1 error, 0 skipped. Leaking tests retain 2.4 KB/call of heap, 2.0 KB/call external.',
      ].join('\n'),
    )
  })

  test('empty', () => {
    expect(formatRecordsTable([])).toBe('No leak checks were recorded.')
  })

  test('no leaks: no bytes in the totals', () => {
    const clean = records().filter((r) => r.verdict === 'clean')
    expect(formatRecordsTable(clean).split('\n').pop()).toBe('5 tests: 0 leaks, 5 clean, 0 errors, 0 skipped.')
  })

  test('colour: verdicts painted, alignment the same once escapes are removed', () => {
    const plain = formatRecordsTable(records())
    const color = formatRecordsTable(records(), { color: true })
    expect(color).toContain('\u001b[1;31mleak   \u001b[22;39m')
    expect(color).toContain('\u001b[32mclean  \u001b[39m')
    expect(color).toContain('\u001b[33merror  \u001b[39m')
    expect(color).toContain('\u001b[2mskipped\u001b[22m')
    expect(strip(color)).toBe(plain)
  })

  test('long names are shortened in the middle to maxTestWidth', () => {
    const r = records()[0]!
    const long = { ...r, name: 'a'.repeat(50) + ' middle ' + 'z'.repeat(50) }
    const line = formatRecordsTable([long], { maxTestWidth: 40 }).split('\n')[1]!
    const cell = line.slice(0, line.indexOf('  leak'))
    expect([...cell]).toHaveLength(40)
    expect(cell).toBe('test/api/sessions.te…' + 'z'.repeat(19))
    expect(formatRecordsTable([long], { maxTestWidth: Infinity })).toContain(long.name)
  })

  test('resource and listener leaks without a retained type name the handle / listener', () => {
    const r = records()[0]!
    const handle: TestLeakRecord = { ...r, report: { ...r.report!, retainedTypes: [], resources: [{ type: 'Timeout', countPerIteration: 1, retainedCount: 9 }] } }
    const listener: TestLeakRecord = {
      ...r,
      report: { ...r.report!, retainedTypes: [], listeners: [{ target: 'AbortSignal', event: 'abort', countPerIteration: 2, retainedCount: 9 }] },
    }
    expect(formatRecordsTable([handle])).toContain('Timeout (handle) +1/call')
    expect(formatRecordsTable([listener])).toContain("AbortSignal 'abort' listener +2/call")
  })

  test('control characters are shown escaped', () => {
    expect(sanitizeCell('a\nb\tc\u001b[31md\u0000')).toBe('a\\nb\\tc\\x1b[31md\\x00')
    const r = { ...records()[0]!, name: 'two\nlines' }
    const table = formatRecordsTable([r])
    expect(table.split('\n')).toHaveLength(4)
    expect(table).toContain('two\\nlines')
  })
})
