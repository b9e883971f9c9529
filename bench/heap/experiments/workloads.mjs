// Workloads for the classification experiment. Each returns { name, call() } and holds its
// state in closures so a fresh process sees only its own allocations.
import vm from 'node:vm'

/** Clean: many distinct functions become hot over time (lazy compile, feedback, TurboFan). */
export function manyFunctions() {
  const fns = []
  for (let k = 0; k < 400; k++) {
    // Distinct source per function so each has its own SharedFunctionInfo / bytecode / feedback.
    fns.push(new Function('a', 'b', `let s = ${k}; for (let i = 0; i < 50; i++) { s += (a * i + b) % ${k + 3} } return { k: ${k}, s, t: 'v' + s }`))
  }
  let i = 0
  return {
    name: 'many functions warming up',
    call() {
      i++
      const hot = Math.min(fns.length, 1 + (i >> 1)) // more functions become hot as calls go on
      let sum = 0
      for (let k = 0; k < hot; k += 7) sum += fns[k](i, k).s
      return sum
    },
  }
}

/** Clean: JSON churn (temporaries only). */
export function jsonChurn() {
  let i = 0
  return {
    name: 'JSON churn',
    call() {
      i++
      const o = { id: i, items: Array.from({ length: 20 }, (_, k) => ({ k, v: 'x' + k, d: k * 1.5 })), meta: { at: Date.now() } }
      const text = JSON.stringify(o)
      return JSON.parse(text).items.length
    },
  }
}

/** Clean: regular expressions, a bounded set of dynamic patterns plus literals. */
export function regexes() {
  let i = 0
  return {
    name: 'regexes',
    call() {
      i++
      const re = new RegExp(`^(item|row)-${i % 16}-(\\d+)$`, 'u')
      const m = re.exec(`item-${i % 16}-${i}`)
      return (m?.[2]?.length ?? 0) + 'a-b-c'.replace(/-/g, '+').length + /x(y)?z/.test('xz')
    },
  }
}

/** Clean: class-heavy code evaluated in a vm script (classes, getters, inheritance, megamorphic calls). */
export function classHeavy() {
  const src = []
  for (let k = 0; k < 60; k++) {
    src.push(`class C${k} extends Base { constructor(x) { super(x); this.f${k} = x } get g() { return this.f${k} + ${k} } m(y) { return this.g * y } }`)
  }
  const ctx = vm.createContext({})
  const classes = vm.runInContext(`class Base { constructor(x) { this.x = x } m(y) { return y } }\n${src.join('\n')}\n[${Array.from({ length: 60 }, (_, k) => `C${k}`).join(',')}]`, ctx)
  let i = 0
  return {
    name: 'class-heavy',
    call() {
      i++
      let s = 0
      const n = Math.min(classes.length, 1 + (i >> 2))
      for (let k = 0; k < n; k++) s += new classes[k](i).m(2)
      return s
    },
  }
}

/** Clean: bounded LRU-ish cache sitting at its bound. */
export function boundedCache() {
  const cache = new Map()
  let i = 0
  return {
    name: 'bounded cache at its bound',
    call() {
      i++
      cache.set('key' + i, { value: i })
      if (cache.size > 100) cache.delete(cache.keys().next().value)
      return cache.size
    },
  }
}

// ---------------------------------------------------------------- leaky workloads

export function leakObjects() {
  const keep = []
  return { name: 'keep.push({})', keep, call() { keep.push({}) } }
}
export function leakStrings() {
  const keep = []
  let i = 0
  return { name: "keep.push('k'+i)", keep, call() { keep.push('k' + i++) } }
}
export function leakNumbers() {
  const keep = []
  let i = 0
  return { name: 'keep.push(i) (small ints and doubles)', keep, call() { i++; keep.push(i, i + 0.5) } }
}
export function leakMap() {
  const map = new Map()
  let i = 0
  return { name: 'Map with string keys', keep: map, call() { i++; map.set('session-' + i, { id: i }) } }
}
export function leakClosures() {
  const keep = []
  let i = 0
  return {
    name: 'closures capturing scope',
    keep,
    call() {
      const captured = { n: i++ }
      keep.push(() => captured.n)
    },
  }
}
export function leakBuffers() {
  const keep = []
  return { name: 'Buffer.alloc(256)', keep, call() { keep.push(Buffer.alloc(256)) } }
}

export const clean = [manyFunctions, jsonChurn, regexes, classHeavy, boundedCache]
export const leaky = [leakObjects, leakStrings, leakNumbers, leakMap, leakClosures, leakBuffers]
