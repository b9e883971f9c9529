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
