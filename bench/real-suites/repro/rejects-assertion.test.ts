import { expect, it } from 'vitest'
const kept: unknown[] = []
it('awaits a rejects assertion', async () => {
  const err = Object.assign(new Error('nope'), { detail: Array.from({ length: 20 }, (_, i) => ({ i })) })
  await expect(Promise.reject(err)).rejects.toThrow('nope')
})
it('leaks', () => {
  kept.push({ big: 'x'.repeat(100) + Math.random() })
})
it('plain', () => {
  expect({ a: 1 }).toEqual({ a: 1 })
})
