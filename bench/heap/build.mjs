// Compile the heap / explain modules alone into bench/heap/.build/heap.mjs (esbuild from the
// repo root's devDependencies). Usage: node bench/heap/build.mjs
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

const here = dirname(fileURLToPath(import.meta.url))
await build({
  entryPoints: [join(here, 'entry.ts')],
  outfile: join(here, '.build', 'heap.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
})
console.log('built bench/heap/.build/heap.mjs')
