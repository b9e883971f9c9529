// Bad input: corrupt JSON, schema version mismatch, missing and wrong fields. The CLI must name
// the file, say what is wrong and where, and exit 2.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { findJsonSyntaxError } from '../../packages/cli/src/json-error.js'
import { schema, supportedKeywords, validateRunReport, type JsonSchema } from '../../packages/cli/src/validate.js'
import { ensureBuilt, fixtures, readJson, runCli, tempDir, writeJson } from './helpers.js'

beforeAll(() => ensureBuilt())

const current = () => readJson<Record<string, any>>(join(fixtures, 'current.json'))

function inTemp(name: string, content: string): { dir: string; file: string } {
  const dir = tempDir()
  writeFileSync(join(dir, name), content)
  return { dir, file: name }
}

describe('corrupt JSON', () => {
  test('names the file, the problem and the line', () => {
    const { dir } = inTemp('report.json', '{\n  "schemaVersion": 1,\n  "tool": }\n')
    const r = runCli(['report', 'report.json'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      "leakproof: cannot read report.json: not valid JSON (Unexpected token '}' at line 3, column 11)\n",
    )
  })

  test('a truncated file says it ends early and suggests why', () => {
    const text = readFileSync(join(fixtures, 'shard-3.json'), 'utf8')
    const { dir } = inTemp('shard.json', text.slice(0, 5000))
    const r = runCli(['merge', 'shard.json'], { cwd: dir })
    expect(r.code).toBe(2)
    const lines = r.stderr.split('\n')
    expect(lines[0]).toMatch(/^leakproof: cannot read shard\.json: not valid JSON \((Unexpected end of input|Unterminated string) at line \d+, column \d+\)$/)
    expect(lines[1]).toMatch(/truncated/)
  })

  test('an empty file', () => {
    const { dir } = inTemp('report.json', '')
    const r = runCli(['report', 'report.json'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^leakproof: cannot read report\.json: the file is empty/)
  })

  test('a huge invalid file is not echoed back into the message', () => {
    const big = '{"tests": [' + '1,'.repeat(200_000) + ']}'
    const { dir } = inTemp('report.json', big)
    const r = runCli(['report', 'report.json'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr.length).toBeLessThan(300)
    expect(r.stderr).toMatch(/Unexpected token '\]' at line 1, column \d+/)
  })

  test.each([
    ['{"a": 1', 'Unexpected end of input', 1, 8],
    ['{"a": 1,}', "Unexpected token '}', expected a double-quoted property name", 1, 9],
    ['[1, 2,, 3]', "Unexpected token ','", 1, 7],
    ['{"a" 1}', "Unexpected token '1', expected ':' after a property name", 1, 6],
    ['{"a": "x\ny"}', 'Bad control character in string (a raw newline)', 1, 9],
    ['{}\n{}', "Unexpected token '{' after the end of the JSON value", 2, 1],
    ['{"a": tru}', "Unexpected token '}'", 1, 10],
    ['{"a": -}', "Unexpected token '-'", 1, 7],
  ])('locates %j', (text, message, line, column) => {
    expect(() => JSON.parse(text)).toThrow()
    expect(findJsonSyntaxError(text)).toEqual(expect.objectContaining({ message, line, column }))
  })

  test('accepts everything JSON.parse accepts', () => {
    for (const name of ['current.json', 'baseline.json', 'empty.json']) {
      expect(findJsonSyntaxError(readFileSync(join(fixtures, name), 'utf8'))).toBeUndefined()
    }
    for (const text of ['0', '-1.5e+3', '"\\u00e9\\n"', '[[], {}, null, true, false]', ' {"a":{"b":[1,{"c":"d"}]}} ']) {
      expect(() => JSON.parse(text)).not.toThrow()
      expect(findJsonSyntaxError(text)).toBeUndefined()
    }
  })
})

describe('schema version', () => {
  test('a newer report names both versions and says to upgrade the CLI', () => {
    const dir = tempDir()
    writeJson(join(dir, 'report.json'), { ...current(), schemaVersion: 3 })
    const r = runCli(['report', 'report.json'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^leakproof: cannot read report\.json: report schema version 3 is not supported: this CLI \(@leakproof\/cli [\d.]+\) reads schema versions 1 and 2\./)
    expect(r.stderr).toMatch(/newer leakproof reporter: upgrade the CLI/)
    expect(r.stderr).toMatch(/npm install -D @leakproof\/cli@latest/)
  })

  test('an older report says to regenerate it', () => {
    const dir = tempDir()
    writeJson(join(dir, 'old.json'), { ...current(), schemaVersion: 0 })
    const r = runCli(['compare', '--baseline', 'old.json', join(fixtures, 'current.json')], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/cannot read old\.json: report schema version 0 is not supported: .* reads schema versions 1 and 2\. The report was written by an older leakproof reporter: re-run the tests/)
  })

  test('merge refuses a shard with another version and writes nothing', () => {
    const dir = tempDir()
    writeJson(join(dir, 'b.json'), { ...current(), schemaVersion: 3 })
    const r = runCli(['merge', join(fixtures, 'shard-1.json'), 'b.json', '--out', 'merged.json'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/cannot read b\.json: report schema version 3 is not supported/)
    expect(() => readFileSync(join(dir, 'merged.json'))).toThrow()
  })

  test('a JSON file that is not a leakproof report', () => {
    const dir = tempDir()
    writeJson(join(dir, 'package.json'), { name: 'x', version: '1.0.0' })
    const r = runCli(['report', 'package.json'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/cannot read package\.json: this is not a leakproof run report\. .*it has no "schemaVersion" and no "tool": "leakproof" field/)
  })
})

describe('missing and wrong fields name the path', () => {
  test('a missing verdict', () => {
    const report = current()
    delete report.tests[3].verdict
    const dir = tempDir()
    writeJson(join(dir, 'report.json'), report)
    const r = runCli(['report', 'report.json'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('leakproof: cannot read report.json: missing field tests[3].verdict\n')
  })

  test('several problems are listed, each with its path', () => {
    const report = current()
    delete report.run.node
    report.tests[0].verdict = 'leaky'
    report.tests[1].report.samples.heapUsed[2] = 'big'
    delete report.tests[5].report.retainedTypes
    const dir = tempDir()
    writeJson(join(dir, 'report.json'), report)
    const r = runCli(['report', 'report.json'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      [
        'leakproof: cannot read report.json: not a valid leakproof run report (schema version 1):',
        '  - missing field run.node (a string)',
        '  - tests[0].verdict must be one of "leak", "clean", "inconclusive", "error", "skipped", got the string "leaky"',
        '  - tests[1].report.samples.heapUsed[2] must be a number, got the string "big"',
        '  - missing field tests[5].report.retainedTypes (an array)',
        '',
      ].join('\n'),
    )
  })

  test('sample arrays of different lengths', () => {
    const report = current()
    report.tests[0].report.samples.external.pop()
    const result = validateRunReport(report)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.errors).toEqual([
      'tests[0].report.samples.external has 10 entries but samples.iteration has 11; the four sample arrays must have the same length',
    ])
  })

  test('unknown extra properties are allowed (forward compatible within a version)', () => {
    const report = current()
    report.run.ci = { provider: 'github' }
    report.tests[0].report.newField = [1, 2]
    expect(validateRunReport(report).ok).toBe(true)
  })

  // Every required field the schema declares is enforced, with its path: delete each in turn.
  test('every required field in the schema is enforced by the validator', () => {
    const resolve = (s: JsonSchema): JsonSchema => (s.$ref ? schema.$defs![s.$ref.replace('#/$defs/', '')]! : s)
    const paths: { path: (string | number)[]; label: string }[] = []
    const walk = (node: JsonSchema, value: unknown, path: (string | number)[], label: string) => {
      const s = resolve(node)
      if (s.type === 'object' && value && typeof value === 'object') {
        for (const key of s.required ?? []) {
          paths.push({ path: [...path, key], label: label ? `${label}.${key}` : key })
        }
        for (const [key, sub] of Object.entries(s.properties ?? {})) {
          const v = (value as Record<string, unknown>)[key]
          if (v !== undefined) walk(sub, v, [...path, key], label ? `${label}.${key}` : key)
        }
      }
      if (s.type === 'array' && Array.isArray(value) && s.items && value.length) walk(s.items, value[0], [...path, 0], `${label}[0]`)
    }
    const base = current()
    walk(schema, base, [], '')
    expect(paths.length).toBeGreaterThan(60)
    const missed: string[] = []
    for (const { path, label } of paths) {
      const copy = structuredClone(base)
      let target: any = copy
      for (const p of path.slice(0, -1)) target = target[p]
      delete target[path[path.length - 1]!]
      const result = validateRunReport(copy)
      const expected = label === 'schemaVersion' ? 'missing field schemaVersion' : `missing field ${label}`
      if (result.ok || !result.errors.some((e) => e.startsWith(expected))) missed.push(label)
    }
    expect(missed).toEqual([])
  })

  test('the schema file only uses keywords the validator interprets', () => {
    const used = new Set<string>()
    const walk = (v: unknown, parentKey: string) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return
      for (const [k, child] of Object.entries(v)) {
        // Keys of "properties" / "$defs" are names, not keywords.
        if (parentKey !== 'properties' && parentKey !== '$defs') used.add(k)
        if (k === 'enum' || k === 'required' || k === 'const') continue
        walk(child, k)
      }
    }
    walk(schema, '')
    expect([...used].filter((k) => !supportedKeywords.has(k))).toEqual([])
  })

  test('every committed fixture is valid', () => {
    for (const name of ['baseline.json', 'current.json', 'shard-1.json', 'shard-2.json', 'shard-3.json', 'empty.json']) {
      const result = validateRunReport(readJson(join(fixtures, name)))
      expect(result.ok ? [] : result.errors, name).toEqual([])
    }
  })
})

describe('files', () => {
  test('a missing file', () => {
    const r = runCli(['report', 'nope.json'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('leakproof: cannot read nope.json: no such file\n')
  })

  test('a directory given to report', () => {
    const r = runCli(['report', '.'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('leakproof: cannot read .: it is a directory; pass the report JSON file inside it\n')
  })

  test('an output file that cannot be written', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'file'), 'x')
    const r = runCli(['report', join(fixtures, 'empty.json'), '--out', join(dir, 'file', 'out.txt')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^leakproof: cannot write .*out\.txt: /)
  })

  test('a BOM at the start of the file is accepted', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'bom.json'), '\ufeff' + readFileSync(join(fixtures, 'empty.json'), 'utf8'))
    const r = runCli(['report', 'bom.json'], { cwd: dir })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
  })
})
