// The packages as a user gets them: `npm pack` each publishable package, install the tarballs (not
// workspace links) into a fresh project outside the repository together with Vitest and Jest, and
// use them there the way their READMEs say:
//   - Vitest (ESM test file, the plugin from @leakproof/vitest/plugin, its reporter),
//   - Jest in CommonJS (setupFilesAfterEnv @leakproof/jest/setup, require('@leakproof/jest'), its
//     reporter),
//   - plain Node: import() and require() of @leakproof/core, and every `exports` entry resolving,
//   - TypeScript: the declaration files behind `types` / `exports`,
//   - the `leakproof` bin.
// Needs the packages built (npx turbo run build) and the npm registry or npm's cache (the versions
// installed are the ones the repository already uses, so the cache usually has them).
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  checkBuilt,
  describeRun,
  exportTargets,
  listStatuses,
  manifest,
  npm,
  packageDirs,
  readJson,
  repoRoot,
  run,
  testStatuses,
  type Manifest,
  type PackageDir,
} from './helpers.js'

// The framework versions the repository already uses (so npm's cache has them).
const vitestVersion = readJson<{ packages: Record<string, { version: string }> }>(join(repoRoot, 'package-lock.json'))
  .packages['node_modules/vitest']!.version
const jest30 = readJson<Manifest>(join(repoRoot, 'test/jest/versions/30/package.json')).devDependencies!
const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc')

interface Packed {
  dir: PackageDir
  manifest: Manifest
  tarball: string
  files: string[]
}

let work: string
let project: string
const packed = new Map<PackageDir, Packed>()
const timings: string[] = []

function timed<T extends { durationMs: number }>(what: string, result: T): T {
  timings.push(`${what} ${(result.durationMs / 1000).toFixed(1)} s`)
  return result
}

// A leaking subject whose retained type has a name the report must show, and a clean one.
const leakClass = 'PackagedLeakEntry'

const files: Record<string, string> = {
  // ------------------------------------------------------------------ Vitest, ESM
  'vitest.config.mjs': `import { defineConfig } from 'vitest/config'
import { leakproof } from '@leakproof/vitest/plugin'

export default defineConfig({
  plugins: [leakproof({ reporter: { outputFile: 'out/leakproof-vitest.json' } })],
  test: {
    include: ['vitest/**/*.test.mjs'],
    reporters: ['default', 'json'],
    outputFile: { json: 'out/vitest.json' },
  },
})
`,
  'vitest/leaks.test.mjs': `import { describe, expect, test } from 'vitest'
import { trackCollection } from '@leakproof/vitest'

class ${leakClass} {
  constructor(id) {
    this.id = id
    this.payload = [id, id + 1, id + 2]
  }
}
const retained = []

describe('installed from the tarball', () => {
  test('leaky subject', async () => {
    let id = 0
    await expect(() => {
      retained.push(new ${leakClass}(id++))
    }).not.toLeak()
  })

  test('clean subject', async () => {
    await expect(() => JSON.parse(JSON.stringify({ list: [1, 2, 3] }))).not.toLeak()
  })

  test('toBeCollected', async () => {
    let value = { list: new Array(100).fill(1) }
    const tracked = trackCollection(value, 'value')
    value = undefined
    await expect(tracked).toBeCollected()
  })
})
`,
  // ------------------------------------------------------------------ Jest, CommonJS
  'jest.config.cjs': `module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/jest'],
  testMatch: ['**/*.test.cjs'],
  transform: {},
  setupFilesAfterEnv: ['@leakproof/jest/setup'],
  reporters: ['default', ['@leakproof/jest/reporter', { outputFile: 'out/leakproof-jest.json' }]],
  testTimeout: 120000,
}
`,
  'jest/leaks.test.cjs': `const { trackCollection, measureLeak } = require('@leakproof/jest')

class ${leakClass} {
  constructor(id) {
    this.id = id
    this.payload = [id, id + 1, id + 2]
  }
}
const retained = []

describe('installed from the tarball', () => {
  test('leaky subject', async () => {
    let id = 0
    await expect(() => {
      retained.push(new ${leakClass}(id++))
    }).not.toLeak()
  })

  test('clean subject', async () => {
    await expect(() => JSON.parse(JSON.stringify({ list: [1, 2, 3] }))).not.toLeak()
  })

  test('toBeCollected', async () => {
    let value = { list: new Array(100).fill(1) }
    const tracked = trackCollection(value, 'value')
    value = undefined
    await expect(tracked).toBeCollected()
  })

  test('re-exports the engine', () => {
    expect(typeof measureLeak).toBe('function')
  })
})
`,
  // ------------------------------------------------------------------ plain Node
  'node/core.mjs': `const core = await import('@leakproof/core')
class ${leakClass} {
  constructor(id) {
    this.id = id
  }
}
const retained = []
let id = 0
const report = await core.measureLeak(() => {
  retained.push(new ${leakClass}(id++))
})
console.log(JSON.stringify({ measureLeak: typeof core.measureLeak, leaked: report.leaked, types: report.retainedTypes.map((t) => t.name) }))
`,
  'node/core.cjs': `const core = require('@leakproof/core')
class ${leakClass} {
  constructor(id) {
    this.id = id
  }
}
const retained = []
let id = 0
core
  .measureLeak(() => {
    retained.push(new ${leakClass}(id++))
  })
  .then((report) => {
    console.log(JSON.stringify({ measureLeak: typeof core.measureLeak, leaked: report.leaked, types: report.retainedTypes.map((t) => t.name) }))
  })
`,
  // Resolves (and where it makes sense, loads) every export of every package, by import and require.
  'node/exports.mjs': `import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const checks = JSON.parse(process.argv[2])
const results = []
for (const check of checks) {
  const result = { ...check }
  try {
    result.path = check.mode === 'import' ? fileURLToPath(import.meta.resolve(check.specifier)) : require.resolve(check.specifier)
    result.exists = existsSync(result.path)
    if (check.load) {
      const loaded = check.mode === 'import' ? await import(check.specifier) : require(check.specifier)
      result.exportNames = Object.keys(loaded)
    }
  } catch (error) {
    result.error = String(error && error.message ? error.message : error).split('\\n')[0]
  }
  results.push(result)
}
console.log(JSON.stringify(results))
`,
  // ------------------------------------------------------------------ TypeScript
  'types/tsconfig.json': JSON.stringify(
    {
      compilerOptions: {
        module: 'node16',
        moduleResolution: 'node16',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
      include: ['*.mts', '*.cts'],
    },
    null,
    2,
  ),
  'types/esm.mts': `import { measureLeak, type LeakReport } from '@leakproof/core'
import { leakproof } from '@leakproof/vitest/plugin'
import VitestReporter from '@leakproof/vitest/reporter'
import { trackCollection } from '@leakproof/vitest'
import { registerLeakMatchers } from '@leakproof/jest'
import JestReporter from '@leakproof/jest/reporter'
import { createLeakproofEnvironment } from '@leakproof/jest/environment'
import { expect } from 'vitest'
import { expect as jestExpect } from '@jest/globals'

export async function check(): Promise<void> {
  const report: LeakReport = await measureLeak(() => undefined, { iterations: 50 })
  void [report.leaked, leakproof({ eachTest: false }), VitestReporter, trackCollection, registerLeakMatchers, JestReporter, createLeakproofEnvironment]
  await expect(() => undefined).not.toLeak({ iterations: 50 })
  await jestExpect(() => undefined).not.toLeak({ iterations: 50 })
}
`,
  'types/cjs.cts': `import { measureLeak, type LeakReport } from '@leakproof/core'
import { leakproof } from '@leakproof/vitest/plugin'
import { trackCollection, noLeakCheck } from '@leakproof/jest'
import { formatRecordsTable } from '@leakproof/jest'

export async function check(): Promise<void> {
  const report: LeakReport = await measureLeak(() => undefined)
  void [report.leaked, leakproof(), trackCollection, noLeakCheck, formatRecordsTable]
}
`,
  // Type errors must be caught: a misspelt option fails.
  'types-negative/tsconfig.json': JSON.stringify(
    {
      extends: '../types/tsconfig.json',
      include: ['*.mts'],
    },
    null,
    2,
  ),
  'types-negative/bad.mts': `import { measureLeak } from '@leakproof/core'
export const p = measureLeak(() => undefined, { iteratons: 5 })
`,
}

beforeAll(async () => {
  checkBuilt()
  work = mkdtempSync(join(tmpdir(), 'leakproof-packaging-'))
  const tarballs = join(work, 'tarballs')
  mkdirSync(tarballs)

  for (const dir of packageDirs) {
    const result = timed(
      `npm pack ${dir}`,
      await run(npm, ['pack', '--json', '--pack-destination', tarballs, '--workspaces=false', '--loglevel=error'], {
        cwd: join(repoRoot, 'packages', dir),
        timeoutMs: 120_000,
      }),
    )
    if (result.code !== 0) throw new Error(describeRun(`npm pack in packages/${dir}`, result))
    const [info] = JSON.parse(result.stdout) as { filename: string; files: { path: string }[] }[]
    packed.set(dir, {
      dir,
      manifest: manifest(dir),
      tarball: join(tarballs, info!.filename),
      files: info!.files.map((f) => f.path),
    })
  }

  project = join(work, 'project')
  mkdirSync(project)
  const dependencies: Record<string, string> = {}
  for (const p of packed.values()) dependencies[p.manifest.name] = `file:${p.tarball}`
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify(
      {
        name: 'leakproof-packaging-check',
        private: true,
        version: '0.0.0',
        // No "type": CommonJS by default; the Vitest files are .mjs.
        devDependencies: {
          ...dependencies,
          vitest: vitestVersion,
          jest: jest30.jest,
          '@jest/globals': jest30['@jest/globals'],
        },
      },
      null,
      2,
    ),
  )
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(project, name, '..'), { recursive: true })
    writeFileSync(join(project, name), text)
  }
  const install = timed(
    'npm install',
    await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', '--workspaces=false'], {
      cwd: project,
      timeoutMs: 300_000,
    }),
  )
  if (install.code !== 0) throw new Error(describeRun('npm install of the tarballs', install))
}, 420_000)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
  if (timings.length) console.log(`packaging test timings: ${timings.join(', ')}`)
})

/** package.json paths ("./dist/x.js") as tarball paths ("dist/x.js"). */
const normal = (path: string) => path.replace(/^\.\//, '')

describe('tarballs', () => {
  test('hold every file package.json points at (main, module, types, bin, exports)', () => {
    const missing: string[] = []
    for (const p of packed.values()) {
      const { manifest: m } = p
      const wanted = new Map<string, string>()
      for (const key of ['main', 'module', 'types'] as const) if (m[key]) wanted.set(normal(m[key]), key)
      const bins = typeof m.bin === 'string' ? { [m.name]: m.bin } : (m.bin ?? {})
      for (const [name, path] of Object.entries(bins)) wanted.set(normal(path), `bin ${name}`)
      for (const t of exportTargets(m.exports)) wanted.set(normal(t.target), `exports["${t.subpath}"]${t.conditions.map((c) => `.${c}`).join('')}`)
      for (const [path, from] of wanted) {
        if (!p.files.includes(path)) missing.push(`${m.name}: ${from} → ${path} is not in the tarball`)
      }
      if (!p.files.includes('README.md')) missing.push(`${m.name}: README.md is not in the tarball`)
    }
    expect(missing, 'files missing from the tarballs (fix the package\'s "files" or its build)').toEqual([])
  })

  test('ship no sources, tests or stray artefacts', () => {
    const stray = [...packed.values()].flatMap((p) =>
      p.files.filter((f) => /^(src|test|tests|fixtures)\/|\.heapsnapshot$|\.tsbuildinfo$|(^|\/)tsup\.config\./.test(f)).map((f) => `${p.manifest.name}: ${f}`),
    )
    expect(stray).toEqual([])
  })

  test('depend on published versions only (no workspace:, file:, link: or repo paths)', () => {
    const versions = new Map([...packed.values()].map((p) => [p.manifest.name, p.manifest.version]))
    const problems: string[] = []
    for (const p of packed.values()) {
      const m = p.manifest
      if (m.private) problems.push(`${m.name} is private`)
      for (const [dep, range] of Object.entries({ ...m.dependencies, ...m.peerDependencies })) {
        if (/^(workspace:|file:|link:|\.|\/)/.test(range)) problems.push(`${m.name} → ${dep}@${range}`)
        const sibling = versions.get(dep)
        if (sibling !== undefined && range !== sibling && range !== `^${sibling}`) {
          problems.push(`${m.name} → ${dep}@${range}, but the packed ${dep} is ${sibling}`)
        }
      }
    }
    expect(problems).toEqual([])
  })
})

describe('installed from the tarballs', () => {
  test('are real directories resolved from the tarballs (not workspace links, not the registry)', () => {
    const lock = readJson<{ packages: Record<string, { resolved?: string; link?: boolean }> }>(join(project, 'package-lock.json'))
    const problems: string[] = []
    for (const p of packed.values()) {
      const installed = join(project, 'node_modules', p.manifest.name)
      if (lstatSync(installed).isSymbolicLink()) problems.push(`${p.manifest.name} is a symlink`)
      const entry = lock.packages[`node_modules/${p.manifest.name}`]
      if (!entry?.resolved?.endsWith(p.tarball.split('/').pop()!)) {
        problems.push(`${p.manifest.name} resolved from ${entry?.resolved ?? '(nothing)'}`)
      }
    }
    // One copy of the engine: the adapters' "@leakproof/core" dependency is the packed one.
    for (const key of Object.keys(lock.packages)) {
      if (/node_modules\/@leakproof\/[^/]+\/node_modules\//.test(key)) problems.push(`nested install ${key}`)
    }
    expect(problems).toEqual([])
  })

  test('every export resolves (import and require) and the entry points load in plain Node', async () => {
    const checks: { specifier: string; mode: 'import' | 'require'; load: boolean }[] = []
    for (const p of packed.values()) {
      const bySubpath = new Map<string, Set<string>>()
      for (const t of exportTargets(p.manifest.exports)) {
        const set = bySubpath.get(t.subpath) ?? new Set<string>()
        for (const c of t.conditions.length ? t.conditions : ['default']) set.add(c)
        bySubpath.set(t.subpath, set)
      }
      for (const [subpath, conditions] of bySubpath) {
        const specifier = subpath === '.' ? p.manifest.name : `${p.manifest.name}${subpath.slice(1)}`
        // Setup files need the framework's globals; @leakproof/vitest itself is ESM-only (it imports
        // vitest), and the JSON files are data.
        const loadable = !/\/setup$/.test(specifier) && !specifier.endsWith('.json')
        if (conditions.has('import') || conditions.has('default')) checks.push({ specifier, mode: 'import', load: loadable })
        if (conditions.has('require') || (conditions.has('default') && !conditions.has('import'))) {
          checks.push({ specifier, mode: 'require', load: loadable })
        }
      }
    }
    const result = timed('exports', await run(process.execPath, ['node/exports.mjs', JSON.stringify(checks)], { cwd: project, timeoutMs: 60_000 }))
    expect(result.code, describeRun('node node/exports.mjs', result)).toBe(0)
    const results = JSON.parse(result.stdout.trim().split('\n').pop()!) as {
      specifier: string
      mode: string
      path?: string
      exists?: boolean
      exportNames?: string[]
      error?: string
    }[]
    const problems = results
      .filter((r) => r.error || !r.exists || !r.path?.startsWith(join(project, 'node_modules')))
      .map((r) => `${r.mode} ${r.specifier}: ${r.error ?? (r.exists ? `resolved outside the project: ${r.path}` : `${r.path} does not exist`)}`)
    expect(problems).toEqual([])
    expect(results.length).toBeGreaterThanOrEqual(20)
  })

  test('@leakproof/core: import() from .mjs and require() from .cjs both expose a working measureLeak', async () => {
    for (const file of ['node/core.mjs', 'node/core.cjs']) {
      const result = timed(file, await run(process.execPath, [file], { cwd: project, timeoutMs: 120_000 }))
      expect(result.code, describeRun(`node ${file}`, result)).toBe(0)
      const out = JSON.parse(result.stdout.trim().split('\n').pop()!) as { measureLeak: string; leaked: boolean; types: string[] }
      expect(out, describeRun(`node ${file}`, result)).toMatchObject({ measureLeak: 'function', leaked: true })
      expect(out.types).toContain(leakClass)
    }
  })

  test('TypeScript finds the declarations (node16 resolution, ESM and CommonJS) and checks options', async () => {
    const good = timed('tsc', await run(process.execPath, [tsc, '-p', 'types/tsconfig.json'], { cwd: project, timeoutMs: 120_000 }))
    expect(good.code, describeRun('tsc -p types', good)).toBe(0)
    const bad = await run(process.execPath, [tsc, '-p', 'types-negative/tsconfig.json'], { cwd: project, timeoutMs: 120_000 })
    expect(bad.code, describeRun('tsc -p types-negative (must fail)', bad)).not.toBe(0)
    expect(bad.output).toMatch(/iteratons/)
  })

  test('Vitest (ESM, the plugin): the leaky subject fails with the leak report, the clean one passes', async () => {
    const vitestCli = join(project, 'node_modules/vitest/vitest.mjs')
    const result = timed('vitest', await run(process.execPath, [vitestCli, 'run'], { cwd: project, timeoutMs: 180_000 }))
    const statuses = testStatuses(join(project, 'out/vitest.json'))
    const why = describeRun('vitest run', result, listStatuses(statuses))
    expect(result.code, why).toBe(1)
    expect(statuses.get('installed from the tarball > leaky subject')?.status, why).toBe('failed')
    expect(statuses.get('installed from the tarball > clean subject')?.status, why).toBe('passed')
    expect(statuses.get('installed from the tarball > toBeCollected')?.status, why).toBe('passed')
    const failure = statuses.get('installed from the tarball > leaky subject')!.failure
    expect(failure, why).toMatch(/Leak: the subject retained [\d.]+ [KM]?B\/call/)
    expect(failure, why).toContain('Retained types')
    expect(failure, why).toContain(leakClass)
    expect(failure, why).toContain('retained (Array)')
    // The allocation site, in the test file (Jest's vm context once lost these: a dynamic import).
    expect(failure, why).toMatch(/Allocated at:\s*\n\s+.*\.test\.[cm]?[jt]s:\d+:\d+\)/)
    // The reporter (configured through the plugin) printed its table and wrote the run report.
    expect(result.output, why).toMatch(new RegExp(`leaky subject\\s+leak\\s.*${leakClass}`))
    const report = readJson<{ run: { framework: string; frameworkVersion: string }; tests: { name: string; verdict: string }[] }>(
      join(project, 'out/leakproof-vitest.json'),
    )
    expect(report.run).toMatchObject({ framework: 'vitest', frameworkVersion: vitestVersion })
    expect(Object.fromEntries(report.tests.map((t) => [t.name, t.verdict]))).toEqual({
      'installed from the tarball > leaky subject': 'leak',
      'installed from the tarball > clean subject': 'clean',
    })
  })

  test('Jest (CommonJS, setupFilesAfterEnv): the leaky test fails with the leak report, the clean one passes', async () => {
    const jestPkg = readJson<{ version: string; bin: string | Record<string, string> }>(join(project, 'node_modules/jest/package.json'))
    expect(jestPkg.version).toBe(jest30.jest)
    const jestBin = join(project, 'node_modules/jest', typeof jestPkg.bin === 'string' ? jestPkg.bin : jestPkg.bin.jest!)
    const result = timed(
      'jest',
      await run(process.execPath, [jestBin, '--ci', '--no-watchman', '--json', '--outputFile', 'out/jest.json', '--cacheDirectory', 'out/.jest-cache'], {
        cwd: project,
        timeoutMs: 180_000,
      }),
    )
    const statuses = testStatuses(join(project, 'out/jest.json'))
    const why = describeRun('jest', result, listStatuses(statuses))
    expect(result.code, why).toBe(1)
    expect(statuses.get('installed from the tarball > leaky subject')?.status, why).toBe('failed')
    expect(statuses.get('installed from the tarball > clean subject')?.status, why).toBe('passed')
    expect(statuses.get('installed from the tarball > toBeCollected')?.status, why).toBe('passed')
    expect(statuses.get('installed from the tarball > re-exports the engine')?.status, why).toBe('passed')
    const failure = statuses.get('installed from the tarball > leaky subject')!.failure
    expect(failure, why).toContain('Expected the function not to leak, but it did.')
    expect(failure, why).toMatch(/Leak: the subject retained [\d.]+ [KM]?B\/call/)
    expect(failure, why).toContain(leakClass)
    expect(failure, why).toContain('retained (Array)')
    // The allocation site, in the test file (Jest's vm context once lost these: a dynamic import).
    expect(failure, why).toMatch(/Allocated at:\s*\n\s+.*\.test\.[cm]?[jt]s:\d+:\d+\)/)
    expect(result.output, why).toMatch(new RegExp(`leaky subject\\s+leak\\s.*${leakClass}`))
    const report = readJson<{ run: { framework: string; frameworkVersion: string }; tests: { name: string; verdict: string }[] }>(
      join(project, 'out/leakproof-jest.json'),
    )
    expect(report.run).toMatchObject({ framework: 'jest', frameworkVersion: jest30.jest })
    expect(Object.fromEntries(report.tests.map((t) => [t.name, t.verdict]))).toEqual({
      'installed from the tarball > leaky subject': 'leak',
      'installed from the tarball > clean subject': 'clean',
    })
  })

  test('the leakproof bin runs: --help, and report on the run reports written above', async () => {
    const bin = join(project, 'node_modules/.bin/leakproof')
    expect(existsSync(bin), 'npm links the "leakproof" bin').toBe(true)
    const help = timed('leakproof --help', await run(bin, ['--help'], { cwd: project, timeoutMs: 60_000 }))
    expect(help.code, describeRun('leakproof --help', help)).toBe(0)
    expect(help.output).toMatch(/Usage:/)
    expect(help.output).toMatch(/leakproof report/)
    const schema = join(project, 'node_modules/@leakproof/cli/schema/run-report.schema.json')
    expect(() => JSON.parse(readFileSync(schema, 'utf8'))).not.toThrow()

    // The run reports of the Vitest and Jest tests above (they run first, in this file's order).
    for (const file of ['out/leakproof-vitest.json', 'out/leakproof-jest.json']) {
      expect(existsSync(join(project, file)), `${file} (written by the test above)`).toBe(true)
      const report = await run(bin, ['report', file], { cwd: project, timeoutMs: 60_000 })
      expect(report.code, describeRun(`leakproof report ${file}`, report)).toBe(1) // 1: leaks found
      expect(report.output).toContain(leakClass)
    }
  })
})
