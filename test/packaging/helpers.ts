// Shared by the packaging tests (pack.test.ts) and the examples smoke test (examples.test.ts):
// child processes with a clean environment, npm's environment without the outer run's settings,
// and the publishable packages' manifests.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const here = dirname(fileURLToPath(import.meta.url))
export const repoRoot = resolve(here, '../..')

/** The publishable packages, by folder under packages/. */
export const packageDirs = ['core', 'vitest', 'jest', 'cli'] as const
export type PackageDir = (typeof packageDirs)[number]

export interface Manifest {
  name: string
  version: string
  private?: boolean
  main?: string
  module?: string
  types?: string
  bin?: string | Record<string, string>
  files?: string[]
  exports?: unknown
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  scripts?: Record<string, string>
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T
}

export function manifest(dir: PackageDir): Manifest {
  return readJson<Manifest>(join(repoRoot, 'packages', dir, 'package.json'))
}

/** Throws when a package has not been built (the packaging test packs dist/). */
export function checkBuilt(): void {
  for (const dir of packageDirs) {
    if (!existsSync(join(repoRoot, 'packages', dir, 'dist'))) {
      throw new Error(`packages/${dir}/dist is missing: build first (npx turbo run build; npm test does it)`)
    }
  }
}

/** One leaf of an `exports` map: the subpath, the conditions leading to it, the target file. */
export interface ExportTarget {
  subpath: string
  conditions: string[]
  target: string
}

export function exportTargets(exports: unknown): ExportTarget[] {
  const out: ExportTarget[] = []
  const walk = (subpath: string, value: unknown, conditions: string[]) => {
    if (typeof value === 'string') out.push({ subpath, conditions, target: value })
    else if (Array.isArray(value)) for (const v of value) walk(subpath, v, conditions)
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) walk(subpath, v, [...conditions, key])
    }
  }
  if (typeof exports === 'string' || Array.isArray(exports)) walk('.', exports, [])
  else if (exports && typeof exports === 'object') {
    const entries = Object.entries(exports)
    // Conditions at the top level ({ import, require }) stand for ".".
    if (entries.every(([k]) => !k.startsWith('.'))) walk('.', exports, [])
    else for (const [subpath, value] of entries) walk(subpath, value, [])
  }
  return out
}

/**
 * The environment of this (test) process, minus what would confuse a nested Vitest, Jest or npm:
 * the outer Vitest's variables, a leakproof reporter's records directory, NODE_OPTIONS, and npm's
 * per-command variables (npm_config_local_prefix, npm_package_json, ... would point the nested npm
 * at the repository). Registry, cache and user-config settings stay.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(LEAKPROOF_|VITEST|TINYPOOL)/.test(key) || /^(NODE_OPTIONS|JEST_WORKER_ID|FORCE_COLOR|TEST|INIT_CWD)$/.test(key)) continue
    if (/^npm_(package_|lifecycle_|command$|execpath$|node_execpath$)/i.test(key)) continue
    if (/^npm_config_(local_prefix|prefix|workspaces?|include_workspace_root|global|save.*)$/i.test(key)) continue
    env[key] = value
  }
  return { ...env, NO_COLOR: '1', CI: 'true', ...extra }
}

export interface RunResult {
  code: number | null
  /** stdout + stderr, ANSI codes removed. */
  output: string
  stdout: string
  durationMs: number
}

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*[A-Za-z]/g

/**
 * Run a command in its own process group (a timeout kills its children too: Jest workers, Vitest
 * forks), collecting its output.
 */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs: number },
): Promise<RunResult> {
  const started = performance.now()
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const killAll = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  let stdout = ''
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    output += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      killAll()
      reject(new Error(`${command} ${args.join(' ')} did not finish in ${options.timeoutMs} ms:\n${output.slice(-6000)}`))
    }, options.timeoutMs)
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      killAll() // anything left behind in the group
      resolvePromise({ code, output: output.replace(ansi, ''), stdout, durationMs: performance.now() - started })
    })
  })
}

/** A readable account of a run, for assertion messages. */
export function describeRun(what: string, result: RunResult, extra = ''): string {
  const tail = result.output.length > 8000 ? '…' + result.output.slice(-8000) : result.output
  return `${what}: exit ${result.code} after ${(result.durationMs / 1000).toFixed(1)} s\n${extra}--- output ---\n${tail}`
}

export const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

// ---------------------------------------------------------------------------- test results

export interface TestStatus {
  status: string
  failure: string
}

/** Test statuses by full name (`describe > test`) from Vitest's or Jest's `--json` output file. */
export function testStatuses(jsonPath: string): Map<string, TestStatus> {
  const out = new Map<string, TestStatus>()
  if (!existsSync(jsonPath)) return out
  const json = readJson<{
    testResults: { assertionResults: { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }[] }[]
  }>(jsonPath)
  for (const file of json.testResults) {
    for (const t of file.assertionResults) {
      out.set([...t.ancestorTitles, t.title].join(' > '), {
        status: t.status,
        failure: t.failureMessages.join('\n').replace(ansi, ''),
      })
    }
  }
  return out
}

export function listStatuses(statuses: Map<string, TestStatus>): string {
  return [...statuses].map(([name, t]) => `  ${t.status.padEnd(7)} ${name}`).join('\n') + '\n'
}
