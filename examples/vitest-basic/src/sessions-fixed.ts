import { EventEmitter } from 'node:events'

export interface Session {
  id: number
  user: string
  openedAt: number
  data: Map<string, unknown>
}

/** Application-wide events (config reloads, shutdown), shared by every module. */
export const appEvents = new EventEmitter()
appEvents.setMaxListeners(0)

const openSessions = new Map<number, { session: Session; onShutdown: () => void }>()
let nextId = 1

export function openSession(user: string): Session {
  const session: Session = { id: nextId++, user, openedAt: Date.now(), data: new Map() }
  // Close the session when the app shuts down.
  const onShutdown = () => closeSession(session)
  appEvents.on('shutdown', onShutdown)
  openSessions.set(session.id, { session, onShutdown })
  return session
}

export function closeSession(session: Session): void {
  const entry = openSessions.get(session.id)
  if (!entry) return
  openSessions.delete(session.id)
  // The fix: closing a session removes the listener that kept it alive.
  appEvents.off('shutdown', entry.onShutdown)
}

export function openCount(): number {
  return openSessions.size
}
