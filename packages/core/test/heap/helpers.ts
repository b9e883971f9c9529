import v8 from 'node:v8'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

declare const gc: () => void

/** A private temp dir removed by the returned cleanup. */
export function tempDir(prefix = 'leakproof-heap-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Full GC (the vitest config runs forks with --expose-gc). */
export function fullGc(): void {
  if (typeof gc !== 'function') throw new Error('tests need --expose-gc')
  gc()
}

/**
 * The engine's protocol: warm up, snapshot A, `calls` calls, B, `calls` calls, C.
 * Returns the three files, in a new directory under `parent`.
 */
export function threeSnapshots(parent: string, call: (i: number) => void, calls = 200, warmup = 50): [string, string, string] {
  const dir = mkdtempSync(join(parent, 'run-'))
  const files: [string, string, string] = ['', '', '']
  let i = 0
  for (let k = 0; k < warmup; k++) call(i++)
  for (let s = 0; s < 3; s++) {
    fullGc()
    files[s] = v8.writeHeapSnapshot(join(dir, `${s}.heapsnapshot`))
    if (s < 2) for (let k = 0; k < calls; k++) call(i++)
  }
  return files
}
