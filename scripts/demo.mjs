// The README's main job: run the http-server example's test suite, where one version of a
// request handler leaks and the fixed one does not, and show leakproof's report.
// Exits 0 when the leak is caught and the fixed version passes (the expected outcome).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const example = fileURLToPath(new URL('../examples/http-server/', import.meta.url))
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url))

console.log('Running examples/http-server: a node:http service tested with `await expect(() => get(url)).not.toLeak()`\n')
const run = spawnSync(process.execPath, [vitest, 'run', '--reporter=verbose', '--color'], {
  cwd: example,
  encoding: 'utf8',
  env: { ...process.env, FORCE_COLOR: '1' },
})
process.stdout.write(run.stdout)
process.stderr.write(run.stderr)

const plain = run.stdout.replace(/\x1b\[[0-9;]*m/g, '')
const caught = /server\.js \(as shipped[^\n]*lets go of each request/.test(plain) && plain.includes('Leak: the subject retained')
const fixedPassed = /✓[^\n]*server-fixed\.js[^\n]*lets go of each request/.test(plain)
const oneFailure = /Tests\s+1 failed \| 3 passed/.test(plain)
if (caught && fixedPassed && oneFailure) {
  console.log('\nDemo outcome as expected: the leaking handler (src/server.js) failed with the report above; src/server-fixed.js passed.')
  process.exit(0)
}
console.error('\nDemo outcome NOT as expected (leak caught: %s, fixed version passed: %s).', caught, fixedPassed)
process.exit(1)
