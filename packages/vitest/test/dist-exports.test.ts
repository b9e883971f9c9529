// The built entry (what users load, after `turbo run build`) re-exports core's user API with
// `export *`. esbuild leaves such a re-export out of an entry whose code went to a shared chunk
// (as when setup.ts imported index.ts): an import of measureLeak then failed.
import { expect, test } from 'vitest'

const names = ['measureLeak', 'assertNoLeak', 'trackCollection', 'LeakError', 'LeakproofUsageError', 'registerLeakMatchers', 'leakTest', 'checkEachTest']

test('the build of @leakproof/vitest exports the engine and the Vitest API', async () => {
  const mod = (await import('../dist/index.js')) as Record<string, unknown>
  for (const name of names) expect(mod[name], name).toBeDefined()
})
