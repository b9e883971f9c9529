import { expect, it } from 'vitest'
const kept: unknown[] = []
it('inline snapshot after await', async () => {
  const v = await Promise.resolve({ a: 1 })
  expect(v).toMatchInlineSnapshot(`
    {
      "a": 1,
    }
  `)
})
it('leaks', () => {
  kept.push({ big: 'x'.repeat(100) + Math.random() })
})
it('plain', () => {
  expect({ a: 1 }).toEqual({ a: 1 })
})
