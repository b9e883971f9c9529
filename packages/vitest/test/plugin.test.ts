// Unit tests of the config side: what the plugin does to a Vitest config, and the option plumbing
// to the workers. (Real Vitest runs of all of it: test/vitest/.)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LeakproofUsageError, defaultOptions } from '@leakproof/core'
import { afterAll, describe, expect, test } from 'vitest'
import { decodeSettings, encodeSettings, provideKey, type WorkerSettings } from '../src/config.js'
import { defaultTestTimeout, leakproof, setupFile } from '../src/plugin.js'
import { LeakproofReporter } from '../src/reporter.js'

type TestConfig = Record<string, unknown> & {
  setupFiles?: string[]
  provide?: Record<string, unknown>
  reporters?: unknown[]
  testTimeout?: number
  execArgv?: string[]
  poolOptions?: Record<string, { execArgv?: string[] }>
}

function applyConfig(plugin: ReturnType<typeof leakproof>, test: TestConfig = {}, root = process.cwd()): TestConfig {
  const config = { root, test }
  plugin.config(config)
  return config.test
}

/** A project root whose node_modules holds a Vitest of this version (only its package.json). */
function projectWithVitest(version: string): string {
  const root = mkdtempSync(join(tmpdir(), 'leakproof-plugin-'))
  roots.push(root)
  writeFileSync(join(root, 'package.json'), '{"name":"project","private":true}')
  mkdirSync(join(root, 'node_modules', 'vitest'), { recursive: true })
  writeFileSync(join(root, 'node_modules', 'vitest', 'package.json'), JSON.stringify({ name: 'vitest', version }))
  return root
}
const roots: string[] = []
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true })
})

describe('leakproof() plugin: config hook', () => {
  test('adds the setup file after the project’s own, and the settings for the workers', () => {
    const test = applyConfig(leakproof({ options: { threshold: 8, ignore: { types: [/^Cached/] } } }), { setupFiles: ['./mine.ts'] })
    expect(test.setupFiles).toEqual(['./mine.ts', setupFile])
    expect(setupFile).toMatch(/[\\/]setup\.js$/)
    const settings = decodeSettings<WorkerSettings>(test.provide![provideKey])
    expect(settings.eachTest).toBe(false)
    expect(settings.options.threshold).toBe(8)
    expect(settings.options.ignore!.types![0]).toEqual(/^Cached/)
  })

  test('eachTest options are merged over the project defaults', () => {
    const test = applyConfig(leakproof({ eachTest: { iterations: 60 }, options: { threshold: 8 } }))
    const settings = decodeSettings<WorkerSettings>(test.provide![provideKey])
    expect(settings.eachTest).toEqual({ threshold: 8, calls: 60 })
  })

  test('raises testTimeout only when the project sets none: twice the engine timeout, at least 60 s', () => {
    // Derived from core's default, not a copy of it.
    expect(defaultTestTimeout).toBe(Math.max(60_000, 2 * defaultOptions.timeout))
    expect(applyConfig(leakproof()).testTimeout).toBe(defaultTestTimeout)
    expect(applyConfig(leakproof({ options: { timeout: 1000 } })).testTimeout).toBe(60_000)
    expect(applyConfig(leakproof({ options: { timeout: 90_000 } })).testTimeout).toBe(180_000)
    expect(applyConfig(leakproof(), { testTimeout: 1234 }).testTimeout).toBe(1234)
  })

  test('adds the reporter after the configured ones, or after the default one', () => {
    const own = applyConfig(leakproof({ reporter: true }), { reporters: ['dot'] })
    expect(own.reporters![0]).toBe('dot')
    expect(own.reporters![1]).toBeInstanceOf(LeakproofReporter)
    const none = applyConfig(leakproof({ reporter: { outputFile: 'x.json' } }))
    expect(none.reporters![0]).toBe('default')
    expect(none.reporters![1]).toBeInstanceOf(LeakproofReporter)
  })

  test('turns on includeTaskLocation (records carry the test line) unless the project set it', () => {
    expect(applyConfig(leakproof()).includeTaskLocation).toBe(true)
    expect(applyConfig(leakproof(), { includeTaskLocation: false }).includeTaskLocation).toBe(false)
  })

  test('Vitest 4+ (what this repository resolves): no poolOptions, the flag waits for configureVitest', () => {
    const test = applyConfig(leakproof())
    expect(test.poolOptions).toBeUndefined()
    expect(test.execArgv).toBeUndefined()
    expect(applyConfig(leakproof(), {}, projectWithVitest('5.0.0')).poolOptions).toBeUndefined()
  })

  test('Vitest 3 (read from the project root): --expose-gc in poolOptions of forks and vmForks, once', () => {
    const root = projectWithVitest('3.2.4')
    const plugin = leakproof()
    const test = applyConfig(plugin, { poolOptions: { forks: { execArgv: ['--conditions', 'x'] }, threads: {} } }, root)
    expect(test.poolOptions).toEqual({
      forks: { execArgv: ['--conditions', 'x', '--expose-gc'] },
      vmForks: { execArgv: ['--expose-gc'] },
      // Node rejects the flag for worker threads: those pools are left alone.
      threads: {},
    })
    expect(test.execArgv).toBeUndefined()
    // Already handled in the config: configureVitest adds nothing on top.
    const ctx = { vitest: { version: '3.2.4' }, project: { config: { pool: 'forks', execArgv: undefined as string[] | undefined } } }
    plugin.configureVitest(ctx)
    expect(ctx.project.config.execArgv).toBeUndefined()
    // A second config pass does not add the flag twice.
    plugin.config({ root, test })
    expect(test.poolOptions!.forks!.execArgv).toEqual(['--conditions', 'x', '--expose-gc'])
  })

  test('Vitest 3 with exposeGc: false: poolOptions untouched', () => {
    expect(applyConfig(leakproof({ exposeGc: false }), {}, projectWithVitest('3.2.4')).poolOptions).toBeUndefined()
  })
})

describe('leakproof() plugin: configureVitest hook (Vitest 4+)', () => {
  const context = (version: string, pool: string | undefined, execArgv?: string[]) => ({
    vitest: { version },
    project: { config: { pool, execArgv } },
  })

  test('forks and vmForks workers get --expose-gc, once', () => {
    for (const pool of ['forks', 'vmForks', undefined]) {
      const ctx = context('4.1.12', pool, ['--conditions', 'x'])
      const plugin = leakproof()
      plugin.configureVitest(ctx)
      plugin.configureVitest(ctx)
      expect(ctx.project.config.execArgv).toEqual(['--conditions', 'x', '--expose-gc'])
    }
  })

  test('threads and vmThreads do not (Node rejects the flag for worker threads)', () => {
    for (const pool of ['threads', 'vmThreads']) {
      const ctx = context('5.1.1', pool)
      leakproof().configureVitest(ctx)
      expect(ctx.project.config.execArgv).toBeUndefined()
    }
  })

  test('exposeGc: false leaves execArgv alone', () => {
    const ctx = context('4.1.12', 'forks')
    leakproof({ exposeGc: false }).configureVitest(ctx)
    expect(ctx.project.config.execArgv).toBeUndefined()
  })
})

describe('leakproof() plugin: option errors name the fix', () => {
  test.each([
    [{ eachtest: true }, /unknown option "eachtest"/],
    [{ eachTest: 'yes' }, /eachTest \}\) must be true, false or an options object/],
    [{ options: { iteratons: 5 } }, /unknown option "iteratons"/],
    [{ eachTest: { warmup: -1 } }, /"warmup" must be between/],
    [{ options: { signal: new AbortController().signal } }, /"signal" cannot be set here/],
  ])('%o', (options, message) => {
    expect(() => leakproof(options as never)).toThrow(message)
    expect(() => leakproof(options as never)).toThrow(LeakproofUsageError)
  })

  test('not an options object: a usage error too', () => {
    for (const options of [null, false, [1]]) expect(() => leakproof(options as never)).toThrow(LeakproofUsageError)
  })
})

describe('LeakproofReporter: option errors are usage errors (the same checks as Jest\'s reporter)', () => {
  test.each([
    ['fast', /options must be an object/],
    [{ outputFle: 'x.json' }, /unknown option "outputFle"\. Known options: outputFile, table, color/],
    [{ outputFile: '' }, /"outputFile" must be a file path or false/],
    [{ table: 'sometimes' }, /"table" must be 'auto', 'always', 'never', true or false/],
    [{ color: 'yes' }, /"color" must be true or false/],
  ])('%o', (options, message) => {
    expect(() => new LeakproofReporter(options as never)).toThrow(message)
    expect(() => new LeakproofReporter(options as never)).toThrow(LeakproofUsageError)
  })
})

describe('options plumbing', () => {
  test('settings survive a JSON round trip (child-process IPC), RegExps included', () => {
    const settings = { options: { ignore: { types: [/^Cached/i, 'Session'] } }, eachTest: { iterations: 60 } }
    const back = decodeSettings<typeof settings>(JSON.parse(JSON.stringify(encodeSettings(settings))))
    expect(back).toEqual(settings)
    expect(back.options.ignore.types[0]).toBeInstanceOf(RegExp)
  })
})

describe('project root', () => {
  test('reports name files relative to the Vitest root: the workers inherit LEAKPROOF_ROOT', () => {
    const before = process.env.LEAKPROOF_ROOT
    try {
      delete process.env.LEAKPROOF_ROOT
      applyConfig(leakproof(), {}, '/work/app/packages/web')
      expect(process.env.LEAKPROOF_ROOT).toBe('/work/app/packages/web')
      // A root the user set themselves wins.
      process.env.LEAKPROOF_ROOT = '/work/app'
      applyConfig(leakproof(), {}, '/work/app/packages/web')
      expect(process.env.LEAKPROOF_ROOT).toBe('/work/app')
    } finally {
      if (before === undefined) delete process.env.LEAKPROOF_ROOT
      else process.env.LEAKPROOF_ROOT = before
    }
  })
})
