// Validation of run reports against schema/run-report.schema.json. The schema file is the single
// source of truth: this is a small interpreter for the subset of JSON Schema it uses ($ref, type,
// const, enum, required, properties, items, minimum), with error messages that name the field path
// (`tests[3].report.samples.heapUsed[2]`). Unknown properties are allowed (newer writers may add
// optional fields within a schema version).
import type { RunReport, TestLeakRecord } from '@leakproof/core'
import schemaJson from '../schema/run-report.schema.json' with { type: 'json' }
import pkg from '../package.json' with { type: 'json' }

export const schema = schemaJson as unknown as JsonSchema

/** Schema version of the run reports this CLI writes (merge), and the newest it reads. */
export const supportedSchemaVersion: RunReport['schemaVersion'] = 2

/**
 * Schema versions this CLI reads: 1, and 2 (verdict `inconclusive`, a report's `verdict` and
 * `inconclusive`, decision stage `timeout`). A version-1 report is a version-2 report without them.
 */
export const readableSchemaVersions: readonly number[] = [1, 2]

const versionsText = 'schema versions 1 and 2'

export const cliVersion: string = pkg.version

/** One input of a merged report (`run.shards`, written by `leakproof merge`). */
export interface ShardSource {
  source: string
  shard?: string
  createdAt: string
  tests: number
}

/** A run report as the CLI reads it: core's RunReport plus the optional fields merge writes. */
export type Report = Omit<RunReport, 'run' | 'schemaVersion'> & {
  /** 1: written before verdict `inconclusive` existed; 2: the current version. */
  schemaVersion: 1 | RunReport['schemaVersion']
  run: RunReport['run'] & { shards?: ShardSource[] }
}
export type { TestLeakRecord }

/** The keywords the interpreter understands; a test keeps the schema file inside this set. */
export const supportedKeywords = new Set([
  '$schema', '$id', '$defs', '$ref', 'title', 'description',
  'type', 'const', 'enum', 'required', 'properties', 'items', 'minimum',
])

export interface JsonSchema {
  $ref?: string
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null'
  const?: unknown
  enum?: unknown[]
  required?: string[]
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  minimum?: number
  description?: string
  $defs?: Record<string, JsonSchema>
}

/** Short description of a JSON value for messages: `the string "abc"`, `an array`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') {
    const s = value.length > 40 ? value.slice(0, 40) + '…' : value
    return `the string ${JSON.stringify(s)}`
  }
  return `${typeof value} ${String(value)}`
}

const typeNames: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'null',
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value)
    case 'array':
      return Array.isArray(value)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
    case 'null':
      return value === null
    default:
      return typeof value === type
  }
}

function resolve(s: JsonSchema): JsonSchema {
  if (!s.$ref) return s
  const name = s.$ref.replace(/^#\/\$defs\//, '')
  const def = schema.$defs?.[name]
  if (!def) throw new Error(`run-report schema: unknown $ref ${s.$ref}`)
  return def
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key)
const fmt = (v: unknown) => JSON.stringify(v)

/** Check `value` against a schema node, pushing `path: problem` messages. Stops after `limit`. */
function check(value: unknown, node: JsonSchema, path: string, errors: string[], limit: number): void {
  if (errors.length >= limit) return
  const s = resolve(node)
  const where = path || 'the report'
  if ('const' in s && value !== s.const) {
    errors.push(`${where} must be ${fmt(s.const)}, got ${describeValue(value)}`)
    return
  }
  if (s.enum && !s.enum.includes(value)) {
    errors.push(`${where} must be one of ${s.enum.map(fmt).join(', ')}, got ${describeValue(value)}`)
    return
  }
  if (s.type && !hasType(value, s.type)) {
    errors.push(`${where} must be ${typeNames[s.type]}, got ${describeValue(value)}`)
    return
  }
  if (s.minimum !== undefined && typeof value === 'number' && value < s.minimum) {
    errors.push(`${where} must be at least ${s.minimum}, got ${value}`)
  }
  if (s.type === 'object' && value && typeof value === 'object') {
    const obj = value as Record<string, unknown>
    for (const key of s.required ?? []) {
      if (!(key in obj) || obj[key] === undefined) {
        const expected = resolve(s.properties?.[key] ?? {})
        const what = expected.type ? ` (${typeNames[expected.type]})` : ''
        errors.push(`missing field ${join(path, key)}${what}`)
        if (errors.length >= limit) return
      }
    }
    for (const [key, sub] of Object.entries(s.properties ?? {})) {
      if (key in obj && obj[key] !== undefined) check(obj[key], sub, join(path, key), errors, limit)
    }
  }
  if (s.type === 'array' && Array.isArray(value) && s.items) {
    for (let i = 0; i < value.length && errors.length < limit; i++) check(value[i], s.items, `${path}[${i}]`, errors, limit)
  }
}

/** Checks the schema cannot express. */
function checkConsistency(report: Report, errors: string[], limit: number): void {
  report.tests.forEach((t, i) => {
    if (report.schemaVersion === 1 && t.verdict === 'inconclusive' && errors.length < limit) {
      errors.push(`tests[${i}].verdict is "inconclusive", which schema version 1 does not have; a report with it says schemaVersion 2`)
    }
    const s = t.report?.samples
    if (!s || errors.length >= limit) return
    const n = s.iteration.length
    for (const key of ['heapUsed', 'external', 'arrayBuffers'] as const) {
      if (s[key].length !== n) {
        errors.push(`tests[${i}].report.samples.${key} has ${s[key].length} entries but samples.iteration has ${n}; the four sample arrays must have the same length`)
      }
    }
  })
}

export type ValidationResult = { ok: true; report: Report } | { ok: false; errors: string[]; versionMismatch?: boolean }

const notAReport =
  'this is not a leakproof run report. Point the CLI at the JSON file written by the leakproof Vitest or Jest reporter (or by `leakproof merge`)'

/**
 * Validate a parsed run report. Checks the schema version first (and explains which side to
 * upgrade), then every field, reporting up to `limit` problems with their paths.
 */
export function validateRunReport(value: unknown, limit = 20): ValidationResult {
  if (!hasType(value, 'object')) return { ok: false, errors: [`${notAReport}: expected a JSON object, got ${describeValue(value)}`] }
  const obj = value as Record<string, unknown>
  if (!('schemaVersion' in obj) && obj.tool !== 'leakproof') {
    return { ok: false, errors: [`${notAReport}: it has no "schemaVersion" and no "tool": "leakproof" field`] }
  }
  const v = obj.schemaVersion
  if (v === undefined) return { ok: false, errors: [`missing field schemaVersion (this CLI reads ${versionsText})`] }
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    return { ok: false, errors: [`schemaVersion must be a whole number, got ${describeValue(v)}`] }
  }
  if (!readableSchemaVersions.includes(v)) {
    const action =
      v > supportedSchemaVersion
        ? `The report was written by a newer leakproof reporter: upgrade the CLI to the same release as ` +
          `@leakproof/vitest / @leakproof/jest (npm install -D @leakproof/cli@latest), or pin the reporter to a release that writes version ${supportedSchemaVersion} or older.`
        : `The report was written by an older leakproof reporter: re-run the tests with the current reporter ` +
          `to regenerate it, or read it with the older @leakproof/cli release that matches it.`
    return {
      ok: false,
      versionMismatch: true,
      errors: [`report schema version ${v} is not supported: this CLI (@leakproof/cli ${cliVersion}) reads ${versionsText}. ${action}`],
    }
  }
  const errors: string[] = []
  check(value, schema, '', errors, limit)
  if (errors.length === 0) checkConsistency(value as Report, errors, limit)
  return errors.length ? { ok: false, errors } : { ok: true, report: value as Report }
}
