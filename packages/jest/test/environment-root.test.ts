// The environment tells reports the project root (Jest's rootDir): workers' cwd need not be it.
import { afterEach, expect, test } from 'vitest'
import { createLeakproofEnvironment } from '../src/environment.js'

class FakeEnvironment {
  global: Record<PropertyKey, unknown> = {}
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(..._args: any[]) {}
}

const before = process.env.LEAKPROOF_ROOT
afterEach(() => {
  if (before === undefined) delete process.env.LEAKPROOF_ROOT
  else process.env.LEAKPROOF_ROOT = before
})

test("rootDir becomes LEAKPROOF_ROOT unless the user set one", () => {
  const Environment = createLeakproofEnvironment(FakeEnvironment as never) as unknown as new (...args: unknown[]) => unknown
  delete process.env.LEAKPROOF_ROOT
  new Environment({ projectConfig: { rootDir: '/work/app' } }, { testPath: '/work/app/test/a.test.js' })
  expect(process.env.LEAKPROOF_ROOT).toBe('/work/app')
  process.env.LEAKPROOF_ROOT = '/work'
  new Environment({ projectConfig: { rootDir: '/work/app' } }, { testPath: '/work/app/test/a.test.js' })
  expect(process.env.LEAKPROOF_ROOT).toBe('/work')
})
