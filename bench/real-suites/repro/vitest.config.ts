import { defineConfig } from 'vitest/config'
import { leakproof } from '@leakproof/vitest/plugin'
export default defineConfig({ plugins: [leakproof({ eachTest: true, reporter: { outputFile: 'r.json', table: 'never' } })] })
