import { defineConfig } from 'vitest/config'
import { leakproof } from '@leakproof/vitest/plugin'

export default defineConfig({
  // A React render + cleanup under jsdom costs milliseconds (development builds), so a check makes
  // fewer calls per second than a plain function: give each check three minutes (the test timeout
  // follows: twice that).
  plugins: [leakproof({ options: { timeout: 180_000 } })],
  test: {
    // Component tests run in a DOM: jsdom by default, happy-dom for files that say so
    // (`// @vitest-environment happy-dom`).
    environment: 'jsdom',
    include: ['test/**/*.test.jsx'],
  },
  // In this monorepo @leakproof/vitest is a link to packages/vitest, outside this example's
  // folder, and the DOM environments load the plugin's setup file through Vite's client pipeline,
  // which serves only files inside the project. An installed @leakproof/vitest (in node_modules)
  // needs no such line.
  server: { fs: { strict: false } },
})
