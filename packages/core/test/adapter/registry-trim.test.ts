// Per-test mode's trimming of a framework's registries between repeats (both adapters use it).
import { describe, expect, test } from 'vitest'
import { trimRegistries } from '../../src/adapter/index.js'

describe('per-test mode: framework registries trimmed between repeats', () => {
  test('keeps what was there at the start and the latest run\'s entries, drops older runs\'', () => {
    const registry = new Set<unknown>(['first run', 'earlier test'])
    const trim = trimRegistries(() => [registry])
    registry.add('run 1')
    trim.afterRun()
    expect([...registry]).toEqual(['first run', 'earlier test', 'run 1'])
    registry.add('run 2a')
    registry.add('run 2b')
    trim.afterRun()
    expect([...registry]).toEqual(['first run', 'earlier test', 'run 2a', 'run 2b'])
    registry.add('run 3')
    trim.afterRun()
    expect([...registry]).toEqual(['first run', 'earlier test', 'run 3'])
  })

  test('a run that added nothing drops the previous run\'s entries', () => {
    const registry = new Set<unknown>()
    const trim = trimRegistries(() => [registry])
    registry.add('run 1')
    trim.afterRun()
    trim.afterRun()
    expect(registry.size).toBe(0)
  })

  test('a registry the framework emptied or replaced is read anew (Jest\'s restoreAllMocks)', () => {
    let registry = new Set<unknown>(['start'])
    const trim = trimRegistries(() => [registry])
    registry.add('run 1')
    trim.afterRun()
    const old = registry
    registry = new Set(['run 2'])
    trim.afterRun()
    expect([...registry]).toEqual(['run 2'])
    registry.add('run 3')
    trim.afterRun()
    expect([...registry]).toEqual(['run 3'])
    // The replaced Set is the framework's garbage; trimming it does no harm.
    expect(old.has('start')).toBe(true)
  })
})
