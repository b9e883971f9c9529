// Reports a user can paste: paths relative to the project root, leakproof's own frames cut.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, test } from 'vitest'
import { LeakproofUsageError } from '../../src/errors.js'
import { recordFile } from '../../src/matchers/context.js'
import { resolveOptions } from '../../src/options.js'
import { buildReport } from '../../src/report/build-report.js'
import {
  cutOwnFrames,
  isLeakproofFrame,
  leakproofDirs,
  projectRoot,
  relativePath,
  relativizeReport,
  relativizeText,
  rootEnv,
} from '../../src/report/paths.js'
import type { LeakReport } from '../../src/report/types.js'
import { LeakproofSubjectCalls, callRepeatedly } from '../../src/run/call-subject.js'
import { leakReport } from './leak-report.js'

const root = '/home/runner/work/app/app'

describe('relativePath', () => {
  test('paths and file:// URLs inside the root become relative, with forward slashes', () => {
    expect(relativePath(`${root}/src/x.ts`, root)).toBe('src/x.ts')
    expect(relativePath(`file://${root}/src/x.ts`, root)).toBe('src/x.ts')
    expect(relativePath(`file://${root}/src/a%20b.ts`, root)).toBe('src/a b.ts')
    expect(relativePath(`${root}/node_modules/pkg/index.js`, root + '/')).toBe('node_modules/pkg/index.js')
    expect(relativePath('C:\\work\\app\\src\\x.ts', 'C:\\work\\app')).toBe('src/x.ts')
    expect(relativePath('c:\\work\\app\\src\\x.ts', 'C:\\work\\app')).toBe('src/x.ts')
  })

  test('anything else is left as it is (apart from decoding a file:// URL)', () => {
    expect(relativePath('/usr/lib/node/x.js', root)).toBe('/usr/lib/node/x.js')
    expect(relativePath(`${root}-other/x.js`, root)).toBe(`${root}-other/x.js`)
    expect(relativePath('file:///opt/x.js', root)).toBe('/opt/x.js')
    expect(relativePath('node:internal/timers', root)).toBe('node:internal/timers')
    expect(relativePath('src/already.ts', root)).toBe('src/already.ts')
  })

  test('the root is $LEAKPROOF_ROOT when it is absolute, else the working directory', () => {
    const saved = process.env[rootEnv]
    try {
      delete process.env[rootEnv]
      expect(projectRoot()).toBe(process.cwd())
      process.env[rootEnv] = 'relative/dir'
      expect(projectRoot()).toBe(process.cwd())
      process.env[rootEnv] = root
      expect(projectRoot()).toBe(root)
      expect(relativePath(`${root}/src/x.ts`)).toBe('src/x.ts')
    } finally {
      if (saved === undefined) delete process.env[rootEnv]
      else process.env[rootEnv] = saved
    }
  })
})

test('relativizeText: frames of a stack, as paths or file:// URLs', () => {
  const stack = [
    `    at handler (${root}/src/handler.ts:12:5)`,
    `    at file://${root}/test/api.test.ts:8:3`,
    `    at Object.fn (/opt/elsewhere/x.js:1:1)`,
    `    at listOnTimeout (node:internal/timers:581:17)`,
  ].join('\n')
  expect(relativizeText(stack, root)).toBe(
    [
      '    at handler (src/handler.ts:12:5)',
      '    at test/api.test.ts:8:3',
      '    at Object.fn (/opt/elsewhere/x.js:1:1)',
      '    at listOnTimeout (node:internal/timers:581:17)',
    ].join('\n'),
  )
  // A site's caller as allocation sites write them: `fn (file:line:col)`.
  expect(relativizeText(`leakOne (${root}/src/a.ts:3:1)`, root)).toBe('leakOne (src/a.ts:3:1)')
  // A path that merely starts like the root is not inside it.
  expect(relativizeText(`at x (${root}2/a.ts:1:1)`, root)).toBe(`at x (${root}2/a.ts:1:1)`)
})

describe("leakproof's own frames", () => {
  test('installed @leakproof packages (npm, pnpm) and the dist/src of its packages here', () => {
    expect(isLeakproofFrame('    at run (/app/node_modules/@leakproof/core/dist/index.js:1:2)', [])).toBe(true)
    expect(isLeakproofFrame('    at /app/node_modules/.pnpm/@leakproof+vitest@0.1.0/node_modules/@leakproof/vitest/dist/setup.js:3:4', [])).toBe(true)
    expect(isLeakproofFrame('    at run (file:///app/node_modules/@leakproof/jest/dist/index.cjs:1:2)', [])).toBe(true)
    expect(isLeakproofFrame('    at handler (/app/src/handler.ts:1:2)', [])).toBe(false)
    // Not a frame: a line of a message that names the package.
    expect(isLeakproofFrame('see /app/node_modules/@leakproof/core/README.md', [])).toBe(false)
    const dirs = leakproofDirs()
    const core = join(__dirname, '..', '..')
    expect(dirs).toContain(`${core}/dist/`)
    expect(dirs).toContain(`${core}/src/`)
    expect(dirs).toContain(`${join(core, '..', 'vitest')}/dist/`)
    expect(isLeakproofFrame(`    at callRepeatedly (${core}/src/run/call-subject.ts:80:3)`)).toBe(true)
    expect(isLeakproofFrame(`    at callRepeatedly (${pathToFileURL(core).href}/dist/index.js:80:3)`)).toBe(true)
    expect(isLeakproofFrame(`    at test (${core}/test/x.test.ts:1:1)`)).toBe(false)
    expect(cutOwnFrames(['Error: x', '    at a (/u/a.ts:1:1)', '    at b (/u/node_modules/@leakproof/core/dist/index.js:1:1)', '    at c (/u/c.ts:1:1)'].join('\n'), [])).toBe(
      ['Error: x', '    at a (/u/a.ts:1:1)', '    at c (/u/c.ts:1:1)'].join('\n'),
    )
  })

  test("a LeakproofUsageError's stack starts at the user's call, not in leakproof", () => {
    let error: unknown
    try {
      resolveOptions({ threshold: -1 })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(LeakproofUsageError)
    const stack = (error as Error).stack!
    expect(stack.startsWith(`LeakproofUsageError: ${(error as Error).message}\n`)).toBe(true)
    expect(stack).not.toMatch(/packages[\\/]core[\\/]src[\\/]/)
    expect(stack).toMatch(/paths\.test\.ts:\d+:\d+/)
  })

  test("a SubjectError and the subject's own error lose leakproof's frames (the call loop)", async () => {
    const state = new LeakproofSubjectCalls(
      function failingSubject() {
        throw new TypeError('boom')
      },
      Infinity,
      Infinity,
      () => new Error('deadline'),
    )
    const error = (await callRepeatedly(state, 3).catch((e: unknown) => e)) as Error & { cause: Error }
    expect(error.name).toBe('SubjectError')
    expect(error.stack!.startsWith('SubjectError: the subject threw on call 1: TypeError: boom')).toBe(true)
    expect(error.stack).not.toMatch(/call-subject\.ts/)
    expect(error.cause.stack).toMatch(/failingSubject .*paths\.test\.ts/)
    expect(error.cause.stack).not.toMatch(/call-subject\.ts/)
  })
})


test('relativizeReport: sites, their callers, creation stacks and snapshots', () => {
  const r = relativizeReport(
    leakReport({
      allocationSites: [
        {
          functionName: 'make',
          file: `file://${root}/src/make.ts`,
          line: 3,
          column: 1,
          bytesPerIteration: 100,
          stack: [`caller (${root}/src/caller.ts:9:2)`, 'runIt (/app/node_modules/@leakproof/core/dist/index.js:1:1)'],
        },
      ],
      resources: [
        {
          type: 'Timeout',
          countPerIteration: 1,
          retainedCount: 400,
          stack: `at startPolling (${root}/src/poll.ts:4:3)\nat loop (/x/node_modules/@leakproof/vitest/dist/runtime.js:1:1)\nat file://${root}/test/poll.test.ts:7:9`,
        },
      ],
      snapshots: [`${root}/.snapshots/a.heapsnapshot`],
    }),
    root,
    [],
  )
  expect(r.allocationSites[0]).toMatchObject({ file: 'src/make.ts', stack: ['caller (src/caller.ts:9:2)'] })
  expect(r.resources[0]!.stack).toBe('at startPolling (src/poll.ts:4:3)\nat test/poll.test.ts:7:9')
  expect(r.snapshots).toEqual(['.snapshots/a.heapsnapshot'])
})

test("buildReport: the summary and the report's fields name files relative to the project root", () => {
  const cwd = process.cwd()
  const report = buildReport(
    {
      stage: 'confirm',
      decision: [],
      warmup: 40,
      measured: 400,
      heapLeak: true,
      heapRate: 120,
      retainedTypes: [{ name: 'Session', nodeType: 'object', countPerIteration: 1, bytesPerIteration: 120, retainedCount: 400, retainedBytes: 48000 }],
      allocationSites: [
        { functionName: 'login', file: pathToFileURL(join(cwd, 'src', 'login.ts')).href, line: 5, column: 3, bytesPerIteration: 120, stack: [`handler (${join(cwd, 'src', 'h.ts')}:2:1)`] },
      ],
      resources: [{ type: 'Timeout', countPerIteration: 1, retainedCount: 400, stack: `at poll (${join(cwd, 'src', 'poll.ts')}:4:3)` }],
    },
    resolveOptions(),
    { forced: 0, minor: 0, major: 0, incremental: 0, weakCallbacks: 0, gcTimeMs: 0 },
    'expose-gc',
    1,
  )
  expect(report.allocationSites[0]!.file).toBe('src/login.ts')
  expect(report.allocationSites[0]!.stack).toEqual(['handler (src/h.ts:2:1)'])
  expect(report.resources[0]!.stack).toBe('at poll (src/poll.ts:4:3)')
  expect(report.summary).toContain('login (src/login.ts:5:3)')
  expect(report.summary).toContain('← handler (src/h.ts:2:1)')
  expect(report.summary).toContain('at poll (src/poll.ts:4:3)')
  expect(report.summary).not.toContain(cwd)
  expect(report.summary).not.toContain('file://')
})

test("run-report records name the test file the same way: file:// URLs decoded, relative to the project root", () => {
  const saved = process.env[rootEnv]
  try {
    delete process.env[rootEnv]
    expect(recordFile(join(process.cwd(), 'test', 'a.test.ts'))).toBe('test/a.test.ts')
    expect(recordFile(pathToFileURL(join(process.cwd(), 'test', 'a b.test.ts')).href)).toBe('test/a b.test.ts')
    process.env[rootEnv] = root
    expect(recordFile(`${root}/test/api.test.ts`)).toBe('test/api.test.ts')
  } finally {
    if (saved === undefined) delete process.env[rootEnv]
    else process.env[rootEnv] = saved
  }
})
