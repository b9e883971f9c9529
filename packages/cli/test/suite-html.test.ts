// The HTML report's suite-level section: the worker's heap after GC file by file, held files marked.
import type { SuiteFileRecord } from '@leakproof/core'
import { describe, expect, test } from 'vitest'
import { formatHtml } from '../src/format/html.js'
import { suiteHeapPlot, suiteSection } from '../src/format/suite-html.js'

const MB = 2 ** 20
const file = (order: number, heap: number, verdict: SuiteFileRecord['verdict'] = 'released', worker = '7'): SuiteFileRecord => ({
  file: `src/f${order}.test.js`,
  worker,
  order,
  verdict,
  failed: verdict === 'held',
  heapUsedAfterGc: heap * MB,
  ...(verdict === 'held' ? { holder: 'listener', retainerPath: '(global) → process → _events → <b>x</b>', retainedBytes: 3 * MB } : {}),
})

describe('suite section', () => {
  test('no suite records: nothing', () => {
    expect(suiteSection(undefined)).toBe('')
    expect(suiteSection([])).toBe('')
  })

  test('one point per file per worker, held files red, a line per worker', () => {
    const files = [file(0, 20), file(1, 24, 'held'), file(2, 24), file(0, 18, 'released', '8'), file(1, 18, 'released', '8')]
    const svg = suiteHeapPlot(files)
    expect(svg.match(/<polyline /g)).toHaveLength(2)
    expect(svg.match(/<circle class="heap"/g)).toHaveLength(4)
    expect(svg.match(/<circle class="held"/g)).toHaveLength(1)
    expect(svg).toContain('src/f1.test.js: 24')
    expect(svg).toContain('not released')
  })

  test('held files are listed with their holder and path, escaped', () => {
    const html = suiteSection([file(0, 20), file(1, 24, 'held'), { ...file(2, 24), verdict: 'unchecked', heapUsedAfterGc: undefined }])
    expect(html).toContain('3 test files watched, 2 checked, 1 not released after it ended.')
    expect(html).toContain('1 unchecked')
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;')
    expect(html).not.toContain('<b>x</b>')
    expect(html).toMatch(/<td class="mono">src\/f1\.test\.js<\/td><td>listener<\/td>/)
  })
})

test('the page title counts the files not released', () => {
  const html = formatHtml({
    schemaVersion: 2,
    tool: 'leakproof',
    createdAt: '2026-12-03T00:00:00Z',
    run: { framework: 'jest', frameworkVersion: '29.7.0', node: 'v20', platform: 'linux-x64' },
    tests: [],
    files: [file(0, 20), file(1, 24, 'held')],
  })
  expect(html).toContain('<title>leakproof report: no memory leaks, 1 test file not released</title>')
  expect(html).toContain('Test files: which file leaks the worker')
})
