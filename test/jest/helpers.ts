// Runs the real Jest CLI (29 or 30, from the workspaces under test/jest/versions) on a fixture
// project in a child process and collects what it printed, its exit code and its --json results.

import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const here = dirname(fileURLToPath(import.meta.url))
export const repoRoot = resolve(here, '../..')
export const fixturesDir = join(here, 'fixtures')

export type JestMajor = 29 | 30
export const majors: JestMajor[] = [29, 30]

/** The workspace that installs one Jest major (see test/jest/versions/<major>/package.json). */
export function majorDir(major: JestMajor): string {
  return join(here, 'versions', String(major))
}

/** Resolve a module the way that Jest major's workspace sees it (nested or hoisted). */
export function resolveFrom(major: JestMajor, request: string): string {
  return createRequire(join(majorDir(major), 'package.json')).resolve(request)
}

export function installedVersion(major: JestMajor, pkg: string): string {
  const path = resolveFrom(major, `${pkg}/package.json`)
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version
}

/** The `jest` executable of a major (from its package.json "bin"). */
export function jestBinFor(major: JestMajor): string {
  const pkgPath = resolveFrom(major, 'jest/package.json')
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { bin: string | Record<string, string> }
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.jest!
  return join(dirname(pkgPath), bin)
}

type JestConfig = Record<string, unknown>

const jestInternals: Record<string, string> = {
  'ts-jest': 'ts-jest',
  'babel-jest': 'babel-jest',
}

/**
 * Pin the modules Jest would otherwise resolve from the fixture's rootDir (which walks up to the
 * repository's node_modules and finds whichever major npm hoisted) to the major under test.
 */
export function pinToMajor(config: JestConfig, major: JestMajor): JestConfig {
  const pinned: JestConfig = { ...config, testRunner: resolveFrom(major, 'jest-circus/runner') }
  const env = config.testEnvironment
  if (env === undefined || env === 'node' || env === 'jest-environment-node') {
    pinned.testEnvironment = resolveFrom(major, 'jest-environment-node')
  }
  const transform = config.transform as Record<string, string | [string, unknown]> | undefined
  if (transform) {
    const out: Record<string, unknown> = {}
    for (const [pattern, value] of Object.entries(transform)) {
      const name = Array.isArray(value) ? value[0] : value
      const path = jestInternals[name] ? resolveFrom(major, jestInternals[name]) : name
      out[pattern] = Array.isArray(value) ? [path, value[1]] : path
    }
    pinned.transform = out
  }
  return pinned
}

/** The fixture's own jest.config.cjs (what a user would write). */
export function fixtureConfig(fixture: string): JestConfig {
  const path = join(fixturesDir, fixture, 'jest.config.cjs')
  const require = createRequire(import.meta.url)
  delete require.cache[path]
  return { ...(require(path) as JestConfig) }
}

export interface AssertionResult {
  fullName: string
  title: string
  ancestorTitles: string[]
  status: 'passed' | 'failed' | 'pending' | 'skipped' | 'todo' | 'disabled'
  failureMessages: string[]
  duration?: number | null
}

export interface JestJson {
  success: boolean
  numFailedTests: number
  numPassedTests: number
  numTotalTests: number
  testResults: Array<{ name: string; status: string; message: string; assertionResults: AssertionResult[] }>
}

export interface JestRun {
  code: number | null
  stdout: string
  stderr: string
  /** stdout + stderr, ANSI codes removed. */
  output: string
  json: JestJson | undefined
  durationMs: number
  pid: number | undefined
  /** Assertion results by full test name. */
  byName: Map<string, AssertionResult>
}

export interface RunJestOptions {
  major: JestMajor
  fixture: string
  /** Changes over the fixture's jest.config.cjs. */
  config?: JestConfig
  /** More CLI arguments (test path patterns, -t, --maxWorkers...). */
  args?: string[]
  env?: Record<string, string>
  /** Launch as `node --expose-gc jest` instead of relying on leakproof's runtime fallback. */
  exposeGc?: boolean
  /**
   * The Node binary that runs Jest. Default: $LEAKPROOF_JEST_NODE when set (the compatibility
   * matrix, scripts/matrix.mjs, sets it to a Node 22 / 24 binary from npm), else this process's.
   */
  node?: string
  timeoutMs?: number
  /** The Vitest test's signal: a timed-out or cancelled test kills Jest and its workers. */
  signal?: AbortSignal
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    // Nothing of the outer Vitest run (its workers' settings, a leakproof reporter's records dir).
    if (/^(LEAKPROOF_|VITEST|JEST_WORKER_ID$|NODE_OPTIONS$|FORCE_COLOR$|TINYPOOL)/.test(key)) continue
    env[key] = value
  }
  return { ...env, NO_COLOR: '1', CI: 'true', ...extra }
}

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*m/g

export async function runJest(options: RunJestOptions): Promise<JestRun> {
  const { major, fixture } = options
  const rootDir = join(fixturesDir, fixture)
  const config = pinToMajor({ ...fixtureConfig(fixture), ...options.config, rootDir }, major)
  const work = mkdtempSync(join(tmpdir(), `leakproof-jest${major}-`))
  const outputFile = join(work, 'results.json')
  const cacheDirectory = join(tmpdir(), `leakproof-jest-cache-${major}`)
  mkdirSync(cacheDirectory, { recursive: true })
  const jestBin = jestBinFor(major)
  const args = [
    ...(options.exposeGc ? ['--expose-gc'] : []),
    jestBin,
    '--config',
    JSON.stringify(config),
    '--ci',
    '--no-watchman',
    '--json',
    '--outputFile',
    outputFile,
    '--cacheDirectory',
    cacheDirectory,
    ...(options.args ?? []),
  ]
  const started = performance.now()
  // Its own process group, so that a timeout kills Jest's workers too (a worker busy in a heap
  // snapshot outlives its parent otherwise).
  const node = options.node ?? (process.env.LEAKPROOF_JEST_NODE || process.execPath)
  const child = spawn(node, args, { cwd: rootDir, env: cleanEnv(options.env), detached: true })
  const killAll = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const timeoutMs = options.timeoutMs ?? 900_000
  const code = await new Promise<number | null>((resolvePromise, reject) => {
    const fail = (why: string) => {
      killAll()
      reject(new Error(`jest ${major} on ${fixture} ${why}\n${stdout}\n${stderr}`))
    }
    const timer = setTimeout(() => fail(`did not finish in ${timeoutMs} ms`), timeoutMs)
    const onAbort = () => fail('was stopped: the test timed out or the run was cancelled')
    options.signal?.addEventListener('abort', onAbort, { once: true })
    child.on('error', reject)
    child.on('close', (exit) => {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      killAll() // workers that did not exit with Jest
      resolvePromise(exit)
    })
  })
  const durationMs = performance.now() - started
  let json: JestJson | undefined
  try {
    json = JSON.parse(readFileSync(outputFile, 'utf8')) as JestJson
  } catch {
    json = undefined
  }
  rmSync(work, { recursive: true, force: true })
  const byName = new Map<string, AssertionResult>()
  for (const file of json?.testResults ?? []) for (const a of file.assertionResults) byName.set(a.fullName, a)
  return {
    code,
    stdout,
    stderr,
    output: (stdout + '\n' + stderr).replace(ansi, ''),
    json,
    durationMs,
    pid: child.pid,
    byName,
  }
}

/** A readable account of a run, for assertion messages. */
export function describeRun(run: JestRun): string {
  const lines = [`exit ${run.code} after ${Math.round(run.durationMs)} ms`]
  for (const [name, a] of run.byName) lines.push(`  ${a.status.padEnd(7)} ${name}`)
  const tail = run.output.length > 6000 ? '…' + run.output.slice(-6000) : run.output
  return `${lines.join('\n')}\n--- output ---\n${tail}`
}

// The corpus is ESM (test/corpus/subjects.mjs); Jest without --experimental-vm-modules needs
// CommonJS. Generated once per run into fixtures/.generated (git-ignored).
export const generatedDir = join(fixturesDir, '.generated')

export function generateCorpusCjs(): string {
  const source = readFileSync(join(repoRoot, 'test/corpus/subjects.mjs'), 'utf8')
  let imports = 0
  let exportsSeen = 0
  const cjs = source
    .replace(/^import \{([^}]+)\} from '([^']+)'$/gm, (_, names: string, from: string) => {
      imports++
      return `const {${names}} = require('${from}')`
    })
    .replace(/^export const (\w+) =/gm, (_, name: string) => {
      exportsSeen++
      return `const ${name} = exports.${name} =`
    })
    // Function declarations are hoisted: exported before their text.
    .replace(/^export function (\w+)/gm, (_, name: string) => {
      exportsSeen++
      return `exports.${name} = ${name}\nfunction ${name}`
    })
  if (/^\s*(import|export)\b/m.test(cjs) || exportsSeen < 2) {
    throw new Error(
      `test/corpus/subjects.mjs changed shape (${imports} imports, ${exportsSeen} exports converted); ` +
        'update generateCorpusCjs in test/jest/helpers.ts',
    )
  }
  mkdirSync(generatedDir, { recursive: true })
  const path = join(generatedDir, 'subjects.cjs')
  writeFileSync(path, `// Generated from test/corpus/subjects.mjs by test/jest/helpers.ts. Do not edit.\n'use strict'\n${cjs}`)
  return path
}
