// Plain loop of immutable-js __tests__/Set.ts:311 body (no Jest): hash() of the 12 fresh symbols Set() hashes.
import { hash } from '/tmp/real-suites/immutable-js/src/Hash.ts'
const gc = (globalThis as any).gc as () => void
function body() {
  const s = [Symbol('a'), Symbol('b'), Symbol('c'), Symbol('a'), Symbol('b'), Symbol('c'), Symbol('a'), Symbol('b'), Symbol('c'), Symbol('a'), Symbol('b'), Symbol('c')]
  const h = s.map(hash) // what Set(s) does for each entry (src/Hash.ts hashSymbol)
  if (h.length !== 12) throw new Error('bad')
}
const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed }
for (let i = 0; i < 2000; i++) body()
const h0 = heap(); const N = 20000
for (let i = 0; i < N; i++) body()
const h1 = heap()
console.log(`heap after GC: ${(h0 / 1e6).toFixed(2)} MB -> ${(h1 / 1e6).toFixed(2)} MB over ${N} calls = ${((h1 - h0) / N).toFixed(2)} B/call`)
