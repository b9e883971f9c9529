// The built entries (what users load, after `turbo run build`) re-export core's user API with
// `export *`. esbuild leaves such a re-export out of an entry whose code went to a shared chunk
// (as when setup.ts imported index.ts): an ESM import of measureLeak then failed.
import { createRequire } from 'node:module'
import { expect, test } from 'vitest'

const names = ['measureLeak', 'assertNoLeak', 'trackCollection', 'LeakError', 'LeakproofUsageError', 'formatRecordsTable', 'leakMatchers', 'registerLeakMatchers', 'noLeakCheck']

test('ESM and CommonJS builds of @leakproof/jest export the engine and the Jest API', async () => {
  const esm = (await import('../dist/index.js')) as Record<string, unknown>
  const cjs = createRequire(import.meta.url)('../dist/index.cjs') as Record<string, unknown>
  for (const [format, mod] of [['esm', esm], ['cjs', cjs]] as const) {
    for (const name of names) expect(mod[name], `${format}: ${name}`).toBeDefined()
  }
})
