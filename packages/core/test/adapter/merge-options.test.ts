// Option layers as both adapters combine them: project defaults, per-test mode's, a test's own.
import { describe, expect, test } from 'vitest'
import { mergeOptions } from '../../src/adapter/index.js'

describe('mergeOptions', () => {
  test('later layers win, ignore lists are concatenated', () => {
    expect(
      mergeOptions({ threshold: 8, ignore: { types: ['A'] } }, undefined, { threshold: 16, ignore: { types: ['B'], sites: [/x/] } }),
    ).toEqual({ threshold: 16, ignore: { types: ['A', 'B'], sites: [/x/] } })
  })

  test('the layers are not changed', () => {
    const project = { ignore: { types: ['A'] } }
    mergeOptions(project, { ignore: { types: ['B'] } })
    expect(project).toEqual({ ignore: { types: ['A'] } })
  })
})

test('an old option name in one layer and the current one in a later layer: the later wins, not a "both given" error', () => {
  expect(mergeOptions({ iterations: 60, maxIterations: 9000 }, { calls: 80 })).toEqual({ calls: 80, maxCalls: 9000 })
})
