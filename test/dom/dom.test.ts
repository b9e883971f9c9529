// DOM leaks in component tests: the widgets of test/dom/fixtures/widgets.cjs (a resize listener on
// window, a keydown listener on document, a MutationObserver, a module-level cache, an interval
// timer), each leaky and fixed, through the real Vitest (jsdom and happy-dom environments) and
// the real Jest 30 (jest-environment-jsdom, per-test mode through the leakproof environment).
//
// Every verdict must be right (the fixed twin of every check passes: a clean component reported
// is the worst bug), and the leak reports must speak of the DOM: the element's public interface
// (`HTMLDivElement`, not jsdom's `HTMLDivElementImpl`), that it is detached, its holder in DOM
// terms, and the user's function and line as the allocation site.
//
// The default run takes two checks per environment (test/dom/fixtures/cases.cjs);
// LEAKPROOF_DOM_FULL=1 runs every widget through toLeak, toBeCollected and per-test mode, and
// LEAKPROOF_DOM_CASES=toLeak:timer,each-test:cache (say) runs those in every environment.
import { readFileSync } from 'node:fs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { checkBuilt, describeRun, listStatuses, run, testStatuses, type TestStatus } from '../packaging/helpers.js'
import { runJest } from '../jest/helpers.js'

const here = dirname(fileURLToPath(import.meta.url))
const repoRoot = join(here, '..', '..')
const require = (await import('node:module')).createRequire(import.meta.url)
const cases = require('./fixtures/cases.cjs') as { selected(env: string): string[] }
const widgetsSource = readFileSync(join(here, 'fixtures', 'widgets.cjs'), 'utf8')
/** The case selection of this run, handed to the fixture runs (their environments drop LEAKPROOF_*). */
const selection: Record<string, string> = Object.fromEntries(
  ['LEAKPROOF_DOM_FULL', 'LEAKPROOF_DOM_CASES'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])),
)

/** What each widget's leak report must say, besides the generic parts. */
interface Expectation {
  /** The root of the retained tree, by public interface. */
  element: string
  /** The holder, in DOM terms (per environment where it differs). */
  holder: RegExp
  /** The mount function: the allocation site. */
  fn: string
}

const expectations: Record<string, Expectation> = {
  resize: { element: 'HTMLDivElement', holder: /'resize' listener on window \(onResize\)/, fn: 'mountResizePanel' },
  keydown: { element: 'HTMLElement', holder: /'keydown' listener on document \(onKeyDown\)/, fn: 'mountShortcutDialog' },
  observer: { element: 'HTMLUListElement', holder: /MutationObserver callback \(onListChange\)/, fn: 'mountObservedList' },
  cache: { element: 'HTMLDivElement', holder: /tooltipCache \(Map\) at module scope/, fn: 'mountCachedTooltip' },
  timer: { element: 'HTMLTimeElement', holder: /timer callback \(tick\)/, fn: 'mountClock' },
}

/** `widgets.cjs:LINE:` of a mount function's declaration (V8 names the function's position). */
function siteOf(fn: string): RegExp {
  const line = widgetsSource.split('\n').findIndex((l) => l.includes(`function ${fn}(`)) + 1
  expect(line).toBeGreaterThan(0)
  return new RegExp(`Allocated at:\\n\\s+${fn} \\(\\S*widgets\\.cjs:${line}:\\d+\\)`)
}

/** Check one leaky test's failure and its fixed twin's pass. */
function checkCase(env: string, c: string, leaky: TestStatus | undefined, fixed: TestStatus | undefined, why: string): void {
  const [mode, name] = c.split(':') as [string, string]
  const want = expectations[name]!
  expect(fixed?.status, `${env} fixed ${c} must pass (a clean component reported is the worst bug)\n${fixed?.failure}\n${why}`).toBe('passed')
  expect(leaky?.status, `${env} leaky ${c} must fail\n${why}`).toBe('failed')
  const failure = leaky!.failure
  const ctx = `${env} ${c}:\n${failure}\n${why}`
  if (mode === 'toBeCollected') {
    expect(failure, ctx).toMatch(/to be garbage-collected, but it is still reachable/)
    expect(failure, ctx).toContain(`${want.element} (detached)`)
    expect(failure, ctx).toMatch(new RegExp(`held by the ${want.holder.source}`))
  } else {
    expect(failure, ctx).toMatch(/Leak: the subject retained/)
    // The tree, counted once, by its public interface, detached, with its holder.
    // One tree per call: the count between two snapshots can miss the run still in flight (0.98).
    expect(failure, ctx).toMatch(new RegExp(`Detached DOM trees retained[^\\n]*\\n.*\\n\\s+${want.element} \\(detached, \\d+ nodes\\)\\s+(1|1\\.0\\d|0\\.9\\d) `))
    expect(failure, ctx).toMatch(new RegExp(`\\n\\s+held by the ${want.holder.source}`))
    expect(failure, ctx).toMatch(siteOf(want.fn))
  }
  // Never the DOM library's implementation classes or its tree bookkeeping (the library's own
  // frames under an allocation site are named as they are: `HTMLElementImpl (node_modules/…)`).
  expect(failure.split('Allocated at:')[0], ctx).not.toMatch(/\b\w+Impl\b|SymbolTreeNode/)
}

let work: string
beforeAll(() => {
  checkBuilt()
  work = mkdtempSync(join(tmpdir(), 'leakproof-dom-'))
})
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('DOM leaks, explained in DOM terms', () => {
  test.concurrent('Vitest 4: jsdom and happy-dom environments', async () => {
    const out = join(work, 'vitest')
    const result = await run(process.execPath, [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], {
      cwd: join(here, 'fixtures', 'vitest'),
      env: { LEAKPROOF_FIXTURE_OUT: out, ...selection },
      timeoutMs: 1_500_000,
    })
    const statuses = testStatuses(join(out, 'vitest.json'))
    const why = describeRun('vitest run in test/dom/fixtures/vitest', result, listStatuses(statuses))
    for (const env of ['jsdom', 'happy-dom']) {
      const selected = cases.selected(env)
      for (const c of selected) {
        const [mode, name] = c.split(':')
        const title = `${mode}: ${name}`
        const path = (variant: string) => (mode === 'each-test' ? `${env} ${variant} > per-test mode > ${title}` : `${env} ${variant} > ${title}`)
        checkCase(env, c, statuses.get(path('leaky')), statuses.get(path('fixed')), why)
      }
    }
  }, 1_600_000)

  test.concurrent('Jest 30: jest-environment-jsdom', async () => {
    const result = await runJest({
      major: 30,
      fixture: 'dom-jsdom',
      timeoutMs: 1_500_000,
      env: selection,
    })
    const why = `jest 30 on dom-jsdom: exit ${result.code} after ${(result.durationMs / 1000).toFixed(1)} s\n${result.output.slice(-8000)}`
    const status = (name: string): TestStatus | undefined => {
      const r = result.byName.get(name)
      return r && { status: r.status, failure: r.failureMessages.join('\n').replace(/\u001b\[[0-9;]*m/g, '') }
    }
    for (const c of cases.selected('jest-jsdom')) {
      const [mode, name] = c.split(':')
      checkCase('jest-jsdom', c, status(`jest-jsdom leaky ${mode}: ${name}`), status(`jest-jsdom fixed ${mode}: ${name}`), why)
    }
  }, 1_600_000)
})
