// `@leakproof/vitest/setup`: add to `test.setupFiles` (the plugin does it for you). Runs before each
// test file: registers the `toLeak` / `toBeCollected` matchers and the per-test mode's hook, aborts
// the checks of a test when it ends, and gives leak checks a test timeout they fit in.
import { raisedTestTimeout } from '@leakproof/core/adapter'
import { installEachTest } from './runtime/each-test.js'
import { registerLeakMatchers } from './runtime/matchers.js'
import { leakChecksAtTestEnd } from './runtime/matchers.js'
import { workerSettings } from './runtime/settings.js'
import { afterEach, configuredTestTimeout, vi } from './runtime/vitest-api.js'

registerLeakMatchers()
installEachTest()

// A test that timed out leaves its toLeak() check running: stop it, so the next test can measure.
// A test that passed with its check still running never awaited it: it fails here, not the next
// test with "another leak measurement is already running".
// (Destructured: Vitest parses a hook's first parameter for the test.extend fixtures it uses.)
afterEach(({ task }: { task?: { result?: { state?: string; errors?: unknown[] } } }) => {
  const failed = task?.result?.state === 'fail' || (task?.result?.errors?.length ?? 0) > 0
  leakChecksAtTestEnd(task, failed)
})

/** Vitest's default `testTimeout` (outside browser mode, which leakproof does not support). */
const vitestDefaultTestTimeout = 5_000

// Vitest's 5 s default would cut a verdict short (forced GCs, heap snapshots: seconds, more on a
// busy machine). Raised for this file's tests only while the project has the default (the plugin
// raises it in the config, so with the plugin this finds it raised already); tests collected
// after this get the new value, and Vitest restores the config after the file.
const current = configuredTestTimeout()
const raised = current === undefined ? undefined : raisedTestTimeout(current, vitestDefaultTestTimeout, workerSettings().options.timeout)
if (raised !== undefined) vi.setConfig({ testTimeout: raised })

export type { LeakproofMatchers } from './augment.js'
