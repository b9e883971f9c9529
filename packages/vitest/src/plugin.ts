// The Vitest plugin: `plugins: [leakproof()]` in vitest.config.*. Config side only: it never
// imports 'vitest' at run time, so it loads from ESM and CommonJS config files alike.
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { LeakproofUsageError, defaultOptions, rootEnv, type LeakOptions } from '@leakproof/core'
import { mergeOptions, testTimeoutFor } from '@leakproof/core/adapter'
import { checkSerializableOptions, encodeSettings, provideKey, type WorkerSettings } from './config.js'
import { LeakproofReporter, type LeakproofReporterOptions } from './reporter.js'

export interface LeakproofPluginOptions {
  /**
   * Per-test mode: run every test repeatedly (with its beforeEach/afterEach hooks) and fail the
   * ones whose runs retain memory. `true`, or options for those checks (merged over `options`).
   * Tests and suites opt out with `{ meta: { leakproof: false } }`, `leakTest.with(false)` or
   * `checkEachTest(false)`.
   * Default `false`: only tests that opt in are checked.
   */
  eachTest?: boolean | LeakOptions
  /** Defaults for every leak check in the project: `toLeak()` and per-test mode. */
  options?: LeakOptions
  /**
   * Start forks / vmForks workers with `--expose-gc`. Default true. Threads and vmThreads cannot
   * take the flag (Node rejects it for worker threads); there the engine switches GC on at run time.
   */
  exposeGc?: boolean
  /** Also add the leak reporter (summary table + JSON run report). `true` or its options. Default false. */
  reporter?: boolean | LeakproofReporterOptions
}

/**
 * The part of Vite's plugin interface this plugin implements. Structural, with method syntax, so it
 * fits the `Plugin` type of every Vite version that Vitest 3, 4 and 5 bring.
 */
export interface LeakproofVitestPlugin {
  name: 'leakproof'
  config(config: { root?: string; test?: object }): void
  configureVitest(context: PluginContextLike): void
}

interface ConfigLike {
  root?: string
  test?: Record<string, unknown> & {
    setupFiles?: string | string[]
    provide?: Record<string, unknown>
    reporters?: unknown
    poolOptions?: Record<string, { execArgv?: string[] } | undefined>
  }
}

interface PluginContextLike {
  vitest: { version: string }
  project: { config: { pool?: string; execArgv?: string[] } }
}

const exposeGcFlag = '--expose-gc'
/**
 * testTimeout the plugin sets when the project sets none and leaves the engine's `timeout` at its
 * default (core's `testTimeoutFor`: twice that, at least 60 s, so the engine's own timeout error,
 * which says what to change, comes first). The setup file raises Vitest's default to the same.
 */
export const defaultTestTimeout = testTimeoutFor(defaultOptions.timeout)
/** Pools that run tests in child processes, which accept V8 flags on their command line. */
const processPools = new Set(['forks', 'vmForks'])

function here(): string {
  // tsup's shims give import.meta.url in the CommonJS build as well.
  return dirname(fileURLToPath(import.meta.url))
}

/** Path of the worker-side setup module, next to this file in dist/. */
export const setupFile = join(here(), 'setup.js')

/**
 * Major version of the Vitest that will run the project. Read from the project root (not from this
 * package: a linked @leakproof/vitest could see another copy of Vitest next to it).
 */
function vitestMajor(root: string): number | undefined {
  for (const from of [join(root, 'package.json'), join(here(), 'index.js')]) {
    try {
      const pkgPath = createRequire(from).resolve('vitest/package.json')
      const version = JSON.parse(readFileSync(pkgPath, 'utf8')).version as string
      return Number.parseInt(version, 10)
    } catch {
      // try the next place
    }
  }
  return undefined
}

function toArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

function addFlag(list: string[] | undefined): string[] {
  const out = list ? [...list] : []
  if (!out.includes(exposeGcFlag)) out.push(exposeGcFlag)
  return out
}

/**
 * Vitest plugin: registers the matchers (setup file), turns on `--expose-gc` where the pool
 * allows it, hands default leak options to the workers and enables per-test mode.
 *
 * ```ts
 * import { defineConfig } from 'vitest/config'
 * import { leakproof } from '@leakproof/vitest/plugin'
 *
 * export default defineConfig({ plugins: [leakproof({ eachTest: true })] })
 * ```
 */
export function leakproof(pluginOptions: LeakproofPluginOptions = {}): LeakproofVitestPlugin {
  if (pluginOptions === null || typeof pluginOptions !== 'object' || Array.isArray(pluginOptions)) {
    throw new LeakproofUsageError('leakproof(options): options must be an object like { eachTest: true }')
  }
  const known = new Set(['eachTest', 'options', 'exposeGc', 'reporter'])
  for (const key of Object.keys(pluginOptions)) {
    if (!known.has(key)) {
      throw new LeakproofUsageError(`leakproof(options): unknown option "${key}". Known options: ${[...known].join(', ')}`)
    }
  }
  const { eachTest = false, options = {}, exposeGc = true, reporter = false } = pluginOptions
  checkSerializableOptions('leakproof({ options })', options)
  if (typeof eachTest === 'object') checkSerializableOptions('leakproof({ eachTest })', eachTest)
  else if (typeof eachTest !== 'boolean') {
    throw new LeakproofUsageError('leakproof({ eachTest }) must be true, false or an options object like { iterations: 100 }')
  }
  const settings: WorkerSettings = {
    options,
    eachTest: eachTest === false ? false : mergeOptions(options, eachTest === true ? {} : eachTest),
  }
  let flagsHandledInConfig = false

  return {
    name: 'leakproof',
    config(userConfig) {
      const config = userConfig as ConfigLike
      const test = (config.test ??= {})
      test.setupFiles = [...toArray(test.setupFiles), setupFile]
      test.provide = { ...test.provide, [provideKey]: encodeSettings(settings) }
      // A leak verdict takes heap snapshots (seconds in a large heap); Vitest's 5 s default test
      // timeout would cut `toLeak()` short. The engine has its own (core's defaultOptions.timeout).
      test.testTimeout ??= testTimeoutFor(options.timeout ?? defaultOptions.timeout)
      // Each test's line in its file (Vitest reads it from the stack it captures when test() is
      // called anyway): run-report records carry it, for annotations on the test.
      test.includeTaskLocation ??= true
      // Reports name files relative to the project root; workers inherit the variable.
      process.env[rootEnv] ??= resolve(config.root ?? process.cwd())
      if (reporter) {
        const instance = new LeakproofReporter(reporter === true ? {} : reporter)
        const current = toArray(test.reporters as unknown[] | undefined)
        test.reporters = [...(current.length ? current : ['default']), instance]
      }
      // Vitest 3 reads worker flags from poolOptions.<pool>.execArgv (per pool, so setting the
      // process pools is safe whatever pool runs). Vitest 4+ has one top-level execArgv for all
      // pools: that is set in configureVitest, once the pool (CLI included) is known.
      if (exposeGc && vitestMajor(resolve(config.root ?? process.cwd())) === 3) {
        const poolOptions = (test.poolOptions ??= {})
        for (const pool of processPools) {
          const current = poolOptions[pool] ?? {}
          poolOptions[pool] = { ...current, execArgv: addFlag(current.execArgv) }
        }
        flagsHandledInConfig = true
      }
    },
    configureVitest({ vitest, project }) {
      if (!exposeGc || flagsHandledInConfig) return
      const major = Number.parseInt(vitest.version, 10)
      const pool = project.config.pool ?? 'forks'
      if (major >= 4 && processPools.has(pool)) {
        project.config.execArgv = addFlag(project.config.execArgv)
      }
    },
  }
}

export default leakproof
export type { LeakproofReporterOptions }
