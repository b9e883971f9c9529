// Core's layers, checked: every import in src/ goes to the importer's own layer or to a lower one.
// The table below is the single statement of the layers; the README's "Layers" section is this
// table rendered (the last test says what to paste when they differ).
import { readFileSync } from 'node:fs'
import { dirname, join, posix, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, test } from 'vitest'
import { sourceFiles, src } from './source-files.js'

interface Layer {
  name: string
  /** Files (`options.ts`) and folders (`gc/`) under src/; the longest match places a file. */
  paths: string[]
}

const layer = (name: string, ...paths: string[]): Layer => ({ name, paths: paths.length ? paths : [`${name}/`] })

/**
 * Bottom to top. A module may import modules of its own layer and of any row below; layers on
 * one row are siblings and import none of each other. Data flows one way: the run takes samples,
 * the verdict judges them, the explanation says what is retained, the report tells it.
 */
const layers: Layer[][] = [
  // Data types, validated options and the pure path and unit formatting everything shares.
  [layer('model', 'errors.ts', 'options.ts', 'report/types.ts', 'report/paths.ts', 'report/units.ts')],
  // Mechanisms: forcing GC and real timers; the heap snapshot model; the sample series.
  [layer('gc'), layer('heap'), layer('samples')],
  // Pure decisions on samples; what a leak retains and where it was allocated; handles, listeners.
  [layer('verdict'), layer('explain'), layer('resources')],
  // The stages: calling the subject, screening, confirming with snapshots.
  [layer('run')],
  // Building the LeakReport from the run's findings; formatting reports and run reports.
  [layer('report')],
  [layer('measure', 'measure.ts'), layer('suite')],
  [layer('matchers')],
  // The user's API, and what the framework adapters share ('@leakproof/core/adapter').
  [layer('index', 'index.ts'), layer('adapter')],
]


interface Placed {
  layer: string
  row: number
}

/** The layer of a file (posix path under src/), by the longest matching path in the table. */
function layerOf(file: string): Placed | undefined {
  let best: (Placed & { length: number }) | undefined
  layers.forEach((row, r) => {
    for (const l of row) {
      for (const p of l.paths) {
        const hit = p.endsWith('/') ? file.startsWith(p) : file === p
        if (hit && (!best || p.length > best.length)) best = { layer: l.name, row: r, length: p.length }
      }
    }
  })
  return best && { layer: best.layer, row: best.row }
}

interface Import {
  /** posix path under src/ of the importing file */
  from: string
  line: number
  specifier: string
  /** posix path under src/ of the imported file (`..` first when outside src/) */
  to: string
}

/** The module a node names, for every form: import (type), export-from, import(), require(), import types. */
function specifierOf(node: ts.Node): ts.StringLiteralLike | undefined {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
    return ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier : undefined
  }
  if (ts.isCallExpression(node)) {
    const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword
    const required = ts.isIdentifier(node.expression) && node.expression.text === 'require'
    const arg = node.arguments[0]
    return (dynamic || required) && arg && ts.isStringLiteralLike(arg) ? arg : undefined
  }
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
    return node.argument.literal
  }
  return undefined
}

/** Every relative import of a file, of any form. */
function importsOf(file: string, text: string): Import[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const out: Import[] = []
  const visit = (node: ts.Node): void => {
    const spec = specifierOf(node)
    if (spec?.text.startsWith('.')) {
      out.push({
        from: file,
        line: source.getLineAndCharacterOfPosition(spec.getStart(source)).line + 1,
        specifier: spec.text,
        to: posix.normalize(posix.join(posix.dirname(file), spec.text)).replace(/\.js$/, '.ts'),
      })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return out
}

/** Why an import breaks the layering, or undefined when it does not. */
function violation(imp: Import, files: ReadonlySet<string>): string | undefined {
  const where = `src/${imp.from}:${imp.line} imports '${imp.specifier}'`
  if (!files.has(imp.to)) return `${where}: no such module under src/ (${imp.to})`
  const a = layerOf(imp.from)
  const b = layerOf(imp.to)
  if (!a || !b) return undefined // reported by the "every file has a layer" test
  if (a.layer === b.layer || b.row < a.row) return undefined
  const how = b.row === a.row ? 'a sibling layer' : 'a higher layer'
  return `${where}: ${a.layer} (row ${a.row + 1}) must not import ${b.layer} (row ${b.row + 1}), ${how}`
}

/** The table as the README shows it, top row first. */
function renderLayers(): string {
  const named = (l: Layer) => {
    const plain = l.paths.length === 1 && (l.paths[0] === `${l.name}/` || l.paths[0] === `${l.name}.ts`)
    return plain ? l.paths[0]! : `${l.name} (${l.paths.join(', ')})`
  }
  return layers
    .map((row, r) => `${r + 1}. ${row.map(named).join(' · ')}`)
    .reverse()
    .join('\n')
}

const files = sourceFiles()
const fileSet = new Set(files)
const imports = files.flatMap((f) => importsOf(f, readFileSync(join(src, f), 'utf8')))

describe("core's layers", () => {
  test('every module under src/ has a layer, and every layer has a module', () => {
    expect(files.length).toBeGreaterThan(40)
    expect(files.filter((f) => !layerOf(f)).map((f) => `src/${f} is in no layer of test/layers.test.ts`)).toEqual([])
    const used = new Set(files.map((f) => layerOf(f)?.layer))
    expect(layers.flat().filter((l) => !used.has(l.name)).map((l) => `layer ${l.name} has no module`)).toEqual([])
  })

  test('imports go to the same layer or a lower one', () => {
    expect(imports.length).toBeGreaterThan(100)
    expect(imports.map((imp) => violation(imp, fileSet)).filter((v) => v !== undefined)).toEqual([])
  })

  test('the check sees imports of every form and names the offender', () => {
    const text = [
      "import type { LeakReport } from '../report/types.js'",
      "import { measureLeak } from '../measure.js'",
      "export { readHeap } from '../run/heap-reading.js'",
      "const m = await import('../explain/frames.js')",
      "import { x } from './nowhere.js'",
      "type T = import('../matchers/index.js').MatcherResult",
      "// import { y } from '../index.js' (a comment)",
    ].join('\n')
    const found = importsOf('verdict/screen.ts', text).map((imp) => violation(imp, fileSet))
    expect(found).toEqual([
      undefined,
      "src/verdict/screen.ts:2 imports '../measure.js': verdict (row 3) must not import measure (row 6), a higher layer",
      "src/verdict/screen.ts:3 imports '../run/heap-reading.js': verdict (row 3) must not import run (row 4), a higher layer",
      "src/verdict/screen.ts:4 imports '../explain/frames.js': verdict (row 3) must not import explain (row 3), a sibling layer",
      "src/verdict/screen.ts:5 imports './nowhere.js': no such module under src/ (verdict/nowhere.ts)",
      "src/verdict/screen.ts:6 imports '../matchers/index.js': verdict (row 3) must not import matchers (row 7), a higher layer",
    ])
  })

  test("the README's Layers section is the table", () => {
    const readme = readFileSync(join(src, '..', 'README.md'), 'utf8')
    const block = '```text\n' + renderLayers() + '\n```'
    expect(readme.includes(block), `packages/core/README.md should hold, under "## Layers":\n${block}`).toBe(true)
  })
})
