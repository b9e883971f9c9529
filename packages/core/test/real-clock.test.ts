// The engine times itself on the clock gc/timers.ts captures at import (realNow): fake timers
// (vi.useFakeTimers, jest's modern timers, @sinonjs/fake-timers) replace the global `performance`
// and `Date`, and a frozen clock would make every call look free (the adaptive screening window
// would take its largest size, the confirmation's time budget would not bound anything).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, test } from 'vitest'
import { sourceFiles, src } from './source-files.js'

/** Modules allowed to read the global clock, and why. */
const allowed: Record<string, string> = {
  'gc/timers.ts': 'captures the real clock at import',
}


/** `performance.now` and `Date.now` in code (not in comments or strings), as `file:line`. */
function globalClockReads(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const out: string[] = []
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === 'now' &&
      ts.isIdentifier(node.expression) &&
      (node.expression.text === 'performance' || node.expression.text === 'Date')
    ) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1
      out.push(`src/${file}:${line} reads ${node.expression.text}.now`)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return out
}

describe('the real clock', () => {
  test('only gc/timers.ts reads the global clock (fake timers replace it)', () => {
    const reads = sourceFiles()
      .filter((f) => !(f in allowed))
      .flatMap((f) => globalClockReads(f, readFileSync(join(src, f), 'utf8')))
    expect(reads).toEqual([])
  })

  test('the check finds reads in code, not in comments or strings', () => {
    const text = [
      '// performance.now() in a comment',
      "const s = 'Date.now()'",
      'const t = performance.now()',
      'const u = Date.now()',
      'const v = perf.performance.now()',
      'const w = `${a}` + `${performance.now()}`',
    ].join('\n')
    expect(globalClockReads('x.ts', text)).toEqual([
      'src/x.ts:3 reads performance.now',
      'src/x.ts:4 reads Date.now',
      'src/x.ts:6 reads performance.now',
    ])
  })
})
