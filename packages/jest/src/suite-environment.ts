// testEnvironment: '@leakproof/jest/suite': which test file leaks the worker.
//
// Jest runs many test files in one worker process, each in a fresh environment (a vm context with
// its own global object and module registry). A file that leaves something of its own reachable
// from what outlives it (a process listener, a timer, a spy on a Node module, a registry in a
// shared module) keeps its whole world alive, and the worker's heap grows file by file. This
// environment watches each file's global object through a WeakRef (core's SuiteWatch) and checks
// it with one forced GC at the next boundary: when the next file's environment is set up, when the
// worker has idled for a moment, or when it exits. Only a file still reachable takes a heap
// snapshot, for its retainer path. The reporter fails the run and names the file.

import { LeakproofUsageError } from '@leakproof/core'
import { SuiteWatch, resolveSuiteOptions, type SuiteCheckOptions } from '@leakproof/core/adapter'
import { loadNodeEnvironment, type JestEnvironmentClass } from './environment.js'

export type { SuiteCheckOptions }

/** Where the options live in a Jest config. */
export const suiteOptionsKey = 'leakproofSuite'

interface EnvironmentLike {
  global: object
  setup(): Promise<void>
  teardown(): Promise<void>
}

const exitHookKey = Symbol.for('leakproof.suite.jestExitHook')

// process.stdout and process.stderr are created on first use, and their handles keep the
// AsyncLocalStorage stores of the moment they were made: jest-circus runs every test inside one
// holding the running test, so the first file to write to stdout would keep its world for the
// worker's life. Made here, when the worker loads the environment, outside any test.
void process.stdout
void process.stderr

/** The last file of a worker has no next file: check it when the worker's event loop empties. */
function hookWorkerEnd(watch: SuiteWatch): void {
  const host = process as unknown as Record<symbol, boolean | undefined>
  if (host[exitHookKey]) return
  host[exitHookKey] = true
  let done = false
  process.on('beforeExit', () => {
    if (done) return
    done = true
    // A Jest worker process (it has an IPC channel) is force-killed 500 ms after Jest asks it to
    // end: no heap snapshot there, the record names the file. In band (Jest's own process) the
    // reporter checks the last file, with its snapshot.
    void watch.workerEnd({ explain: typeof process.send !== 'function' }).catch(() => undefined)
  })
}

/**
 * Add suite-level checks to a test environment class (it must have setup/teardown and `global`):
 *
 *     const { TestEnvironment } = require('jest-environment-jsdom')
 *     const { withSuiteCheck } = require('@leakproof/jest/suite')
 *     module.exports = withSuiteCheck(TestEnvironment)
 *
 * Options: `testEnvironmentOptions.leakproofSuite` (`onLeak`, `explain`, `ignore`, `idleMs`).
 */
export function withSuiteCheck<T extends JestEnvironmentClass>(Base: T): T {
  if (typeof Base !== 'function') {
    throw new LeakproofUsageError("withSuiteCheck(Base) takes a Jest test environment class, like require('jest-environment-node').TestEnvironment")
  }
  abstract class SuiteCheckedEnvironment extends Base {
    #watch: SuiteWatch
    #testPath: string

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      super(...args)
      const config = args[0] as { projectConfig?: { rootDir?: string; testEnvironmentOptions?: Record<string, unknown> } } | undefined
      const context = args[1] as { testPath?: string } | undefined
      const envOptions = config?.projectConfig?.testEnvironmentOptions
      const raw = envOptions?.[suiteOptionsKey]
      const options = resolveSuiteOptions(raw, `testEnvironmentOptions.${suiteOptionsKey}`)
      // Jest copies testEnvironmentOptions onto the test global; ours is not meant for tests.
      const global = (this as unknown as EnvironmentLike).global as Record<PropertyKey, unknown>
      if (raw !== undefined && global[suiteOptionsKey] === raw) delete global[suiteOptionsKey]
      const rootDir = config?.projectConfig?.rootDir
      this.#watch = new SuiteWatch({ options, ...(typeof rootDir === 'string' ? { root: rootDir } : {}) })
      this.#testPath = context?.testPath ?? '(unknown test file)'
      hookWorkerEnd(this.#watch)
    }

    async setup(): Promise<void> {
      // The files that ended before this one, first: their worlds must be gone by now.
      await this.#watch.beforeFile()
      const base = Base.prototype as unknown as EnvironmentLike
      await base.setup.call(this)
      this.#watch.fileStarted(this.#testPath, (this as unknown as EnvironmentLike).global)
    }

    async teardown(): Promise<void> {
      const base = Base.prototype as unknown as EnvironmentLike
      try {
        await base.teardown.call(this)
      } finally {
        this.#watch.fileEnded()
      }
    }
  }
  Object.defineProperty(SuiteCheckedEnvironment, 'name', { value: `SuiteChecked${Base.name || 'Environment'}` })
  return SuiteCheckedEnvironment as unknown as T
}

/** Jest's node environment with suite-level checks. */
const SuiteNodeEnvironment = withSuiteCheck(loadNodeEnvironment())
export default SuiteNodeEnvironment
export { SuiteNodeEnvironment as TestEnvironment }
