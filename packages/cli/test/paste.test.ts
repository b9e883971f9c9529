// Reports a user can paste (issue 16), as the CLI's formats render them: relative paths,
// annotations on the repository's paths, Markdown escaped only where it is markup, no zero-count
// rows, plots with one unit per axis over the samples the line was computed from.
import type { LeakReport, TestLeakRecord } from '@leakproof/core'
import { describe, expect, test } from 'vitest'
import { formatConsole } from '../src/format/console.js'
import { annotationFile, formatGithub } from '../src/format/github.js'
import { byteAxisLabel, callsAxisLabel, formatHtml, heapPlot } from '../src/format/html.js'
import { formatJson } from '../src/format/json.js'
import { codeSpan, escapeMarkdown, formatMarkdown } from '../src/format/markdown.js'
import { niceAxis, niceByteAxis } from '../src/stats.js'
import type { Report } from '../src/validate.js'

const root = '/home/runner/work/app/app'

function leakReport(parts: Partial<LeakReport> = {}): LeakReport {
  return {
    leaked: true,
    verdict: 'leak',
    kinds: ['heap'],
    iterations: 400,
    warmupIterations: 40,
    bytesPerIteration: 120,
    externalBytesPerIteration: 0,
    samples: { iteration: [0, 100, 200, 300, 400], heapUsed: [1e6, 1e6 + 12e3, 1e6 + 24e3, 1e6 + 36e3, 1e6 + 48e3], external: [0, 0, 0, 0, 0], arrayBuffers: [0, 0, 0, 0, 0] },
    retainedTypes: [],
    retainerPaths: [],
    allocationSites: [],
    resources: [],
    listeners: [],
    gc: { forced: 0, minor: 0, major: 0, incremental: 0, weakCallbacks: 0, gcTimeMs: 0 },
    decision: [],
    snapshots: [],
    durationMs: 1,
    summary: '',
    runtime: { node: 'v20', v8: '11', gc: 'expose-gc' },
    ...parts,
  }
}

function runReport(tests: TestLeakRecord[]): Report {
  return {
    schemaVersion: 1,
    tool: 'leakproof',
    createdAt: '2025-01-01T00:00:00.000Z',
    run: { framework: 'vitest', frameworkVersion: '4', node: 'v20', platform: 'linux-x64' },
    tests,
  }
}

/** A leak written with absolute paths and file:// URLs, as an older engine or another tool wrote them. */
const absolute = runReport([
  {
    file: `${root}/test/api.test.ts`,
    name: 'api > login',
    line: 12,
    verdict: 'leak',
    source: 'matcher',
    report: leakReport({
      retainedTypes: [{ name: 'Session', nodeType: 'object', countPerIteration: 1, bytesPerIteration: 120, retainedCount: 400, retainedBytes: 48000 }],
      allocationSites: [
        {
          functionName: 'login',
          file: `file://${root}/src/login.ts`,
          line: 5,
          column: 3,
          bytesPerIteration: 120,
          stack: [`handler (${root}/src/handler.ts:9:2)`, `loop (${root}/node_modules/@leakproof/core/dist/index.js:1:1)`],
        },
      ],
      resources: [{ type: 'Timeout', countPerIteration: 1, retainedCount: 400, stack: `at poll (file://${root}/src/poll.ts:4:3)\nat run (${root}/node_modules/@leakproof/vitest/dist/index.js:2:2)` }],
    }),
  },
])

describe('paths relative to the project root, in every format', () => {
  const formats: [string, (r: Report) => string][] = [
    ['console', (r) => formatConsole(r, { root })],
    ['markdown', (r) => formatMarkdown(r, { root })],
    ['github', (r) => formatGithub(r, { root })],
    ['html', (r) => formatHtml(r, { root })],
    ['json', (r) => formatJson(r, { root })],
  ]
  test.each(formats)('%s', (_name, format) => {
    const text = format(absolute)
    expect(text).not.toContain(root)
    expect(text).not.toContain('file://')
    expect(text).not.toContain('node_modules/@leakproof/')
    expect(text).toContain('test/api.test.ts')
    expect(text).toContain('src/login.ts:5:3')
  })

  test('console, markdown and html show the callers and creation stacks relative too', () => {
    for (const text of [formatConsole(absolute, { root }), formatMarkdown(absolute, { root }), formatHtml(absolute, { root })]) {
      expect(text).toContain('handler (src/handler.ts:9:2)')
      expect(text).toContain('at poll (src/poll.ts:4:3)')
    }
  })

  test('GitHub annotations: file= relative to $GITHUB_WORKSPACE (the repository root)', () => {
    const workspace = '/home/runner/work/app'
    // Absolute, or relative to the project root below the repository root.
    expect(annotationFile(`${root}/test/api.test.ts`, { workspace })).toBe('app/test/api.test.ts')
    expect(annotationFile('test/api.test.ts', { workspace, base: root })).toBe('app/test/api.test.ts')
    expect(annotationFile(`file://${root}/test/api.test.ts`, { workspace })).toBe('app/test/api.test.ts')
    // Outside the workspace, or no workspace: as the report has it.
    expect(annotationFile('/elsewhere/x.test.ts', { workspace })).toBe('/elsewhere/x.test.ts')
    expect(annotationFile('test/api.test.ts')).toBe('test/api.test.ts')
    const out = formatGithub(absolute, { root, workspace })
    expect(out).toMatch(/^::error file=app\/test\/api\.test\.ts,line=12,title=Memory leak::api > login: leaks .*allocated at login \(src\/login\.ts:5:3\)$/m)
  })
})

describe('Markdown: escaped only where it is markup', () => {
  test('type names and test names that are not markup stay as they are', () => {
    expect(escapeMarkdown('foo_bar_baz')).toBe('foo_bar_baz')
    expect(escapeMarkdown('a*b')).toBe('a*b')
    expect(escapeMarkdown('node v20.1.0, linux-x64: 100% (a) {b} @c + d')).toBe('node v20.1.0, linux-x64: 100% (a) {b} @c + d')
    expect(escapeMarkdown('a < b & c > d')).toBe('a < b & c > d')
    expect(escapeMarkdown('(Stack roots) → [28] → previous')).toBe('(Stack roots) → [28] → previous')
    expect(escapeMarkdown('C:\\dir\\file')).toBe('C:\\dir\\file')
  })

  test('markup is escaped', () => {
    expect(escapeMarkdown('Map<string, Array>')).toBe('Map\\<string, Array>')
    expect(escapeMarkdown('_private_ and *both* and ~~gone~~ and $x$')).toBe('\\_private\\_ and \\*both\\* and \\~\\~gone\\~\\~ and \\$x\\$')
    expect(escapeMarkdown('[click](http://evil)')).toBe('\\[click\\](http://evil)')
    expect(escapeMarkdown('a `tick` b')).toBe('a \\`tick\\` b')
    expect(escapeMarkdown('x &amp; y &#60;')).toBe('x \\&amp; y \\&#60;')
    expect(escapeMarkdown('ends in \\')).toBe('ends in \\\\')
    expect(escapeMarkdown('a\\*b')).toBe('a\\\\*b')
  })

  test('by position: pipes in table cells, block markers at a line start, closing #s of a heading, * inside **…**', () => {
    expect(escapeMarkdown('a | b')).toBe('a | b')
    expect(escapeMarkdown('a | b', { table: true })).toBe('a \\| b')
    expect(escapeMarkdown('- x', { lineStart: true })).toBe('\\- x')
    expect(escapeMarkdown('- x')).toBe('- x')
    expect(escapeMarkdown('# x', { lineStart: true })).toBe('\\# x')
    expect(escapeMarkdown('> x', { lineStart: true })).toBe('\\> x')
    expect(escapeMarkdown('12. x', { lineStart: true })).toBe('12\\. x')
    expect(escapeMarkdown('[x] done', { lineStart: true })).toBe('\\[x\\] done')
    expect(escapeMarkdown('issue #12 #', { heading: true })).toBe('issue #12 \\#')
    expect(escapeMarkdown('issue #12', { heading: true })).toBe('issue #12')
    expect(escapeMarkdown('a*b', { emphasis: true })).toBe('a\\*b')
  })

  test('code spans: nothing backslash-escaped inside, but a pipe in a table cell', () => {
    expect(codeSpan('Map<string, Array>')).toBe('`Map<string, Array>`')
    expect(codeSpan('foo_bar*baz')).toBe('`foo_bar*baz`')
    expect(codeSpan('a|b')).toBe('`a|b`')
    expect(codeSpan('a|b', { table: true })).toBe('`a\\|b`')
    expect(codeSpan('a`b')).toBe('``a`b``')
    expect(codeSpan('`x`')).toBe('`` `x` ``')
  })

  test('in a report: type names in code spans unescaped, test names escaped only where needed', () => {
    const md = formatMarkdown(
      runReport([
        {
          file: 'test/a|b.test.ts',
          name: 'foo_bar_baz > a*b > Map<string, Array> | x',
          line: 3,
          verdict: 'leak',
          source: 'matcher',
          report: leakReport({
            retainedTypes: [
              { name: 'Map<string, Array>', nodeType: 'object', countPerIteration: 1, bytesPerIteration: 80, retainedCount: 400, retainedBytes: 1 },
              { name: 'foo_bar|baz', nodeType: 'object', countPerIteration: 1, bytesPerIteration: 40, retainedCount: 400, retainedBytes: 1 },
            ],
          }),
        },
      ]),
    )
    expect(md).toContain('| `Map<string, Array>` | 1 | 80 B | 400 |')
    expect(md).toContain('| `foo_bar\\|baz` | 1 | 40 B | 400 |')
    // The summary row: a table cell, so the name's pipe is escaped, nothing else is.
    expect(md).toContain('| ❌ | `test/a\\|b.test.ts` › foo_bar_baz > a*b > Map\\<string, Array> \\| x | leak |')
    // The heading and the file line are not in a table: no pipe escapes there.
    expect(md).toContain('### ❌ foo_bar_baz > a*b > Map\\<string, Array> | x\n')
    expect(md).toContain('\n`test/a|b.test.ts` line 3\n')
    expect(md).toContain('<sub>vitest 4, node v20, linux-x64</sub>')
  })
})

describe('no zero-count rows', () => {
  const report = runReport([
    {
      file: 'test/a.test.ts',
      name: 'a',
      verdict: 'leak',
      source: 'matcher',
      report: leakReport({
        retainedTypes: [
          { name: 'Session', nodeType: 'object', countPerIteration: 1, bytesPerIteration: 40, retainedCount: 400, retainedBytes: 1 },
          { name: '(object elements)', nodeType: 'array', countPerIteration: 0.0009, bytesPerIteration: 7.8, retainedCount: 1, retainedBytes: 1 },
        ],
        allocationSites: [
          { functionName: 'make', file: 'src/a.ts', line: 1, column: 1, bytesPerIteration: 40, stack: [] },
          { functionName: 'noise', file: 'src/n.ts', line: 1, column: 1, bytesPerIteration: 0.01, stack: [] },
        ],
      }),
    },
  ])

  test('console', () => {
    const text = formatConsole(report)
    expect(text).not.toMatch(/\(object elements\)\s+0\s/)
    expect(text).toContain('Growing in size without new objects (backing stores): (object elements) 7.8 B/call.')
    expect(text).not.toContain('noise')
  })

  test('markdown', () => {
    const md = formatMarkdown(report)
    expect(md).not.toMatch(/\| `\(object elements\)` \| 0 \|/)
    expect(md).toContain('(backing stores): (object elements) 7.8 B/call.')
    expect(md).not.toContain('noise')
  })

  test('html', () => {
    const html = formatHtml(report)
    expect(html).not.toMatch(/<code>\(object elements\)<\/code><\/td><td>array<\/td><td class="num">0</)
    expect(html).toContain('(backing stores): (object elements) 7.8 B/call.')
    expect(html).not.toContain('noise')
  })

  test('the top clue skips a store whose count is 0', () => {
    const first = runReport([{ ...report.tests[0]!, report: { ...report.tests[0]!.report!, retainedTypes: [...report.tests[0]!.report!.retainedTypes].reverse() } }])
    expect(formatMarkdown(first)).toContain('`Session +1/call`')
  })
})

test('a site that is the subject itself carries the inlining note in every format', () => {
  const report = runReport([
    {
      file: 'test/a.test.ts',
      name: 'a',
      line: 12,
      verdict: 'leak',
      source: 'matcher',
      report: leakReport({ allocationSites: [{ functionName: '(anonymous)', file: 'test/a.test.ts', line: 12, column: 24, bytesPerIteration: 120, stack: [], subject: true }] }),
    },
  ])
  expect(formatConsole(report)).toMatch(/\(anonymous\) \(test\/a\.test\.ts:12:24\)  120 B\/call\n\s+\(allocation inlined into the subject/)
  expect(formatMarkdown(report)).toMatch(/\(anonymous\) \(test\/a\.test\.ts:12:24\)  120 B\/call\n\s+\(allocation inlined into the subject/)
  expect(formatHtml(report)).toContain('(allocation inlined into the subject')
  expect(formatGithub(report)).toContain('allocated at (anonymous) (test/a.test.ts:12:24) (allocation inlined into the subject)')
})

describe('heap plot', () => {
  const labels = (svg: string, anchor: 'end' | 'middle') =>
    [...svg.matchAll(new RegExp(`<text [^>]*text-anchor="${anchor}">([^<]*)</text>`, 'g'))].map((m) => m[1]!).filter((t) => t !== 'calls after warm-up')

  test('one unit per axis: bytes in B, KB or MB for every tick; calls plain or all in thousands', () => {
    // A range around 2 KB: ticks of 512 B would have read "+512 B", "+1 KB", "+1.5 KB".
    const a = niceByteAxis(0, 2100)
    const ticks: string[] = []
    for (let v = a.min; v <= a.max + a.step / 2; v += a.step) ticks.push(byteAxisLabel(v, a.step, a.unit))
    expect(new Set(ticks.map((t) => t.split(' ')[1]))).toEqual(new Set(['KB']))
    expect(ticks[0]).toBe('0 KB')
    expect(byteAxisLabel(1536, 512, 1024)).toBe('+1.5 KB')
    expect(byteAxisLabel(1024, 512, 1024)).toBe('+1.0 KB')
    expect(byteAxisLabel(-4096, 2048, 1024)).toBe('−4 KB')
    expect(byteAxisLabel(500, 250, 1)).toBe('+500 B')
    // 0 … 12 500 calls in steps of 2 500: 2.5k … 12.5k, never "7500" next to "10k".
    const x = niceAxis(0, 12_500, 6)
    const calls: string[] = []
    for (let v = x.min; v <= x.max + x.step / 2; v += x.step) calls.push(callsAxisLabel(v, x.step, x.max))
    expect(calls.every((c) => c === '0' || /^\d+(\.\d)?k$/.test(c))).toBe(true)
    expect(callsAxisLabel(400, 100, 400)).toBe('400')
  })

  test('the plot labels its axes in one unit each', () => {
    const svg = heapPlot(
      leakReport({
        samples: { iteration: [0, 100, 200, 300, 400], heapUsed: [0, 600, 1200, 1700, 2300], external: [0, 0, 0, 0, 0], arrayBuffers: [0, 0, 0, 0, 0] },
        bytesPerIteration: 5.7,
      }),
      'x',
    )
    const y = labels(svg, 'end')
    expect(y.length).toBeGreaterThan(2)
    expect(new Set(y.map((t) => t.split(' ')[1])).size).toBe(1)
  })

  test("the line over the samples has the slope of the screen that took them; a confirmation's verdict is stated, not drawn", () => {
    const report = leakReport({
      // The screen saw ~120 B/call over these 400 calls; heap snapshots afterwards measured 2 KB/call over 100 calls.
      bytesPerIteration: 2048,
      decision: [
        { stage: 'warmup', iterations: 40, bytesPerIteration: 0, outcome: 'clean', note: '' },
        { stage: 'screen', iterations: 400, bytesPerIteration: 120, outcome: 'suspect', note: '' },
        { stage: 'confirm', iterations: 100, bytesPerIteration: 2048, outcome: 'leak', note: '' },
      ],
    })
    const svg = heapPlot(report, 'x')
    expect(svg).toContain('screen: 120 B/call')
    expect(svg).not.toContain('leakproof: 2.0 KB/call')
    expect(svg).toMatch(/The verdict&#39;s 2\.0 KB\/call comes from heap snapshots over 100 calls after these samples/)
    // The solid line's slope, in data units: 120 B/call, not 2 KB/call.
    const line = /<line class="fit" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"><title>screen estimate/.exec(svg)!
    const ySpan = Number(line[2]) - Number(line[4])
    const tsLine = /<line class="ts" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)">/.exec(svg)!
    // Theil–Sen of these samples is exactly 120 B/call: the two lines are parallel.
    expect(Math.abs(ySpan - (Number(tsLine[2]) - Number(tsLine[4])))).toBeLessThan(0.2)
    // The x range is the samples' calls.
    expect(labels(svg, 'middle')).toEqual(['0', '100', '200', '300', '400'])
  })

  test('a verdict from the screen itself: the line has its slope and there is no note', () => {
    const svg = heapPlot(
      leakReport({ decision: [{ stage: 'screen', iterations: 400, bytesPerIteration: 120, outcome: 'leak', note: '' }] }),
      'x',
    )
    expect(svg).toContain('screen: 120 B/call')
    expect(svg).not.toContain('The verdict')
  })
})
