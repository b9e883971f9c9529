// SubjectError says which call of the subject threw: `.call`, the word the messages use;
// `.iteration` stays as a deprecated alias.
import { expect, test } from 'vitest'
import { SubjectError } from '../../src/index.js'

test('SubjectError: .call, and .iteration as a deprecated alias', () => {
  const cause = new TypeError('database is down')
  const error = new SubjectError(3, cause)
  expect(error.call).toBe(3)
  expect(error.iteration).toBe(3)
  expect(error.cause).toBe(cause)
  expect(error.message).toBe('the subject threw on call 3: TypeError: database is down')
})
