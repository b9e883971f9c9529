import { defineConfig } from 'vitest/config'
import { leakproof } from '@leakproof/vitest/plugin'

export default defineConfig({
  // Registers toLeak / toBeCollected and per-test mode, and starts the test workers with
  // --expose-gc. leakproof({ eachTest: true }) would check every test of the project.
  plugins: [leakproof()],
})
