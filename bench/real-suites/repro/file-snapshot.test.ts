import { expect, it } from 'vitest'
it('file snapshot', () => {
  expect({ a: 1 }).toMatchSnapshot()
})
it('plain', () => {
  expect({ a: 1 }).toEqual({ a: 1 })
})
