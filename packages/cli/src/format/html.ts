// One self-contained HTML page: inline CSS, JS and SVG, no external requests. Every piece of text
// from the report goes through `esc`, and a Content-Security-Policy allows only this page's own
// style and script (by hash), so markup smuggled into a test name can neither render nor run.
import { createHash } from 'node:crypto'
import type { LeakReport } from '@leakproof/core'
import { interceptFor, niceAxis, niceByteAxis, stepDecimals, theilSen } from '../stats.js'
import { cliVersion, type Report, type TestLeakRecord } from '../validate.js'
import { countedTypes, shownSites, siteNote, storesLine } from '../core.js'
import { suiteSection } from './suite-html.js'
import { byVerdict, countVerdicts, countsLine, formatBytes, leakWhat, pasteable, perCall, plural, siteText, topClue, type PathOptions } from './common.js'

/** Escape text for HTML element content and double- or single-quoted attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

const css = `
:root{--fg:#1f2328;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--line:#d1d9e0;--leak:#cf222e;--leak-bg:#ffebe9;--clean:#1a7f37;--clean-bg:#dafbe1;--error:#9a6700;--error-bg:#fff8c5;--skipped:#59636e;--skipped-bg:#eff2f5;--inconclusive:#8250df;--inconclusive-bg:#fbefff;--accent:#0969da}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--panel:#151b23;--line:#3d444d;--leak:#ff7b72;--leak-bg:#3c1618;--clean:#3fb950;--clean-bg:#12261e;--error:#d29922;--error-bg:#2e2a17;--skipped:#9198a1;--skipped-bg:#212830;--inconclusive:#ab7df8;--inconclusive-bg:#271a3d;--accent:#4493f8}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:32px 0 8px}
h3{font-size:14px;margin:16px 0 6px}
.meta{color:var(--muted);margin:0 0 16px}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 10px;overflow-x:auto;margin:6px 0;white-space:pre-wrap;word-break:break-word}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.test{word-break:break-word}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;line-height:20px;white-space:nowrap}
.b-leak{color:var(--leak);background:var(--leak-bg)}.b-clean{color:var(--clean);background:var(--clean-bg)}
.b-error{color:var(--error);background:var(--error-bg)}.b-skipped{color:var(--skipped);background:var(--skipped-bg)}
.b-inconclusive{color:var(--inconclusive);background:var(--inconclusive-bg)}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:110px;background:var(--panel)}
.card b{display:block;font-size:22px}
.card.leak b{color:var(--leak)}.card.clean b{color:var(--clean)}.card.error b{color:var(--error)}.card.skipped b{color:var(--skipped)}.card.inconclusive b{color:var(--inconclusive)}
.toolbar{display:flex;gap:14px;align-items:center;flex-wrap:wrap;margin:16px 0 8px;padding:8px 12px;border:1px solid var(--line);border-radius:8px}
.toolbar input[type=search]{flex:1;min-width:180px;padding:4px 8px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
.toolbar label{white-space:nowrap}
details.test{border:1px solid var(--line);border-left-width:4px;border-radius:8px;margin:10px 0;background:var(--bg)}
details.test[data-verdict=leak]{border-left-color:var(--leak)}details.test[data-verdict=clean]{border-left-color:var(--clean)}
details.test[data-verdict=error]{border-left-color:var(--error)}details.test[data-verdict=skipped]{border-left-color:var(--skipped)}
details.test[data-verdict=inconclusive]{border-left-color:var(--inconclusive)}
details.test>summary{cursor:pointer;padding:10px 14px}
details.test>summary .name{font-weight:600;word-break:break-word}
details.test>summary .where{color:var(--muted);font-size:12px;display:block;margin-left:18px}
.body{padding:0 14px 14px}
.headline{margin:4px 0 8px}
.plot{display:block;max-width:100%;height:auto;border:1px solid var(--line);border-radius:6px;background:var(--panel)}
.plot .axis{stroke:var(--muted);stroke-width:1}.plot .grid{stroke:var(--line);stroke-width:1}
.plot text{fill:var(--muted);font-size:11px;font-family:inherit}
.plot .heap{fill:var(--accent)}.plot .ext{fill:#8250df}
.plot .fit{stroke:var(--leak);stroke-width:2;fill:none}.plot .fit.ok{stroke:var(--clean)}
.plot .ts{stroke:var(--muted);stroke-width:1.5;stroke-dasharray:5 4;fill:none}
.plot .held{fill:var(--leak)}
.plot .extfit{stroke:#8250df;stroke-width:1.5;fill:none}
.grid2{display:grid;grid-template-columns:minmax(0,1fr);gap:4px}
.muted{color:var(--muted)}
.hidden{display:none}
footer{color:var(--muted);font-size:12px;margin:32px 0 0;border-top:1px solid var(--line);padding-top:8px}
`.trim()

const js = `
(function(){
  var boxes=[].slice.call(document.querySelectorAll('input[data-filter]'));
  var search=document.getElementById('search');
  var items=[].slice.call(document.querySelectorAll('[data-verdict][data-label]'));
  function apply(){
    var on={};boxes.forEach(function(b){on[b.getAttribute('data-filter')]=b.checked});
    var q=(search.value||'').toLowerCase();
    var shown=0;
    items.forEach(function(el){
      var ok=on[el.getAttribute('data-verdict')]&&el.getAttribute('data-label').toLowerCase().indexOf(q)!==-1;
      el.classList.toggle('hidden',!ok);if(ok&&el.tagName==='DETAILS')shown++;
    });
    document.getElementById('shown').textContent=String(shown);
  }
  boxes.forEach(function(b){b.addEventListener('change',apply)});
  search.addEventListener('input',apply);
  document.getElementById('expand').addEventListener('click',function(){document.querySelectorAll('details.test:not(.hidden)').forEach(function(d){d.open=true})});
  document.getElementById('collapse').addEventListener('click',function(){document.querySelectorAll('details.test').forEach(function(d){d.open=false})});
  apply();
  document.documentElement.setAttribute('data-ready','1');
})();
`.trim()

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`

const byteUnits: Record<number, string> = { 1: 'B', 1024: 'KB', [1024 ** 2]: 'MB' }

/**
 * Labels of a byte axis, all in the axis's one unit: `−4 KB`, `0 KB`, `+4 KB`, `+8 KB` (never
 * `+512 B` next to `+1 KB`). `step` is the tick spacing in bytes, `unit` 1, 1024 or 1024².
 */
export function byteAxisLabel(n: number, step: number, unit: number): string {
  const name = byteUnits[unit] ?? 'B'
  const decimals = stepDecimals(step / unit)
  const value = n / unit
  if (Math.abs(value) < 0.5 * 10 ** -decimals) return `0 ${name}`
  return `${value > 0 ? '+' : '−'}${Math.abs(value).toFixed(decimals)} ${name}`
}

/**
 * Labels of the calls axis, in one unit: plain counts, or thousands (`2.5k`, `5k`, `7.5k`) when
 * the axis reaches 10 000.
 */
export function callsAxisLabel(n: number, step: number, max: number): string {
  if (max < 10_000) return String(Math.round(n))
  const decimals = stepDecimals(step / 1000)
  return n === 0 ? '0' : `${(n / 1000).toFixed(decimals)}k`
}

/** Signed byte count for a point's tooltip: `+12 KB`, `0 B`, `−4 KB`. */
function pointBytes(n: number): string {
  if (Math.abs(n) < 1e-9) return '0 B'
  return (n > 0 ? '+' : '−') + formatBytes(Math.abs(n))
}

const r1 = (n: number) => Math.round(n * 10) / 10

/** Width of legend text at the plot's 11px font: a generous average glyph width (DejaVu Sans, the widest common fallback). */
const legendCharWidth = 6

/**
 * Legend entries (a marker, then a label) laid out left to right from x = 8, wrapping onto a
 * second row when the plot is too narrow. Returns the SVG and the number of rows.
 */
function legendRows(entries: { marker: string; textX: number; label: string }[], width: number): { svg: string; rows: number } {
  const gap = 18
  let x = 8
  let row = 0
  const out: string[] = []
  for (const e of entries) {
    const w = e.textX + e.label.length * legendCharWidth
    if (x > 8 && x + w > width - 8) {
      row++
      x = 8
    }
    out.push(`<g transform="translate(${x},${32 + row * 16})">${e.marker}<text x="${e.textX}" y="4">${esc(e.label)}</text></g>`)
    x += w + gap
  }
  return { svg: out.join(''), rows: row + 1 }
}

/**
 * The stage whose samples `report.samples` are, and the stage the verdict came from. The samples
 * are the screen's (its last window); when the screen was suspect, the verdict's bytes per call
 * come from heap snapshots taken after it (the confirmation), over other calls, and are not a
 * slope of these samples.
 */
export function plotStages(report: LeakReport): { screen?: LeakReport['decision'][number]; verdict?: LeakReport['decision'][number] } {
  const decision = report.decision ?? []
  const screen = [...decision].reverse().find((d) => d.stage === 'screen')
  const verdict = [...decision].reverse().find((d) => d.stage === 'screen' || d.stage === 'confirm' || d.stage === 'abort')
  return { ...(screen ? { screen } : {}), ...(verdict ? { verdict } : {}) }
}

/**
 * Heap growth plot: the samples of the screen (heap after each round, above the lowest sample)
 * against calls made after warm-up, both axes in one unit each; the dashed line is a Theil–Sen fit
 * of the plotted samples, the solid one has the slope the screen computed from these samples and
 * starts where the dashed one starts. When the verdict came from a later stage (heap snapshots of
 * the confirmation, or the memory guard), its estimate is stated under the plot, not drawn over
 * samples it was not computed from. External memory is added when it is part of the verdict.
 */
export function heapPlot(report: LeakReport, label: string): string {
  const s = report.samples
  const n = Math.min(s.iteration.length, s.heapUsed.length)
  const W = 640
  if (n < 2) {
    return `<p class="muted">No heap samples in the report for ${esc(label)}.</p>`
  }
  const xs = s.iteration.slice(0, n)
  // Relative to the lowest sample: the first one is often higher (garbage from the warm-up that a
  // later GC found), and absolute heap sizes would hide growth of a few KB in a heap of many MB.
  const base = Math.min(...s.heapUsed.slice(0, n))
  const ys = s.heapUsed.slice(0, n).map((v) => v - base)
  const showExt =
    (report.kinds.includes('external') || Math.abs(report.externalBytesPerIteration) >= 1) && s.external.length >= n
  const extBase = showExt ? Math.min(...s.external.slice(0, n)) : 0
  const es = showExt ? s.external.slice(0, n).map((v) => v - extBase) : []

  const { screen, verdict } = plotStages(report)
  // The line drawn over the samples: the slope of the stage that took them.
  const fitSlope = screen ? screen.bytesPerIteration : report.bytesPerIteration
  const fitLabel = screen ? 'screen' : 'leakproof'
  const ts = theilSen(xs, ys)
  const x0 = Math.min(...xs)
  const x1 = Math.max(...xs)
  // Anchored at the start of the samples' own trend (a robust start: the first sample is often an
  // outlier); without a trend, centred on the samples.
  const fitIntercept = ts ? ts.intercept + (ts.slope - fitSlope) * x0 : interceptFor(xs, ys, fitSlope)
  const lineY = (slope: number, b: number) => [b + slope * x0, b + slope * x1]
  const fitYs = lineY(fitSlope, fitIntercept)
  const tsYs = ts ? lineY(ts.slope, ts.intercept) : []
  const extSlope = screen?.externalBytesPerIteration ?? report.externalBytesPerIteration
  const extTs = showExt ? theilSen(xs, es) : undefined
  const extFit = !showExt ? 0 : extTs ? extTs.intercept + (extTs.slope - extSlope) * x0 : interceptFor(xs, es, extSlope)
  const extYs = showExt ? lineY(extSlope, extFit) : []
  // Legend: rows above the plot area; the plot starts below them.
  const legendEntries = [
    { marker: `<circle class="heap" cx="5" cy="0" r="3.5"/>`, textX: 14, label: 'heap samples' },
    { marker: `<line class="fit${report.leaked ? '' : ' ok'}" x1="0" x2="18" y1="0" y2="0"/>`, textX: 24, label: `${fitLabel}: ${formatBytes(fitSlope)}/call` },
  ]
  if (ts) legendEntries.push({ marker: `<line class="ts" x1="0" x2="18" y1="0" y2="0"/>`, textX: 24, label: `Theil–Sen: ${formatBytes(ts.slope)}/call` })
  if (showExt) {
    legendEntries.push({ marker: `<rect class="ext" x="2" y="-3" width="6" height="6"/>`, textX: 14, label: `external: ${formatBytes(extSlope)}/call` })
  }
  const legend = legendRows(legendEntries, W)
  const extraRows = (legend.rows - 1) * 16
  const H = 260 + extraRows
  const m = { l: 64, r: 16, t: 54 + extraRows, b: 36 }
  const ax = niceAxis(x0, x1, 6)
  const ay = niceByteAxis(Math.min(0, ...ys, ...es, ...fitYs, ...tsYs, ...extYs), Math.max(...ys, ...es, ...fitYs, ...tsYs, ...extYs))
  const X = (v: number) => m.l + ((v - ax.min) / (ax.max - ax.min || 1)) * (W - m.l - m.r)
  const Y = (v: number) => H - m.b - ((v - ay.min) / (ay.max - ay.min || 1)) * (H - m.t - m.b)
  const f = (v: number) => r1(v).toString()

  const parts: string[] = []
  for (let k = 0, v = ay.min; v <= ay.max + ay.step / 2; k++, v = ay.min + k * ay.step) {
    parts.push(`<line class="grid" x1="${m.l}" x2="${W - m.r}" y1="${f(Y(v))}" y2="${f(Y(v))}"/>`)
    parts.push(`<text x="${m.l - 6}" y="${f(Y(v) + 4)}" text-anchor="end">${esc(byteAxisLabel(v, ay.step, ay.unit))}</text>`)
  }
  for (let k = 0, v = ax.min; v <= ax.max + ax.step / 2; k++, v = ax.min + k * ax.step) {
    parts.push(`<line class="axis" x1="${f(X(v))}" x2="${f(X(v))}" y1="${H - m.b}" y2="${H - m.b + 4}"/>`)
    parts.push(`<text x="${f(X(v))}" y="${H - m.b + 16}" text-anchor="middle">${esc(callsAxisLabel(v, ax.step, ax.max))}</text>`)
  }
  parts.push(`<line class="axis" x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}"/>`)
  parts.push(`<line class="axis" x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}"/>`)
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 4}" text-anchor="middle">calls after warm-up</text>`)
  parts.push(`<text x="8" y="15">${showExt ? 'Heap and external memory' : 'Heap'} at each sample of the screen, above the lowest sample</text>`)
  if (ts) {
    parts.push(`<line class="ts" x1="${f(X(x0))}" y1="${f(Y(tsYs[0]!))}" x2="${f(X(x1))}" y2="${f(Y(tsYs[1]!))}"><title>Theil–Sen fit of the samples: ${esc(formatBytes(ts.slope))}/call</title></line>`)
  }
  parts.push(
    `<line class="fit${report.leaked ? '' : ' ok'}" x1="${f(X(x0))}" y1="${f(Y(fitYs[0]!))}" x2="${f(X(x1))}" y2="${f(Y(fitYs[1]!))}"><title>${esc(screen ? 'screen estimate from these samples' : 'leakproof estimate')}: ${esc(formatBytes(fitSlope))}/call</title></line>`,
  )
  if (showExt) {
    parts.push(`<line class="extfit" x1="${f(X(x0))}" y1="${f(Y(extYs[0]!))}" x2="${f(X(x1))}" y2="${f(Y(extYs[1]!))}"/>`)
    es.forEach((v, i) =>
      parts.push(`<rect class="ext" x="${f(X(xs[i]!) - 3)}" y="${f(Y(v) - 3)}" width="6" height="6"><title>after ${xs[i]} calls: external ${esc(pointBytes(v))}</title></rect>`),
    )
  }
  ys.forEach((v, i) =>
    parts.push(`<circle class="heap" cx="${f(X(xs[i]!))}" cy="${f(Y(v))}" r="3.5"><title>after ${xs[i]} calls: heap ${esc(pointBytes(v))}</title></circle>`),
  )
  parts.push(legend.svg)

  const aria = `Heap growth of ${label}: ${formatBytes(fitSlope)} per call over calls ${x0} to ${x1} after warm-up`
  // The verdict's own estimate, when a later stage made it from other calls than these.
  const later =
    verdict && verdict !== screen && screen
      ? `<p class="muted plot-note">${esc(
          verdict.stage === 'confirm'
            ? `The verdict's ${formatBytes(report.bytesPerIteration)}/call comes from heap snapshots over ${verdict.iterations} calls after these samples (the confirmation), not from the samples plotted.`
            : `The verdict's ${formatBytes(report.bytesPerIteration)}/call comes from the heap before and after all ${verdict.iterations} calls (measurement stopped early), not from the samples plotted.`,
        )}</p>`
      : ''
  return (
    `<svg class="plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(aria)}">` +
    `<title>${esc(aria)}</title>${parts.join('')}</svg>` +
    later
  )
}

function table(head: [string, boolean][], rows: string[][]): string {
  return (
    `<table><thead><tr>${head.map(([h, num]) => `<th${num ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c, i) => `<td${head[i]![1] ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`).join('') +
    `</tbody></table>`
  )
}

function evidence(report: LeakReport): string {
  const out: string[] = []
  const types = countedTypes(report.retainedTypes)
  if (types.length) {
    out.push('<h3>Retained types <span class="muted">(new objects still alive, per call)</span></h3>')
    out.push(
      table(
        [['type', false], ['node type', false], ['count/call', true], ['bytes/call', true], ['alive', true], ['alive bytes', true]],
        types.map((t) => [
          `<code>${esc(t.name)}</code>`,
          esc(t.nodeType),
          esc(perCall(t.countPerIteration)),
          esc(formatBytes(t.bytesPerIteration)),
          esc(t.retainedCount),
          esc(formatBytes(t.retainedBytes)),
        ]),
      ),
    )
  }
  const stores = storesLine(report.retainedTypes)
  if (stores) out.push(`<p class="muted">${esc(stores)}.</p>`)
  if (report.retainerPaths.length) {
    out.push('<h3>Retained by <span class="muted">(shortest paths from a GC root)</span></h3>')
    for (const p of report.retainerPaths) {
      out.push(`<pre>${esc(p.text)}${p.count > 1 ? `<span class="muted">   (${esc(p.count)} objects)</span>` : ''}</pre>`)
    }
  }
  const sites = shownSites(report.allocationSites)
  if (sites.length) {
    out.push('<h3>Allocated at</h3>')
    for (const s of sites) {
      const note = siteNote(s)
      const stack = s.stack.map((f) => `\n    ← ${esc(f)}`).join('')
      out.push(`<pre>${esc(siteText(s))}  <b>${esc(formatBytes(s.bytesPerIteration))}/call</b>${note ? `\n    <span class="muted">${esc(note)}</span>` : ''}${stack}</pre>`)
    }
  }
  if (report.resources.length) {
    out.push('<h3>Open handles <span class="muted">(created per call, never released)</span></h3>')
    out.push(
      table(
        [['type', false], ['per call', true], ['open', true], ['created at', false]],
        report.resources.map((r) => [`<code>${esc(r.type)}</code>`, esc(perCall(r.countPerIteration)), esc(r.retainedCount), r.stack ? `<pre>${esc(r.stack)}</pre>` : '–']),
      ),
    )
  }
  if (report.listeners.length) {
    out.push('<h3>Listeners <span class="muted">(added per call, never removed)</span></h3>')
    out.push(
      table(
        [['target', false], ['event', false], ['per call', true], ['attached', true], ['reachable from', false]],
        report.listeners.map((l) => [`<code>${esc(l.target)}</code>`, `<code>${esc(l.event)}</code>`, esc(perCall(l.countPerIteration)), esc(l.retainedCount), l.path ? esc(l.path) : '–']),
      ),
    )
  }
  if (report.decision.length) {
    out.push('<h3>How the verdict was reached</h3>')
    out.push(
      table(
        [['stage', false], ['calls', true], ['heap/call', true], ['external/call', true], ['outcome', false], ['note', false]],
        report.decision.map((d) => [
          esc(d.stage),
          esc(d.iterations),
          esc(formatBytes(d.bytesPerIteration)),
          d.externalBytesPerIteration === undefined ? '–' : esc(formatBytes(d.externalBytesPerIteration)),
          esc(d.outcome),
          esc(d.note),
        ]),
      ),
    )
  }
  const gc = report.gc
  out.push(
    `<p class="muted">${esc(`${report.iterations} measured calls after ${report.warmupIterations} warm-up calls in ${report.durationMs} ms; ` +
      `GC: ${gc.forced} forced, ${gc.major} major, ${gc.minor} minor, ${r1(gc.gcTimeMs)} ms; node ${report.runtime.node}, V8 ${report.runtime.v8}`)}</p>`,
  )
  if (report.snapshots.length) out.push(`<p>Heap snapshots: ${report.snapshots.map((p) => `<code>${esc(p)}</code>`).join(', ')}</p>`)
  return out.join('\n')
}

function headline(t: TestLeakRecord): string {
  const r = t.report
  if (t.verdict === 'error') return `<p class="headline">The leak check failed:</p><pre>${esc(t.error ?? 'no error message in the report')}</pre>`
  if (t.verdict === 'skipped') return '<p class="headline muted">Not measured (skipped).</p>'
  if (t.verdict === 'inconclusive') {
    const i = r?.inconclusive
    return (
      `<p class="headline">Inconclusive: out of time before the evidence decided; not reported as a leak.</p>` +
      (i ? `<p>${esc(`${i.detail}. ${i.calls} calls, ${perCall(i.msPerCall)} ms per call, in the ${i.stage} stage; timeout ${i.timeoutMs} ms.`)}</p>` : '')
    )
  }
  if (!r) return `<p class="headline muted">The report has no measurement for this ${esc(t.verdict)} verdict.</p>`
  if (t.verdict === 'leak') return `<p class="headline">Leaks <b>${esc(leakWhat(r))}</b>.</p>`
  return `<p class="headline">No leak: ${esc(formatBytes(r.bytesPerIteration))}/call heap, ${esc(formatBytes(r.externalBytesPerIteration))}/call external.</p>`
}

function testSection(t: TestLeakRecord, id: string): string {
  const label = `${t.file} > ${t.name}`
  const where = `${t.file}${t.line ? `:${t.line}` : ''} · ${t.source}`
  const open = t.verdict === 'leak' || t.verdict === 'error' ? ' open' : ''
  const body: string[] = [headline(t)]
  if (t.report) {
    body.push(heapPlot(t.report, label))
    if (t.verdict === 'leak' || t.verdict === 'inconclusive') body.push(evidence(t.report))
    else body.push(`<p class="muted">${esc(`${t.report.iterations} measured calls after ${t.report.warmupIterations} warm-up calls in ${t.report.durationMs} ms.`)}</p>`)
  }
  return (
    `<details class="test" id="${id}" data-verdict="${esc(t.verdict)}" data-label="${esc(label)}"${open}>` +
    `<summary><span class="badge b-${esc(t.verdict)}">${esc(t.verdict)}</span> <span class="name">${esc(t.name)}</span>` +
    `<span class="where mono">${esc(where)}</span></summary><div class="body">${body.join('\n')}</div></details>`
  )
}

export interface HtmlOptions extends PathOptions {
  /** Page title. Default `leakproof report`. */
  title?: string
}

/** The whole page. Deterministic: the same report gives byte-identical HTML. */
export function formatHtml(input: Report, opts: HtmlOptions = {}): string {
  const report = pasteable(input, opts)
  const title = opts.title ?? 'leakproof report'
  const counts = countVerdicts(report.tests)
  const tests = byVerdict(report.tests)
  const ids = new Map(tests.map((t, i) => [t, `t${i + 1}`]))
  const run = report.run
  const runText =
    `${run.framework} ${run.frameworkVersion} · node ${run.node} · ${run.platform}` +
    (run.shards?.length ? ` · merged from ${plural(run.shards.length, 'report')}` : run.shard ? ` · shard ${run.shard}` : '') +
    ` · created ${report.createdAt}`
  const heldFiles = (report.files ?? []).filter((f) => f.verdict === 'held' && f.note !== 'ignored').length
  const status =
    (counts.leak ? `${plural(counts.leak, 'memory leak')}` : 'no memory leaks') +
    (heldFiles ? `, ${plural(heldFiles, 'test file')} not released` : '')

  // Inconclusive checks (schema version 2) get a card and a filter when there are any.
  const verdicts = counts.inconclusive ? (['leak', 'error', 'inconclusive', 'clean', 'skipped'] as const) : (['leak', 'error', 'clean', 'skipped'] as const)
  const cards = verdicts
    .map((v) => `<div class="card ${v}"><b>${counts[v]}</b>${v === 'leak' ? 'leaks' : v === 'error' ? 'errors' : v}</div>`)
    .join('')
  const filters = verdicts
    .map((v) => `<label><input type="checkbox" data-filter="${v}" checked> ${v} (${counts[v]})</label>`)
    .join('')

  const summaryRows = tests.map((t) => {
    const clue =
      t.verdict === 'error'
        ? (t.error ?? '').split('\n')[0]!
        : t.verdict === 'inconclusive'
          ? `out of time in ${t.report?.inconclusive?.stage ?? 'the check'}`
          : (topClue(t.report) ?? '–')
    return (
      `<tr data-verdict="${esc(t.verdict)}" data-label="${esc(`${t.file} > ${t.name}`)}">` +
      `<td class="test"><a href="#${ids.get(t)}"><span class="mono">${esc(t.file)}</span> › ${esc(t.name)}</a></td>` +
      `<td><span class="badge b-${esc(t.verdict)}">${esc(t.verdict)}</span></td>` +
      `<td class="num">${t.report ? esc(formatBytes(t.report.bytesPerIteration)) : '–'}</td>` +
      `<td class="num">${t.report ? esc(formatBytes(t.report.externalBytesPerIteration)) : '–'}</td>` +
      `<td><code>${esc(clue)}</code></td></tr>`
    )
  })

  const shardList = run.shards?.length
    ? `<p class="muted">Inputs: ${run.shards.map((s) => `<code>${esc(s.source)}</code>${s.shard ? ` (shard ${esc(s.shard)})` : ''}: ${esc(plural(s.tests, 'record'))}`).join(' · ')}</p>`
    : ''

  const body =
    tests.length === 0
      ? '<p>No leak checks were recorded.</p>'
      : `<div class="toolbar"><input type="search" id="search" placeholder="Filter tests by file or name" aria-label="Filter tests">${filters}` +
        `<span class="muted"><span id="shown">${tests.length}</span> shown</span>` +
        `<button type="button" id="expand">Expand all</button><button type="button" id="collapse">Collapse all</button></div>` +
        `<table class="summary"><thead><tr><th>test</th><th>verdict</th><th class="num">heap/call</th><th class="num">external/call</th><th>top retained type</th></tr></thead>` +
        `<tbody>${summaryRows.join('\n')}</tbody></table>` +
        `<h2>Tests</h2>\n${tests.map((t) => testSection(t, ids.get(t)!)).join('\n')}`

  const csp = `default-src 'none'; style-src ${sha256(css)}; script-src ${sha256(js)}; img-src data:; base-uri 'none'; form-action 'none'`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@leakproof/cli ${esc(cliVersion)}">
<title>${esc(`${title}: ${status}`)}</title>
<style>${css}</style>
</head>
<body>
<main>
<h1>${esc(title)}: ${esc(status)}</h1>
<p class="meta">${esc(runText)}</p>
<div class="cards">${cards}</div>
<p>${esc(countsLine(counts))}.</p>
${shardList}
${suiteSection(report.files)}
${body}
<footer>Generated by @leakproof/cli ${esc(cliVersion)}. Heap plots show the screen's samples of the heap, above the lowest sample; the dashed line is a Theil–Sen fit of the plotted samples, the solid line has the slope the screen computed from them and starts where the dashed one does; a verdict from heap snapshots taken afterwards is stated under the plot.</footer>
</main>
${tests.length ? `<script>${js}</script>` : ''}
</body>
</html>
`
}
