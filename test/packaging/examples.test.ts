// Smoke test of the examples under examples/: runs each example's own test command (`npm test` in
// its folder, i.e. `vitest run` / `jest`) in a child process. Every example tests its shipped
// (leaky) module and its `-fixed` variant side by side (describe.each over both), so one run shows
// both: the shipped module's leak checks must fail with leakproof's report naming what is retained,
// and every test of the fixed variant must pass.
// Needs the packages built (npx turbo run build): the examples use them through workspace links.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { checkBuilt, describeRun, listStatuses, npm, repoRoot, run, testStatuses } from './helpers.js'

interface Example {
  /** Folder under examples/. */
  dir: string
  framework: 'vitest' | 'jest'
  /** describe.each titles of the two variants. */
  shipped: string
  fixed: string
  /** Tests of the shipped variant that must fail, and what their failure must show. */
  leaks: Record<string, RegExp[]>
  /** How many tests the example has in all (a renamed or dropped test fails the check). */
  total: number
  /** Time for the example's `npm test` (default 220 s). */
  timeoutMs?: number
  /** More pairs by full name (another describe): the first must fail with the patterns, the second pass. */
  pairs?: Array<{ failing: string; passing: string; patterns: RegExp[] }>
  /** Test files to run, when not all of them (passed to the example's test command). */
  only?: string[]
}

const leakReport = /Leak: the subject retained [\d.]+ [KM]?B\/call/

const examples: Example[] = [
  {
    dir: 'vitest-basic',
    framework: 'vitest',
    shipped: 'sessions.ts (as shipped: never removes its shutdown listener)',
    fixed: 'sessions-fixed.ts (removes it on close)',
    leaks: {
      // toLeak
      'opening and closing sessions does not leak': [
        /Expected the function not to leak, but it did/,
        leakReport,
        /Retained by \(shortest path from a GC root\):\n\s+\(module scope\) → appEvents \(EventEmitter\) → _events \(Object\) → shutdown \(Array\)/,
        /Listeners added and never removed:\n\s+EventEmitter 'shutdown' \+1 per call/,
      ],
      // toBeCollected
      'a closed session can be garbage-collected': [/Expected closed session to be garbage-collected, but it is still reachable/, /shutdown \(Array\)/],
      // per-test mode (checkEachTest)
      'keeps a cart in the session': [/LeakError: .*this test/, leakReport, /appEvents \(EventEmitter\)/, /EventEmitter 'shutdown' \+1 per call/],
    },
    total: 8,
  },
  {
    dir: 'jest-basic',
    framework: 'jest',
    shipped: 'rate-limiter.ts (as shipped: never forgets a client)',
    fixed: 'rate-limiter-fixed.ts (sweeps idle clients)',
    leaks: {
      'forgets clients that went away': [
        /Expected the function not to leak, but it did/,
        leakReport,
        /Retained types[\s\S]*Array/,
        /Retained by \(shortest path from a GC root\):\n\s+\(subject\) → context → limiter \(Object\) → allow \(allow\) → context → hits \(Map\)/,
      ],
    },
    total: 5,
  },
  {
    dir: 'http-server',
    framework: 'vitest',
    shipped: 'server.js (as shipped: keeps every request in its log)',
    fixed: 'server-fixed.js (keeps the last 10)',
    leaks: {
      'GET /users/:id lets go of each request': [
        /Expected the function not to leak, but it did/,
        leakReport,
        /Retained by \(shortest path from a GC root\):\n\s+\(module scope\) → requestLog \(Map\)/,
      ],
    },
    total: 4,
  },
  {
    dir: 'react-dom',
    framework: 'vitest',
    shipped: 'WindowWidth.jsx (as shipped: keeps its resize listener)',
    fixed: 'WindowWidth-fixed.jsx (removes it on unmount)',
    leaks: {
      // toLeak under jsdom: the retained tree by its public interface, detached, and its holder
      'mounting and unmounting does not leak': [
        /Expected the function not to leak, but it did/,
        leakReport,
        /Detached DOM trees retained[^\n]*\n.*\n\s+HTMLDivElement \(detached, \d+ nodes\)\s+1 /,
        /held by the 'resize' listener on window \(onResize\)/,
        /Allocated at:\n\s+\S+ \(test\/WindowWidth\.test\.jsx:\d+:\d+\)/,
      ],
      // toBeCollected
      'an unmounted panel can be garbage-collected': [
        /Expected the unmounted panel to be garbage-collected, but it is still reachable/,
        /HTMLDivElement \(detached\)/,
        /held by the 'resize' listener on window \(onResize\)/,
      ],
      // per-test mode (checkEachTest)
      'per-test mode > renders its label': [/LeakError: .*this test/, leakReport, /HTMLDivElement \(detached, \d+ nodes\)/],
    },
    // The same toLeak check under happy-dom (with LEAKPROOF_EXAMPLES_FULL=1: npm test has 15
    // minutes on a loaded 2-core machine, and test/dom runs happy-dom in the default run).
    only: process.env.LEAKPROOF_EXAMPLES_FULL === '1' ? undefined : ['test/WindowWidth.test.jsx'],
    pairs: process.env.LEAKPROOF_EXAMPLES_FULL === '1' ? [
      {
        failing: 'happy-dom: WindowWidth.jsx (as shipped: keeps its resize listener) > mounting and unmounting does not leak',
        passing: 'happy-dom: WindowWidth-fixed.jsx (removes it on unmount) > mounting and unmounting does not leak',
        patterns: [leakReport, /HTMLDivElement \(detached, \d+ nodes\)/, /held by the 'resize' listener on window \(onResize\)/],
      },
    ] : [],
    total: process.env.LEAKPROOF_EXAMPLES_FULL === '1' ? 10 : 8,
    // React renders under jsdom cost milliseconds per call and its checks have a 3-minute budget
    // (vitest.config.js); 377 s on a 2-core machine at load 17.
    timeoutMs: 720_000,
  },
]

let work: string

beforeAll(() => {
  checkBuilt()
  work = mkdtempSync(join(tmpdir(), 'leakproof-examples-'))
})

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe.each(examples.map((e) => [e.dir, e] as const))('examples/%s', (_dir, example) => {
  test(
    '`npm test` catches the shipped leak with the report and passes the fixed variant',
    async () => {
      const out = join(work, `${example.dir}.json`)
      // The example's own script (`vitest run` / `jest`), plus a JSON report of the test statuses.
      const extra =
        example.framework === 'vitest'
          ? ['--reporter=default', '--reporter=json', `--outputFile.json=${out}`]
          : ['--ci', '--json', `--outputFile=${out}`, `--cacheDirectory=${jestCache()}`]
      const result = await run(npm, ['test', '--silent', '--', ...(example.only ?? []), ...extra], {
        cwd: join(repoRoot, 'examples', example.dir),
        timeoutMs: example.timeoutMs ?? 220_000,
      })
      const statuses = testStatuses(out)
      const why = describeRun(`npm test in examples/${example.dir}`, result, listStatuses(statuses))

      expect(result.code, why).not.toBe(0)
      expect(statuses.size, why).toBe(example.total)
      const expectedFailures = new Set(Object.keys(example.leaks).map((name) => `${example.shipped} > ${name}`))
      for (const pair of example.pairs ?? []) {
        expectedFailures.add(pair.failing)
        const failing = statuses.get(pair.failing)
        expect(failing?.status, why).toBe('failed')
        for (const pattern of pair.patterns) expect(failing!.failure, `${pair.failing}\n${why}`).toMatch(pattern)
        expect(statuses.get(pair.passing)?.status, why).toBe('passed')
      }
      for (const [name, t] of statuses) {
        if (expectedFailures.has(name)) continue
        // Everything else passes: the fixed variant's tests, and the shipped variant's plain ones.
        expect(`${name}: ${t.status}\n${t.failure}`, why).toBe(`${name}: passed\n`)
      }
      for (const [name, patterns] of Object.entries(example.leaks)) {
        const shipped = statuses.get(`${example.shipped} > ${name}`)
        expect(shipped?.status, why).toBe('failed')
        for (const pattern of patterns) expect(shipped!.failure, `${name}\n${why}`).toMatch(pattern)
        // The same check passes on the fixed variant.
        expect(statuses.get(`${example.fixed} > ${name}`)?.status, why).toBe('passed')
      }
      // The leak report reaches the console, not only the JSON results.
      expect(result.output, why).toMatch(leakReport)
    },
    // The longest example's run, plus time to read its results.
    Math.max(...examples.map((e) => e.timeoutMs ?? 220_000)) + 20_000,
  )
})

/** A Jest cache shared by runs (ts-jest's compiled files), like test/jest's helpers. */
function jestCache(): string {
  const dir = join(tmpdir(), 'leakproof-examples-jest-cache')
  mkdirSync(dir, { recursive: true })
  return dir
}
