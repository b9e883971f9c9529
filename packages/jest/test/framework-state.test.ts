// Per-test mode trims Jest's mock registries between repeats: jest-mock's real ModuleMocker of
// Jest 29 (root node_modules) and Jest 30 (test/jest/versions/30), driven as a repeated test would.

import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { trackFrameworkState } from '../src/each-test/framework-state.js'

const repo = join(fileURLToPath(import.meta.url), '..', '..', '..', '..')
const mockers = {
  29: join(repo, 'package.json'),
  30: join(repo, 'test', 'jest', 'versions', '30', 'package.json'),
}

interface ModuleMockerLike {
  spyOn(object: object, key: string): { mockRestore(): void }
  restoreAllMocks(): void
  _spyState: Set<unknown>
}

describe.each([29, 30] as const)('jest-mock %i', (major) => {
  const { ModuleMocker, version } = (() => {
    const require = createRequire(mockers[major])
    const pkg = require('jest-mock/package.json') as { version: string }
    return { ModuleMocker: (require('jest-mock') as { ModuleMocker: new (global: object) => ModuleMockerLike }).ModuleMocker, version: pkg.version }
  })()

  test('is the major under test', () => {
    expect(version.startsWith(`${major}.`)).toBe(true)
  })

  /** A run of a test that spies on an object it makes and restores the spy. */
  const run = (mocker: ModuleMockerLike) => {
    const service = { send: () => 1 }
    mocker.spyOn(service, 'send').mockRestore()
  }

  test('mockRestore() leaves every spy in _spyState; trimmed, one run\'s worth stays', () => {
    const untrimmed = new ModuleMocker(globalThis)
    for (let i = 0; i < 50; i++) run(untrimmed)
    expect(untrimmed._spyState.size).toBe(50)

    const mocker = new ModuleMocker(globalThis)
    const shared = { get: () => 0 }
    mocker.spyOn(shared, 'get') // before the check (the first run): kept
    const framework = trackFrameworkState({ moduleMocker: mocker })
    for (let i = 0; i < 50; i++) {
      framework.afterRun()
      run(mocker)
    }
    framework.dispose()
    // The spy from before the check, and the last two runs' (the runner trims at the start of a
    // run, so the last run's predecessor is still there when the check ends).
    expect(mocker._spyState.size).toBe(3)
    // The spy from before the check can still be restored by restoreAllMocks.
    mocker.restoreAllMocks()
    expect(jestMockName(shared.get)).toBe(false)
  })

  test('restoreAllMocks() in a run (a new Set each time) is followed', () => {
    const mocker = new ModuleMocker(globalThis)
    const framework = trackFrameworkState({ moduleMocker: mocker })
    for (let i = 0; i < 20; i++) {
      framework.afterRun()
      run(mocker)
      run(mocker)
      if (i % 2) mocker.restoreAllMocks()
    }
    expect(mocker._spyState.size).toBeLessThanOrEqual(2)
  })
})

test('Jest 30\'s GlobalProxy leftovers: trimmed to the latest run\'s', () => {
  const leftovers: unknown[] = [{ property: 'before', value: 1 }]
  const framework = trackFrameworkState({ _globalProxy: { leftovers } })
  for (let i = 0; i < 10; i++) {
    framework.afterRun()
    leftovers.push({ property: 'setTimeout', value: i }, { property: 'clearTimeout', value: i })
  }
  framework.afterRun()
  expect(leftovers).toEqual([
    { property: 'before', value: 1 },
    { property: 'setTimeout', value: 9 },
    { property: 'clearTimeout', value: 9 },
  ])
})

function jestMockName(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as { _isMockFunction?: boolean })._isMockFunction === true
}
