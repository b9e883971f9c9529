import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const root = fileURLToPath(new URL('../../../..', import.meta.url))
const coreEntry = fileURLToPath(new URL('../../dist/index.js', import.meta.url))

// These run the built package in fresh processes: the GC source is decided once per process.
function runNode(args: string[], script: string): string {
  return execFileSync(process.execPath, [...args, '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })
}

describe('forcing GC', () => {
  test('uses --expose-gc when Node was started with it', () => {
    const out = runNode(['--expose-gc'], `
      const { measureLeak } = await import(${JSON.stringify(coreEntry)})
      const r = await measureLeak(() => ({}), { warmup: 20, iterations: 40, samples: 5, timeout: 110000 })
      console.log(r.runtime.gc, r.leaked)`)
    expect(out.trim()).toBe('expose-gc false')
  })

  test('falls back to the runtime flag without --expose-gc, and still catches a leak', () => {
    const out = runNode([], `
      const { measureLeak } = await import(${JSON.stringify(coreEntry)})
      const keep = []
      const r = await measureLeak(() => { keep.push({}) }, { timeout: 110000 })
      console.log(r.runtime.gc, r.leaked, typeof globalThis.gc)`)
    expect(out.trim()).toBe('runtime-flag true undefined')
  })

  test('works inside a worker thread, where --expose-gc cannot be passed', () => {
    const out = runNode([], `
      const { Worker } = await import('node:worker_threads')
      const w = new Worker(\`
        const { parentPort } = await import('node:worker_threads')
        await import(${JSON.stringify(coreEntry)}).then(async ({ measureLeak }) => {
          const keep = []
          const leaky = await measureLeak(() => { keep.push({}) }, { timeout: 110000 })
          const clean = await measureLeak(() => ({ a: 1 }), { timeout: 110000 })
          parentPort.postMessage([leaky.runtime.gc, leaky.leaked, clean.leaked].join(' '))
        })\`, { eval: true })
      w.on('message', (m) => { console.log(m); w.terminate() })`)
    expect(out.trim()).toBe('runtime-flag true false')
  })

  test('says how to fix it when no way to force GC works', () => {
    // No --expose-gc, and the runtime fallback patched to fail, as on a runtime that forbids it.
    const preload = join(mkdtempSync(join(tmpdir(), 'leakproof-gc-')), 'no-gc.cjs')
    writeFileSync(preload, 'require("node:vm").runInNewContext = () => undefined\n')
    const out = runNode(['--require', preload], `
      const { measureLeak } = await import(${JSON.stringify(coreEntry)})
      try { await measureLeak(() => 1) } catch (e) { console.log(e.name + ': ' + e.message) }`)
    expect(out).toMatch(/^LeakproofUsageError: leakproof cannot force garbage collection\. Run Node with --expose-gc: `node --expose-gc`, NODE_OPTIONS=--expose-gc/)
  })
})
