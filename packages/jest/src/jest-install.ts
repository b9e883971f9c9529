// Which Jest is running us? Reporters and environments are loaded by Jest's own modules, so the
// running Jest's packages are already in Node's module cache. Resolving Jest internals from there
// (instead of from this package's location) keeps a monorepo or a pnpm store with several Jest
// versions from mixing, e.g. a Jest 29 run picking up a hoisted jest-environment-node 30.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, sep } from 'node:path'

const localRequire = createRequire(join(process.cwd(), 'noop.js'))

/** Directory of a package whose files are already loaded, e.g. `jest-runner` (the last one loaded wins). */
export function loadedPackageDir(name: string): string | undefined {
  const marker = `${sep}node_modules${sep}${name.split('/').join(sep)}${sep}`
  let found: string | undefined
  for (const file of Object.keys(localRequire.cache)) {
    const at = file.lastIndexOf(marker)
    if (at !== -1) found = file.slice(0, at + marker.length - 1)
  }
  return found
}

/** Version of a loaded package, or undefined. */
export function loadedPackageVersion(name: string): string | undefined {
  const dir = loadedPackageDir(name)
  if (!dir) return undefined
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version
  } catch {
    return undefined
  }
}

/** The running Jest's version, from @jest/core or jest-runner in the module cache. */
export function runningJestVersion(): string {
  return loadedPackageVersion('@jest/core') ?? loadedPackageVersion('jest-runner') ?? loadedPackageVersion('jest-circus') ?? 'unknown'
}

/**
 * require() a package as the running Jest would see it: from the loaded jest-runner (which depends
 * on jest-environment-node), else from this package.
 */
export function requireFromJest<T>(name: string, fallback: () => T): T {
  for (const anchor of ['jest-runner', 'jest-circus', '@jest/core']) {
    const dir = loadedPackageDir(anchor)
    if (!dir) continue
    try {
      return createRequire(join(dir, 'package.json'))(name) as T
    } catch {
      // not resolvable from there; try the next anchor
    }
  }
  return fallback()
}
