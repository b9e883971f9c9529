// Counting what is open right now: process.getActiveResourcesInfo() plus file descriptors.

import fs from 'node:fs'

/** The resource type reported for open file descriptors that no handle type explains. */
export const FD_TYPE = 'fd'
/** Running Worker threads: seen only through async_hooks (getActiveResourcesInfo misses them). */
export const WORKER_TYPE = 'Worker'

// async_hooks type -> name used by getActiveResourcesInfo (the C++ MemoryInfoName), measured on
// Node 20. Types not listed keep their async_hooks name.
const resourceNames: Record<string, string> = {
  Timeout: 'Timeout',
  Immediate: 'Immediate',
  TCPSERVERWRAP: 'TCPServerWrap',
  TCPWRAP: 'TCPSocketWrap',
  PIPESERVERWRAP: 'PipeWrap',
  PIPEWRAP: 'PipeWrap',
  PROCESSWRAP: 'ProcessWrap',
  TTYWRAP: 'TTYWrap',
  UDPWRAP: 'UDPWrap',
  FSEVENTWRAP: 'FSEventWrap',
  STATWATCHER: 'StatWatcher',
  SIGNALWRAP: 'SignalWrap',
  FSREQCALLBACK: 'FSReqCallback',
  FSREQPROMISE: 'FSReqPromise',
  GETADDRINFOREQWRAP: 'GetAddrInfoReqWrap',
  GETNAMEINFOREQWRAP: 'GetNameInfoReqWrap',
  TCPCONNECTWRAP: 'ConnectWrap',
  PIPECONNECTWRAP: 'ConnectWrap',
  SHUTDOWNWRAP: 'ShutdownWrap',
  WRITEWRAP: 'WriteWrap',
  UDPSENDWRAP: 'SendWrap',
  FILEHANDLE: FD_TYPE,
  FILEHANDLECLOSEREQ: 'CloseReq',
  WORKER: WORKER_TYPE,
  MESSAGEPORT: 'MessagePort',
  JSSTREAM: 'JSStream',
  HTTP2SESSION: 'Http2Session',
}

/**
 * async_hooks types that get no creation record: promises, per-tick bookkeeping (TickObject
 * stacks are kept apart, briefly, only to attribute handles created in a nextTick callback).
 */
const untrackedTypes = new Set([
  'PROMISE',
  'TickObject',
  'Microtask',
  // Per-request AsyncResources of http: never active handles themselves.
  'HTTPINCOMINGMESSAGE',
  'HTTPCLIENTREQUEST',
])

/** The getActiveResourcesInfo-style name for an async_hooks type. */
export function resourceNameOf(asyncType: string): string {
  return resourceNames[asyncType] ?? asyncType
}

/**
 * Types whose instances are handles or timers: a resource object of these types says reliably
 * whether it is still open (`hasRef()`, `_destroyed`), with the same test
 * getActiveResourcesInfo applies. Their count is taken from the creation records, so only what
 * was created while watching counts, and a pre-existing resource closing cannot hide a new one.
 * Requests (FSReqCallback, ConnectWrap, …) and `fd` are counted by difference instead.
 */
export const handleTypes: ReadonlySet<string> = new Set([
  'Timeout',
  'Immediate',
  'TCPServerWrap',
  'TCPSocketWrap',
  'PipeWrap',
  'ProcessWrap',
  'TTYWrap',
  'UDPWrap',
  'FSEventWrap',
  'StatWatcher',
  'SignalWrap',
  'MessagePort',
  WORKER_TYPE,
])

/** Whether resources of this async_hooks type get a creation record. */
export function isTrackedAsyncType(asyncType: string): boolean {
  return !untrackedTypes.has(asyncType)
}

/** Counts by type of the ref'd handles, requests and timers keeping the event loop alive. */
export function countActiveResources(into: Map<string, number>): void {
  for (const name of process.getActiveResourcesInfo()) into.set(name, (into.get(name) ?? 0) + 1)
}

let fdDirWorks = process.platform === 'linux'

/**
 * Open file descriptors that no handle type accounts for: regular files, directories, devices.
 * Sockets and pipes belong to TCP/Pipe handles (counted by type already) and anonymous inodes
 * to the event loop, inotify and Workers. Undefined where /proc/self/fd does not exist.
 */
export function countFileDescriptors(): number | undefined {
  if (!fdDirWorks) return undefined
  let names: string[]
  try {
    names = fs.readdirSync('/proc/self/fd')
  } catch {
    fdDirWorks = false
    return undefined
  }
  let count = 0
  for (const name of names) {
    let target: string
    try {
      target = fs.readlinkSync('/proc/self/fd/' + name)
    } catch {
      continue // the descriptor readdir itself used, already closed
    }
    if (target.startsWith('socket:') || target.startsWith('pipe:') || target.startsWith('anon_inode:')) continue
    count++
  }
  return count
}

/** Everything countable right now, by resource type name (`fd` included on Linux). */
export function countAll(): Map<string, number> {
  const counts = new Map<string, number>()
  countActiveResources(counts)
  const fds = countFileDescriptors()
  if (fds !== undefined) counts.set(FD_TYPE, fds)
  return counts
}
