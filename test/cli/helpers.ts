// Shared by the CLI tests: build the CLI when it is missing or older than its sources, run it in a
// child process, and compare output with golden files.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { expect } from 'vitest'

// __dirname: Vitest provides it, and the root tsconfig compiles test files as CommonJS.
export const root = resolve(__dirname, '..', '..')
export const cliDir = join(root, 'packages', 'cli')
export const cliBin = join(cliDir, 'dist', 'cli.js')
export const cliIndex = join(cliDir, 'dist', 'index.js')
export const fixtures = join(root, 'test', 'cli', 'fixtures')
export const goldenDir = join(root, 'test', 'cli', 'golden')
export const cliVersion: string = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')).version

function newest(path: string): number {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  return Math.max(0, ...readdirSync(path).map((n) => newest(join(path, n))))
}

/** Inputs of the CLI bundle: its sources, the schema, and the core files it bundles. */
function sourcesMtime(): number {
  return Math.max(
    newest(join(cliDir, 'src')),
    newest(join(cliDir, 'schema')),
    newest(join(cliDir, 'package.json')),
    newest(join(cliDir, 'tsup.config.ts')),
    newest(join(root, 'packages', 'core', 'src', 'report', 'table.ts')),
    newest(join(root, 'packages', 'core', 'src', 'report', 'summary.ts')),
  )
}

/**
 * Build packages/cli with tsup when dist is missing or stale (after `npm run build` it is fresh
 * and nothing happens). Test files run in parallel workers, so builds take a lock directory.
 */
export function ensureBuilt(): void {
  const fresh = () => existsSync(cliBin) && existsSync(cliIndex) && statSync(cliBin).mtimeMs >= sourcesMtime()
  if (fresh()) return
  const lock = join(tmpdir(), `leakproof-cli-build-${Buffer.from(cliDir).toString('hex').slice(-24)}.lock`)
  const deadline = Date.now() + 180_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      // Another worker is building; a lock older than 3 minutes is left over from a crash.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true })
      } catch {}
      if (Date.now() > deadline) throw new Error(`timed out waiting for the CLI build lock ${lock}`)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250)
    }
  }
  try {
    if (fresh()) return
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'tsup', 'dist', 'cli-default.js')], {
      cwd: cliDir,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    })
    if (r.status !== 0) throw new Error(`building packages/cli failed:\n${r.stdout}\n${r.stderr}`)
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Environment for the child: no CI / GitHub / colour variables from the machine running the tests. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(GITHUB_|RUNNER_|CI$|NO_COLOR$|FORCE_COLOR$|LEAKPROOF_|NODE_OPTIONS$|VITEST)/.test(k)) continue
    env[k] = v
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

/** Run `leakproof <args>` in a child process (cwd: the fixtures directory by default). */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {}): RunResult {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [cliBin, ...args], {
    cwd: opts.cwd ?? fixtures,
    encoding: 'utf8',
    env: cleanEnv(opts.env),
    maxBuffer: 64 * 1024 * 1024,
    ...(opts.input !== undefined ? { input: opts.input } : {}),
  })
  if (r.error) throw r.error
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

export function tempDir(prefix = 'leakproof-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** Replace what legitimately varies between machines and releases. */
export function normalise(text: string, extra: [string | RegExp, string][] = []): string {
  let out = text.split(cliVersion).join('<version>')
  for (const [from, to] of extra) out = typeof from === 'string' ? out.split(from).join(to) : out.replace(from, to)
  return out
}

/**
 * Compare `actual` with test/cli/golden/<name>. `UPDATE_GOLDEN=1` writes the file instead; a
 * missing golden file is an error (so a forgotten golden cannot pass silently).
 */
export function expectGolden(name: string, actual: string): void {
  const file = join(goldenDir, name)
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, actual)
    return
  }
  if (!existsSync(file)) {
    throw new Error(`golden file test/cli/golden/${name} is missing; run with UPDATE_GOLDEN=1 to create it`)
  }
  const expected = readFileSync(file, 'utf8')
  expect(actual, `output differs from test/cli/golden/${name} (UPDATE_GOLDEN=1 updates it)`).toBe(expected)
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T
}

export function writeJson(path: string, value: unknown): string {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n')
  return path
}
