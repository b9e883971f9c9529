// One in-process inspector session (node:inspector), for V8's sampling heap profiler.
// Static import: a dynamic import() throws inside Jest's vm context (no --experimental-vm-modules).
import * as inspector from 'node:inspector'

export interface InspectorSession {
  connect(): void
  disconnect(): void
  post(method: string, params: object | undefined, callback: (err: Error | null, result?: unknown) => void): void
  on(event: string, listener: (message: { params: unknown }) => void): void
  removeListener(event: string, listener: (message: { params: unknown }) => void): void
}

export function post<T>(session: InspectorSession, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as T)))
  })
}

/** A connected session, or undefined when the inspector is missing or refuses one. */
export function openSession(): InspectorSession | undefined {
  try {
    const session = new (inspector as unknown as { Session: new () => InspectorSession }).Session()
    session.connect()
    return session
  } catch {
    return undefined
  }
}

export function closeSession(session: InspectorSession): void {
  try {
    session.disconnect()
  } catch {
    // already gone
  }
}

/**
 * A session with V8's sampling heap profiler running, keeping only samples whose objects are
 * still alive (one per `interval` bytes allocated on average); undefined without an inspector.
 */
export async function startLiveSampling(interval: number): Promise<InspectorSession | undefined> {
  const session = openSession()
  if (!session) return undefined
  try {
    await post(session, 'HeapProfiler.enable')
    await post(session, 'HeapProfiler.startSampling', {
      samplingInterval: Math.max(1, Math.round(interval)),
      includeObjectsCollectedByMajorGC: false,
      includeObjectsCollectedByMinorGC: false,
    })
    return session
  } catch {
    closeSession(session)
    return undefined
  }
}
