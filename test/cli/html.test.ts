// The HTML report: structure and escaping are asserted on the text; when Chromium is installed
// (/usr/bin/chromium) the page is also loaded headless to check that it renders, that its script
// runs under its own Content-Security-Policy and that nothing from a test name became markup.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { esc, heapPlot } from '../../packages/cli/src/format/html.js'
import { theilSen } from '../../packages/cli/src/stats.js'
import type { Report } from '../../packages/cli/src/validate.js'
import { ensureBuilt, fixtures, readJson, runCli, tempDir, writeJson } from './helpers.js'

beforeAll(() => ensureBuilt())

const chromium = '/usr/bin/chromium'
const hasChromium = existsSync(chromium)

function chromiumArgs(): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    `--user-data-dir=${mkdtempSync(join(tmpdir(), 'leakproof-chromium-'))}`,
  ]
}

let html: string
let report: Report
beforeAll(() => {
  report = readJson<Report>(join(fixtures, 'current.json'))
  const r = runCli(['report', 'current.json', '--format', 'html'])
  expect(r.code).toBe(1)
  html = r.stdout
})

describe('HTML structure (no browser)', () => {
  test('one self-contained page: no external URLs, scripts, styles or images', () => {
    expect(html.startsWith('<!doctype html>\n')).toBe(true)
    expect(html.match(/<html/g)).toHaveLength(1)
    // No attribute pulls anything in: every src/href is a same-page anchor.
    const refs = [...html.matchAll(/\s(src|href|action|xlink:href)\s*=\s*"([^"]*)"/g)].map((m) => m[2]!)
    expect(refs.length).toBeGreaterThan(0)
    expect(refs.filter((r) => !r.startsWith('#'))).toEqual([])
    expect(html).not.toMatch(/<link|<iframe|<object|<embed|@import|url\(/i)
    expect(html.match(/<script>/g)).toHaveLength(1)
    expect(html.match(/<style>/g)).toHaveLength(1)
  })

  test('the CSP allows exactly the inline style and script of the page', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replace(/&#39;/g, "'")
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`
    expect(csp).toBe(`default-src 'none'; style-src ${hash(style)}; script-src ${hash(script)}; img-src data:; base-uri 'none'; form-action 'none'`)
  })

  test('a section per test with a heap plot of its samples and the fitted line', () => {
    const sections = [...html.matchAll(/<details class="test" id="(t\d+)" data-verdict="(\w+)"/g)]
    expect(sections.map((m) => m[2])).toEqual(['leak', 'leak', 'leak', 'leak', 'error', 'clean', 'clean', 'clean', 'clean', 'clean', 'skipped'])
    // Tests with samples get one SVG each (9 of 11: not the error and the skipped one).
    const svgs = [...html.matchAll(/<svg class="plot"[\s\S]*?<\/svg>/g)].map((m) => m[0])
    expect(svgs).toHaveLength(9)
    for (const svg of svgs) {
      expect(svg.match(/<circle class="heap" cx="[\d.]+" cy="[\d.]+" r="3.5"><title>after \d+ calls/g)).toHaveLength(11) // 11 samples each
      expect(svg).toMatch(/<line class="fit( ok)?"/)
      expect(svg).toMatch(/<line class="ts"/)
    }
    // The buffer leak also plots external memory.
    expect(svgs.filter((s) => s.includes('class="ext"'))).toHaveLength(1)
    // Retained types and retainer paths of the session leak.
    expect(html).toContain('<td><code>Session</code></td>')
    expect(html).toContain('sessions (Array) → [849] → Session')
    // Summary table links to the sections.
    expect(html.match(/<a href="#t\d+">/g)).toHaveLength(11)
  })

  test('the fitted line has the slope the report gives', () => {
    const r = report.tests[0]!.report!
    const svg = heapPlot(r, 'x')
    const line = /<line class="fit" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"/.exec(svg)!
    const [x1, y1, x2, y2] = line.slice(1).map(Number) as [number, number, number, number]
    // Pixel slope converted back with the axes (read from the tick labels): compare the ratio
    // against the Theil–Sen line drawn on the same axes.
    const ts = /<line class="ts" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"/.exec(svg)!
    const [a1, b1, a2, b2] = ts.slice(1).map(Number) as [number, number, number, number]
    const fit = theilSen(r.samples.iteration, r.samples.heapUsed)!
    const ratio = (y2 - y1) / (x2 - x1) / ((b2 - b1) / (a2 - a1))
    expect(ratio).toBeCloseTo(r.bytesPerIteration / fit.slope, 1)
  })

  test('text from the report is escaped everywhere', () => {
    // The fixture's test name is `<img src=x onerror=alert(1)> | **not bold** ...`.
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    const evil = structuredClone(report)
    const payload = `"><script>alert(1)</script><svg onload=alert(2)>'&amp;`
    evil.tests[0]!.name = payload
    evil.tests[0]!.file = `x"onmouseover="alert(3).ts`
    evil.tests[0]!.report!.retainedTypes[0]!.name = '</code><b>type</b>'
    evil.tests[0]!.report!.retainerPaths[0]!.text = '</pre><iframe src=//evil>'
    evil.tests[4]!.error = '<script>alert(4)</script>'
    evil.run.frameworkVersion = '</title><script>alert(5)</script>'
    const dir = tempDir()
    writeJson(join(dir, 'evil.json'), evil)
    const out = runCli(['report', 'evil.json', '--format', 'html'], { cwd: dir }).stdout
    expect(out.match(/<script/g)).toHaveLength(1) // the page's own
    expect(out).not.toMatch(/<svg onload|<iframe|<b>type|onmouseover="/)
    expect(out).toContain(esc(payload))
    expect(out).toContain('&lt;/code&gt;&lt;b&gt;type&lt;/b&gt;')
    expect(esc(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;')
  })

  test('an empty report is a page that says so', () => {
    const r = runCli(['report', 'empty.json', '--format', 'html'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('<p>No leak checks were recorded.</p>')
    expect(r.stdout).not.toContain('<script>')
  })

  test('--out writes the file', () => {
    const dir = tempDir()
    const r = runCli(['report', join(fixtures, 'current.json'), '--format', 'html', '--out', join(dir, 'sub', 'report.html'), '--exit-zero'])
    expect(r.code).toBe(0)
    expect(readFileSync(join(dir, 'sub', 'report.html'), 'utf8')).toBe(html)
  })
})

describe.skipIf(!hasChromium)('HTML in Chromium', () => {
  test('renders, runs its script under the CSP, and a test name cannot add elements', () => {
    const dir = tempDir()
    const evil = structuredClone(report)
    evil.tests[0]!.name = '<img id=injected src=x onerror="document.title=1">'
    writeJson(join(dir, 'evil.json'), evil)
    expect(runCli(['report', 'evil.json', '--format', 'html', '--out', 'report.html', '-q'], { cwd: dir }).code).toBe(1)
    const file = join(dir, 'report.html')
    const dom = spawnSync(chromium, [...chromiumArgs(), '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 60_000 })
    expect(dom.stdout).toContain('data-ready="1"') // the inline script ran: its CSP hash is right
    expect(dom.stdout).not.toContain('id="injected"')
    expect(dom.stdout).toContain('&lt;img id=injected')
    expect(dom.stdout.match(/<svg class="plot"/g)).toHaveLength(9)

    const png = join(dir, 'report.png')
    spawnSync(chromium, [...chromiumArgs(), `--screenshot=${png}`, '--window-size=1200,1600', `file://${file}`], { timeout: 60_000 })
    expect(existsSync(png)).toBe(true)
    const bytes = readFileSync(png)
    expect(bytes.subarray(1, 4).toString()).toBe('PNG')
    expect(bytes.readUInt32BE(16)).toBe(1200) // width from the IHDR chunk
    expect(statSync(png).size).toBeGreaterThan(50_000) // not a blank page
    writeFileSync(join(tmpdir(), 'leakproof-cli-report.png'), bytes) // for a human to look at
  })
})
