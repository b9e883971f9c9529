import ah from 'node:async_hooks'
import { it } from 'vitest'
async function work() { for (let c = 0; c < 20; c++) for (let i = 0; i < 1000; i++) await new Promise(res => process.nextTick(res)) }
async function time(label: string, f: () => Promise<void>) { const t = performance.now(); await f(); console.log(label, (performance.now() - t).toFixed(1)) }
it('debug', async () => {
  await time('plain', work)
  let h = ah.createHook({ init(id, type) { if (type !== 'TickObject') return; const o: any = {}; const l = Error.stackTraceLimit; Error.stackTraceLimit = 10; Error.captureStackTrace(o); Error.stackTraceLimit = l } }).enable(); await time('capture only', work); h.disable()
  h = ah.createHook({ init(id, type) { if (type !== 'TickObject') return; const o: any = {}; const l = Error.stackTraceLimit; const p = Error.prepareStackTrace; Error.prepareStackTrace = (e, cs) => cs.length; Error.stackTraceLimit = 10; Error.captureStackTrace(o); o.stack; Error.stackTraceLimit = l; Error.prepareStackTrace = p } }).enable(); await time('capture + trivial prepare', work); h.disable()
  h = ah.createHook({ init(id, type) { if (type !== 'TickObject') return; const l = Error.stackTraceLimit; const p = Error.prepareStackTrace; Error.prepareStackTrace = (e, cs) => cs.length; Error.stackTraceLimit = 10; const o: any = {}; Error.captureStackTrace(o); o.stack; Error.prepareStackTrace = p; Error.stackTraceLimit = l } }).enable(); await time('again', work); h.disable()
  const cheap = (_e: unknown, cs: NodeJS.CallSite[]) => { const out = []; for (const c of cs) { const f = c.getFileName(); if (!f || f.startsWith('node:')) continue; out.push(f, c.getLineNumber(), c.getColumnNumber(), c.getFunctionName()) } return out }
  h = ah.createHook({ init(id, type) { if (type !== 'TickObject') return; const l = Error.stackTraceLimit; const p = Error.prepareStackTrace; Error.prepareStackTrace = cheap; Error.stackTraceLimit = 10; const o: any = {}; Error.captureStackTrace(o); o.stack; Error.prepareStackTrace = p; Error.stackTraceLimit = l } }).enable(); await time('capture + fields', work); h.disable()
  await time('plain', work)
})
