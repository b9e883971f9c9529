import { describe, expect, test } from 'vitest'
import { trackCollection } from '@leakproof/vitest'
import * as shipped from '../src/sessions'
import * as fixed from '../src/sessions-fixed'
import type { Session } from '../src/sessions'

// The same tests for the shipped module (it leaks: the two leak checks fail with leakproof's
// report) and for the fixed one (it passes them).
describe.each([
  ['sessions.ts (as shipped: never removes its shutdown listener)', shipped],
  ['sessions-fixed.ts (removes it on close)', fixed],
])('%s', (_name, { openSession, closeSession, openCount }) => {
  test('open and close a session', () => {
    const session = openSession('ada')
    expect(openCount()).toBe(1)
    closeSession(session)
    expect(openCount()).toBe(0)
  })

  // toLeak: call the function hundreds of times and fail if each call leaves memory behind.
  test('opening and closing sessions does not leak', async () => {
    await expect(() => closeSession(openSession('ada'))).not.toLeak()
  })

  // toBeCollected: this object must be garbage-collected (else: the path that keeps it alive).
  test('a closed session can be garbage-collected', async () => {
    let session: Session | undefined = openSession('grace')
    const tracked = trackCollection(session, 'closed session')
    closeSession(session)
    session = undefined
    await expect(tracked).toBeCollected()
  })
})
