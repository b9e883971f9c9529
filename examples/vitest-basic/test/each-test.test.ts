import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { checkEachTest } from '@leakproof/vitest'
import * as shipped from '../src/sessions'
import * as fixed from '../src/sessions-fixed'
import type { Session } from '../src/sessions'

// Per-test mode: no leak assertion in the test. Each test of a block with checkEachTest() runs
// once as usual, then again and again with its beforeEach/afterEach hooks, and fails if those
// runs retain memory. (leakTest('name', fn) does the same for one test; the plugin's
// `eachTest: true` for every test of the project.)
describe.each([
  ['sessions.ts (as shipped: never removes its shutdown listener)', shipped],
  ['sessions-fixed.ts (removes it on close)', fixed],
])('%s', (_name, { openSession, closeSession }) => {
  checkEachTest()

  let session: Session
  beforeEach(() => {
    session = openSession('linus')
  })
  afterEach(() => {
    closeSession(session)
  })

  test('keeps a cart in the session', () => {
    session.data.set('cart', ['book', 'lamp'])
    expect(session.data.get('cart')).toHaveLength(2)
  })
})
