import { describe, expect, test } from 'vitest'
import { pauseTiering, tiersToPause } from '../../src/run/tiering.js'

describe('tiersToPause', () => {
  test('TurboFan and Sparkplug, and Maglev where Node builds it', () => {
    expect(tiersToPause([], undefined, 0, undefined)).toEqual(['opt', 'sparkplug'])
    expect(tiersToPause([], '', 1, undefined)).toEqual(['opt', 'sparkplug', 'maglev'])
  })

  test('nothing when the user set a tiering flag, on the command line or in NODE_OPTIONS', () => {
    expect(tiersToPause(['--no-opt'], undefined, 0, undefined)).toEqual([])
    expect(tiersToPause(['--expose-gc', '--max-opt=2'], undefined, 1, undefined)).toEqual([])
    expect(tiersToPause([], '--enable-source-maps --no_sparkplug', 0, undefined)).toEqual([])
    expect(tiersToPause(['--jitless'], undefined, 0, undefined)).toEqual([])
  })

  test('flags that only look alike do not count', () => {
    expect(tiersToPause(['--optimize-for-size', '--expose-gc'], '--max-old-space-size=4096', 0, undefined)).toEqual(['opt', 'sparkplug'])
  })

  test('LEAKPROOF_JIT=on keeps tiering on', () => {
    expect(tiersToPause([], undefined, 1, 'on')).toEqual([])
  })
})

describe('pauseTiering', () => {
  test('pauses once for nested pauses and resumes at the outermost, each resume counted once', () => {
    const set: string[] = []
    const outer = pauseTiering((f) => set.push(f))
    const inner = pauseTiering((f) => set.push(f))
    const paused = [...set]
    expect(paused.length).toBeGreaterThan(0)
    inner()
    inner()
    expect(set).toEqual(paused)
    outer()
    expect(set.filter((f) => f.startsWith('--no-'))).toEqual(paused)
    expect(set.slice(paused.length)).toEqual(paused.map((f) => f.replace('--no-', '--')))
  })
})
