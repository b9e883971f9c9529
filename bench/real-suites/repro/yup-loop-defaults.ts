// Plain loop of yup test/object.ts "object defaults" bodies (lines 280-386), no framework.
import { object, mixed, string } from '/tmp/real-suites/yup/src/index.ts'
const gc = (globalThis as any).gc as () => void
const createSchema = () => object({ nest: object({ str: string().default('hi') }) })
function bodies() {
  const objSchema = createSchema()                        // beforeEach
  if (objSchema.getDefault().nest.str !== 'hi') throw 0   // :300
  objSchema.default({ boom: 'hi' }).getDefault()          // :306
  object({ str: string(), nest: object({ str: string() }) }).getDefault() // :314
  object({ prop: mixed(), other: object({ x: object({ b: string() }) }) }).getDefault() // :326 (shape abridged)
}
const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed }
for (let i = 0; i < 2000; i++) bodies()
const h0 = heap(); const N = 20000
for (let i = 0; i < N; i++) bodies()
const h1 = heap()
console.log(`heap after GC: ${(h0 / 1e6).toFixed(2)} MB -> ${(h1 / 1e6).toFixed(2)} MB over ${N} calls = ${((h1 - h0) / N).toFixed(2)} B/call`)
