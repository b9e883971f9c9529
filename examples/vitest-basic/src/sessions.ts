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

const openSessions = new Map<number, Session>()
let nextId = 1

export function openSession(user: string): Session {
  const session: Session = { id: nextId++, user, openedAt: Date.now(), data: new Map() }
  openSessions.set(session.id, session)
  // Close the session when the app shuts down.
  appEvents.on('shutdown', () => closeSession(session))
  return session
}

export function closeSession(session: Session): void {
  openSessions.delete(session.id)
  // The bug: the 'shutdown' listener added by openSession() is never removed. Every session ever
  // opened stays reachable from appEvents through that listener's closure.
}

export function openCount(): number {
  return openSessions.size
}
