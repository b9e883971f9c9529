// The HTML report: structure and escaping are asserted on the text; the page is also loaded in
// headless Chromium (Debian's chromium package) to check that it renders, that its script runs
// under its own Content-Security-Policy and that nothing from a test name became markup. Locally
// the browser test is skipped when Chromium is not installed; in CI (`CI` set, or
// LEAKPROOF_REQUIRE_CHROMIUM=1 as .ci/run sets it, which also installs Chromium) it fails instead.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { esc, heapPlot } from '../../packages/cli/src/format/html.js'
import { theilSen } from '../../packages/cli/src/stats.js'
import type { Report } from '../../packages/cli/src/validate.js'
import { ensureBuilt, fixtures, readJson, runCli, tempDir, writeJson } from './helpers.js'

beforeAll(() => ensureBuilt())

/** Debian's chromium on PATH (.ci/run checks with `command -v chromium`), else /usr/bin/chromium. */
function findChromium(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'chromium'))) return join(dir, 'chromium')
  }
  return '/usr/bin/chromium'
}
const chromium = findChromium()
const hasChromium = existsSync(chromium)
const isSet = (v: string | undefined) => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false'
const chromiumRequired = isSet(process.env.CI) || isSet(process.env.LEAKPROOF_REQUIRE_CHROMIUM)

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

  test('the fitted line has the slope of the screen that took the plotted samples', () => {
    const r = report.tests[0]!.report!
    const screen = r.decision.filter((d) => d.stage === 'screen').pop()!
    const svg = heapPlot(r, 'x')
    const line = /<line class="fit" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"/.exec(svg)!
    const [x1, y1, x2, y2] = line.slice(1).map(Number) as [number, number, number, number]
    // Pixel slope converted back with the axes (read from the tick labels): compare the ratio
    // against the Theil–Sen line drawn on the same axes.
    const ts = /<line class="ts" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"/.exec(svg)!
    const [a1, b1, a2, b2] = ts.slice(1).map(Number) as [number, number, number, number]
    const fit = theilSen(r.samples.iteration, r.samples.heapUsed)!
    const ratio = (y2 - y1) / (x2 - x1) / ((b2 - b1) / (a2 - a1))
    expect(ratio).toBeCloseTo(screen.bytesPerIteration / fit.slope, 1)
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

const chromiumSuite = hasChromium
  ? 'HTML in Chromium'
  : 'HTML in Chromium (skipped: no chromium on PATH or at /usr/bin/chromium; apt-get install chromium. Required when CI is set)'
function requireChromium(): void {
  if (!hasChromium) {
    throw new Error(
      'chromium is missing (not on PATH, not at /usr/bin/chromium), and CI or LEAKPROOF_REQUIRE_CHROMIUM is set, so the HTML report cannot go unchecked: ' +
        "install Debian's chromium (.ci/run does: apt-get install -y --no-install-recommends chromium)",
    )
  }
}

describe.skipIf(!hasChromium && !chromiumRequired)(chromiumSuite, () => {
  test('renders, runs its script under the CSP, and a test name cannot add elements', () => {
    requireChromium()
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

  test('plot legends, as the browser lays them out: entries are apart and inside the plot (long labels wrap)', () => {
    requireChromium()
    const dir = tempDir()
    // The fixture's plots, plus one whose legend labels are as long as formatBytes makes them.
    const wide = structuredClone(report)
    const buffers = wide.tests.find((t) => t.report && t.report.externalBytesPerIteration > 0)!
    const long = structuredClone(buffers)
    long.name = 'long legend labels'
    long.report!.bytesPerIteration = 1023.9 * 1024
    long.report!.externalBytesPerIteration = 1023.9 * 1024
    // The legend names the slope of the screen that took the samples, and the samples' own fit.
    const samples = long.report!.samples
    samples.heapUsed = samples.heapUsed.map((v, i) => v + samples.iteration[i]! * 1023.5 * 1024)
    for (const d of long.report!.decision) {
      if (d.stage !== 'screen') continue
      d.bytesPerIteration = 1023.9 * 1024
      d.externalBytesPerIteration = 1023.9 * 1024
    }
    wide.tests.push(long)
    writeJson(join(dir, 'wide.json'), wide)
    expect(runCli(['report', 'wide.json', '--format', 'html', '--out', 'report.html', '-q'], { cwd: dir }).code).toBe(1)
    // A copy of the page without its CSP, with a script that measures the rendered legends.
    const measure = `<script>
      var out = [];
      document.querySelectorAll('details.test').forEach(function (d) { d.open = true });
      document.querySelectorAll('svg.plot').forEach(function (svg) {
        var i = JSON.stringify(svg.closest('details').getAttribute('data-label').split(' > ').pop());
        var width = svg.viewBox.baseVal.width;
        var boxes = [].slice.call(svg.querySelectorAll('g[transform]')).map(function (g) {
          var b = g.getBBox(), t = g.transform.baseVal.consolidate().matrix;
          return { x: b.x + t.e, y: b.y + t.f, w: b.width, h: b.height };
        });
        boxes.forEach(function (a, j) {
          if (a.x < 0 || a.x + a.w > width) out.push('plot ' + i + ': legend entry ' + j + ' leaves the plot');
          boxes.slice(j + 1).forEach(function (b, k) {
            // At least 8px between entries of a row: less reads as one label running into the next.
            if (a.x < b.x + b.w + 8 && b.x < a.x + a.w + 8 && a.y < b.y + b.h && b.y < a.y + a.h) out.push('plot ' + i + ': legend entries ' + j + ' and ' + (j + k + 1) + ' are less than 8px apart');
          });
        });
        var rows = new Set(boxes.map(function (b) { return Math.round(b.y) })).size;
        out.push('plot ' + i + ': ' + boxes.length + ' entries in ' + rows + ' row(s)');
      });
      document.body.setAttribute('data-legends', JSON.stringify(out));
    </script>`
    const page = readFileSync(join(dir, 'report.html'), 'utf8')
      .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
      .replace('</body>', `${measure}</body>`)
    writeFileSync(join(dir, 'measure.html'), page)
    const dom = spawnSync(chromium, [...chromiumArgs(), '--dump-dom', `file://${join(dir, 'measure.html')}`], { encoding: 'utf8', timeout: 60_000 })
    const attr = /data-legends="([^"]*)"/.exec(dom.stdout)?.[1]
    expect(attr, dom.stderr).toBeDefined()
    const lines = JSON.parse(attr!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as string[]
    expect(lines.filter((l) => !/entries in \d row/.test(l))).toEqual([])
    // The 9 plots of the fixture fit their legend on one row; the long labels take a second row.
    const rows = lines.map((l) => /in (\d) row/.exec(l)![1]).join('')
    expect(rows, lines.join('\n')).toMatch(/^1+21*$/)
    expect(lines).toHaveLength(10)
    expect(lines).toContain('plot "long legend labels": 4 entries in 2 row(s)')
  })
})
