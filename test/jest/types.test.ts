// Type tests: `tsc --noEmit` over the fixtures in fixtures/types, against Jest 29's and Jest 30's
// type packages. Each fixture has `// @ts-expect-error` lines (a typo'd option must not compile);
// the control file, compiled without @leakproof/jest, must fail.

import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { fixturesDir, generatedDir, type JestMajor, majors, repoRoot, resolveFrom } from './helpers.js'

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

/** Package directory of `name` as the given major's workspace sees it. */
function packageDir(major: JestMajor, name: string): string {
  return dirname(resolveFrom(major, `${name}/package.json`))
}

/**
 * skipLibCheck: true is what most projects use and keeps each compile at a few seconds; one compile
 * (the @jest/globals flavour on Jest 30) checks the declaration files too, @leakproof/jest's
 * included (about 20 s: it checks all of @types/node).
 */
function writeTsconfig(name: string, files: string[], compilerOptions: Record<string, unknown>): string {
  mkdirSync(generatedDir, { recursive: true })
  const path = join(generatedDir, `tsconfig.${name}.json`)
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      ...compilerOptions,
    },
    files,
  }
  writeFileSync(path, JSON.stringify(config, null, 2))
  return path
}

async function runTsc(project: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { cwd: repoRoot })
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr.on('data', (c: Buffer) => (output += c.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, output }
}

describe.each(majors)('Jest %i types', (major) => {
  // Pin every Jest type package to this major, so the program holds one `expect` (the one that
  // @jest/globals and @leakproof/jest's augmentation both refer to).
  const paths = {
    expect: [packageDir(major, 'expect')],
    '@jest/globals': [packageDir(major, '@jest/globals')],
  }
  const nodeTypes = join(repoRoot, 'node_modules/@types')
  const jestTypes = dirname(packageDir(major, '@types/jest'))

  test('@jest/globals flavour: matchers typed, typos rejected', async () => {
    const project = writeTsconfig(`globals-${major}`, [join(fixturesDir, 'types/jest-globals.ts')], {
      types: ['node'],
      typeRoots: [nodeTypes],
      paths,
      skipLibCheck: major !== 30,
    })
    const { code, output } = await runTsc(project)
    expect(output).toBe('')
    expect(code).toBe(0)
  }, 5 * 60_000)

  test('@types/jest flavour (global expect): matchers typed, typos rejected', async () => {
    const project = writeTsconfig(`global-types-${major}`, [join(fixturesDir, 'types/jest-global-types.ts')], {
      types: ['node', 'jest', '@leakproof/jest'],
      // Custom typeRoots (to pick this major's @types/jest) turn off the node_modules lookup for
      // "types" entries, so the repository's node_modules is listed for @leakproof/jest.
      typeRoots: [jestTypes, nodeTypes, join(repoRoot, 'node_modules')],
      paths,
    })
    const { code, output } = await runTsc(project)
    expect(output).toBe('')
    expect(code).toBe(0)
  }, 5 * 60_000)

  test('control: without @leakproof/jest the matchers do not exist', async () => {
    const project = writeTsconfig(`control-${major}`, [join(fixturesDir, 'types/without-leakproof.ts')], {
      types: ['node'],
      typeRoots: [nodeTypes],
      paths,
    })
    const { code, output } = await runTsc(project)
    expect(code).not.toBe(0)
    expect(output).toMatch(/Property 'toLeak' does not exist/)
  }, 5 * 60_000)
})
