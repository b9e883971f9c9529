// Plain standalone loop of the bodies of the yup tests flagged in per-test mode, without Vitest:
// `await expect(p).rejects...` replaced by an equivalent check on the rejection.
import { object, mixed, string, number, array, date } from '/tmp/real-suites/yup/src/index.ts'
const gc = (globalThis as any).gc as () => void
const rejects = async (p: Promise<unknown>, re: RegExp) => {
  try { await p } catch (e: any) { if (!re.test(String(e.errors ?? e.message))) throw e; return }
  throw new Error('expected a rejection')
}
async function bodies() {
  // object.ts:90 should run validations recursively
  let inst: any = object({ num: number(), str: string(), arr: array().of(number()), dte: date(),
    nested: object().shape({ str: string().strict() }), arrNested: array().of(object().shape({ num: number() })),
    stripped: string().strip() })
  let obj: any = { num: '4', str: 'hello', arr: ['4', 5, 6], dte: '2014-09-23T19:25:25Z', nested: { str: 5 }, arrNested: [{ num: 5 }, { num: '2' }] }
  if (!(await inst.isValid(undefined))) throw new Error('isValid')
  await rejects(inst.validate(obj), /nested.str/)
  obj.nested.str = 'hello'; obj.arrNested[1] = 8
  await rejects(inst.validate(obj), /arrNested\[1\]/)
  // object.ts:140 should respect strict for nested values
  await rejects(object({ field: string() }).strict().validate({ field: 5 }), /must be a `string` type/)
  // object.ts:150
  await rejects(object({ obj: object({ field: string().strict() }) }).validate({ obj: { field: 5 } }), /must be a `string` type/)
  // object.ts:180 should handle custom validation
  inst = object().shape({ prop: mixed(), other: mixed() }).test('test', '${path} oops', () => false)
  await rejects(inst.validate({}), /this oops/)
}
const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed }
for (let i = 0; i < 2000; i++) await bodies()
const h0 = heap()
const N = 20000
for (let i = 0; i < N; i++) await bodies()
const h1 = heap()
console.log(`heap after GC: ${(h0 / 1e6).toFixed(2)} MB -> ${(h1 / 1e6).toFixed(2)} MB over ${N} calls = ${((h1 - h0) / N).toFixed(2)} B/call`)
