// JSON.parse's messages differ between V8 versions and some quote the whole input ("Unexpected
// token '}', "<100 MB of JSON>" is not valid JSON"). On a parse failure we re-scan the text with
// this small checker to say what is wrong and where, as a line and column.

export interface JsonSyntaxProblem {
  /** e.g. `Unexpected token '}'`, `Unexpected end of input`. */
  message: string
  /** 0-based offset into the text. */
  offset: number
  line: number
  column: number
}

class Stop extends Error {
  constructor(
    readonly msg: string,
    readonly offset: number,
  ) {
    super(msg)
  }
}

function describeChar(text: string, i: number): string {
  if (i >= text.length) return 'Unexpected end of input'
  const c = text.codePointAt(i)!
  const ch = String.fromCodePoint(c)
  if (c < 0x20) return `Unexpected control character \\u${c.toString(16).padStart(4, '0')}`
  return `Unexpected token '${ch}'`
}

/** Find the first syntax error in `text`, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  let i = 0
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++
  }
  const fail = (msg?: string): never => {
    throw new Stop(msg ?? describeChar(text, i), i)
  }
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++) {
      if (text[i] !== word[k]) fail()
      i++
    }
  }
  const string = () => {
    i++ // opening quote
    for (;;) {
      if (i >= text.length) fail('Unterminated string')
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        i++
        return
      }
      if (c < 0x20) fail(`Bad control character in string (${c === 10 ? 'a raw newline' : `\\u${c.toString(16).padStart(4, '0')}`})`)
      if (c === 0x5c) {
        i++
        const e = text[i]
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k
              fail('Bad \\u escape in string')
            }
          }
          i += 5
          continue
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail('Bad escape in string')
      }
      i++
    }
  }
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (!m || m[0] === '-') fail()
    i += m![0].length
  }
  const value = (depth: number): void => {
    if (depth > 10_000) fail('Nesting too deep')
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      ws()
      if (text[i] === '}') {
        i++
        return
      }
      for (;;) {
        ws()
        if (text[i] !== '"') fail(i >= text.length ? undefined : `${describeChar(text, i)}, expected a double-quoted property name`)
        string()
        ws()
        if (text[i] !== ':') fail(i >= text.length ? undefined : `${describeChar(text, i)}, expected ':' after a property name`)
        i++
        value(depth + 1)
        ws()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === '}') {
          i++
          return
        }
        fail(i >= text.length ? undefined : `${describeChar(text, i)}, expected ',' or '}' after a property value`)
      }
    }
    if (c === '[') {
      i++
      ws()
      if (text[i] === ']') {
        i++
        return
      }
      for (;;) {
        value(depth + 1)
        ws()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === ']') {
          i++
          return
        }
        fail(i >= text.length ? undefined : `${describeChar(text, i)}, expected ',' or ']' after an array element`)
      }
    }
    if (c === '"') return string()
    if (c === 't') return literal('true')
    if (c === 'f') return literal('false')
    if (c === 'n') return literal('null')
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number()
    fail()
  }
  try {
    value(0)
    ws()
    if (i < text.length) fail(`${describeChar(text, i)} after the end of the JSON value`)
    return undefined
  } catch (e) {
    if (!(e instanceof Stop)) throw e
    return { message: e.msg, offset: e.offset, ...lineColumn(text, e.offset) }
  }
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let start = 0
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++
    start = k + 1
  }
  return { line, column: offset - start + 1 }
}
