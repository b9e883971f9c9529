// Unit tests for the parts of per-test mode that do not need a Jest run (the Jest runs are in
// test/jest): hook order, calling test functions the way jest-circus does, option checking.

import { describe, expect, test } from 'vitest'
import {
  callInSequence,
  callTestFn,
  declarationLine,
  eachHooks,
  fullName,
  jestTestId,
  type CircusDescribeBlock,
  type CircusHook,
  type CircusTest,
  type TestFn,
} from '../src/each-test/circus.js'
import { parseEachTestOptions } from '../src/each-test/runner.js'
import { noLeakCheck } from '../src/index.js'
import { noLeakCheckMark } from '../src/each-test/controller.js'

function block(name: string, parent?: CircusDescribeBlock, hooks: CircusHook[] = []): CircusDescribeBlock {
  const b: CircusDescribeBlock = { type: 'describeBlock', name, parent, hooks, children: [] }
  parent?.children.push(b)
  return b
}

const hook = (type: CircusHook['type'], label: string, log: string[]): CircusHook => ({ type, fn: () => void log.push(label) })

describe('eachHooks', () => {
  test('beforeEach outermost first, afterEach innermost first, like jest-circus', () => {
    const log: string[] = []
    const root = block('ROOT_DESCRIBE_BLOCK', undefined, [hook('beforeEach', 'root before', log), hook('afterEach', 'root after', log)])
    const outer = block('outer', root, [
      hook('beforeEach', 'outer before', log),
      hook('afterEach', 'outer after', log),
      hook('beforeAll', 'outer beforeAll', log),
    ])
    const inner = block('inner', outer, [hook('beforeEach', 'inner before', log), hook('afterEach', 'inner after', log)])
    const test: CircusTest = { type: 'test', name: 'works', fn: () => {}, parent: inner, errors: [] }
    const { beforeEach, afterEach } = eachHooks(test)
    for (const h of [...beforeEach, ...afterEach]) h.fn.call(undefined)
    expect(log).toEqual(['root before', 'outer before', 'inner before', 'inner after', 'outer after', 'root after'])
    expect(fullName(test)).toBe('outer > inner > works')
    expect(jestTestId(test)).toBe('outer inner works')
  })
})

describe('callTestFn', () => {
  test('passes `done` to functions that declare it; done(error) rejects', async () => {
    const ok: TestFn = (done) => setImmediate(done as () => void)
    await expect(callTestFn(ok, undefined)).resolves.toBeUndefined()
    const failing: TestFn = (done) => (done as (e: unknown) => void)(new Error('nope'))
    await expect(callTestFn(failing, undefined)).rejects.toThrow('nope')
    const failingText: TestFn = (done) => (done as (e: unknown) => void)('bad input')
    await expect(callTestFn(failingText, undefined)).rejects.toThrow('Failed: bad input')
  })

  test('calls with the test context as `this`', () => {
    const context = { marker: 1 }
    let seen: unknown
    callTestFn(function (this: unknown) {
      seen = this
    }, context)
    expect(seen).toBe(context)
  })
})

describe('callInSequence', () => {
  test('stays synchronous while every function is', () => {
    const log: number[] = []
    const result = callInSequence([() => void log.push(1), () => void log.push(2)], undefined)
    expect(result).toBeUndefined()
    expect(log).toEqual([1, 2])
  })

  test('awaits an async function before calling the next', async () => {
    const log: string[] = []
    const result = callInSequence(
      [
        async () => {
          await new Promise((r) => setTimeout(r, 5))
          log.push('async')
        },
        () => void log.push('sync'),
      ],
      undefined,
    )
    expect(log).toEqual([])
    await result
    expect(log).toEqual(['async', 'sync'])
  })

  test('a throw stops the sequence', () => {
    const log: string[] = []
    expect(() =>
      callInSequence(
        [
          () => {
            throw new Error('hook failed')
          },
          () => void log.push('test'),
        ],
        undefined,
      ),
    ).toThrow('hook failed')
    expect(log).toEqual([])
  })
})

describe('declarationLine', () => {
  test('reads the line of the test file from the stack circus keeps', () => {
    const asyncError = new Error()
    asyncError.stack = 'Error\n    at _addTest (/x/node_modules/jest-circus/build/index.js:1:1)\n    at Object.test (/app/a.test.js:26:3)'
    const t: CircusTest = { type: 'test', name: 't', fn: () => {}, parent: block('ROOT_DESCRIBE_BLOCK'), errors: [], asyncError }
    expect(declarationLine(t, '/app/a.test.js')).toBe(26)
    expect(declarationLine(t, '/app/other.test.js')).toBeUndefined()
  })

  test('leaves the stack following the message circus sets later (a timeout)', () => {
    const asyncError = new Error('')
    const t: CircusTest = { type: 'test', name: 't', fn: () => {}, parent: block('ROOT_DESCRIBE_BLOCK'), errors: [], asyncError }
    expect(declarationLine(t, __filename)).toBe(Number(/:(\d+):\d+/.exec(asyncError.stack!.split('\n')[1]!)![1]))
    asyncError.message = 'Exceeded timeout of 300 ms for a test.'
    expect(asyncError.stack).toMatch(/^Error: Exceeded timeout of 300 ms for a test\.\n {4}at /)
    asyncError.stack = 'replaced'
    expect(asyncError.stack).toBe('replaced')
  })
})

describe('parseEachTestOptions', () => {
  test('leak options are checked by core, with the config key in the message', () => {
    expect(() => parseEachTestOptions({ iteratons: 5 })).toThrow(
      'testEnvironmentOptions.leakproof: unknown option "iteratons". Known options:',
    )
    expect(() => parseEachTestOptions({ exclude: 'slow' })).toThrow('"exclude" must be an array of strings')
    expect(() => parseEachTestOptions({ exclude: ['/(/'] })).toThrow('is not a valid regular expression')
  })

  test('exclude takes substrings and /regex/flags', () => {
    const { options, exclude } = parseEachTestOptions({ threshold: 8, exclude: ['real db', '/^E2E /i'] })
    expect(options).toEqual({ threshold: 8 })
    const excluded = (name: string) => exclude.some((match) => match(name))
    expect(excluded('orders > uses the real db')).toBe(true)
    expect(excluded('e2e checkout')).toBe(true)
    expect(excluded('orders > totals')).toBe(false)
  })
})

test('noLeakCheck marks the function itself', () => {
  const fn = () => {}
  expect(noLeakCheck(fn)).toBe(fn)
  expect((fn as unknown as Record<symbol, unknown>)[noLeakCheckMark]).toBe(true)
})
