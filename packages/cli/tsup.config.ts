import { defineConfig } from 'tsup'

// Two builds: the library API (ESM + CJS + d.ts, like @leakproof/core) and the `leakproof` bin
// (ESM only, with a shebang). The plain-text table comes from @leakproof/core/report, the
// engine-free part of core (src/core.ts).
export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // Both builds run concurrently: this one cleans dist but leaves the bin the other one writes.
    clean: ['!cli.js', '!cli.js.map'],
    target: 'node20',
    platform: 'node',
  },
  {
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
])
