import { afterAll, describe, expect, test } from 'vitest'
import v8 from 'node:v8'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { HeapSnapshotParseError, parseHeapSnapshot, parseHeapSnapshotBuffer } from '../../src/heap/parser.js'
import type { HeapSnapshot } from '../../src/heap/snapshot.js'
import { tempDir } from './helpers.js'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

interface RawSnapshot {
  snapshot: { meta: { node_fields: string[]; edge_fields: string[]; node_types: [string[]]; edge_types: [string[]] } }
  nodes: number[]
  edges: number[]
  strings: string[]
}

/** Compare every node, edge and string of a parse with JSON.parse of the same text. */
function expectSameAsJson(s: HeapSnapshot, raw: RawSnapshot): void {
  const nf = raw.snapshot.meta.node_fields
  const ef = raw.snapshot.meta.edge_fields
  const at = (f: string) => nf.indexOf(f)
  expect(s.nodeCount).toBe(raw.nodes.length / nf.length)
  expect(s.edgeCount).toBe(raw.edges.length / ef.length)
  expect(s.strings).toEqual(raw.strings)
  expect(s.stringTable.length).toBe(raw.strings.length)
  expect(s.nodeTypes).toEqual(raw.snapshot.meta.node_types[0])
  let edge = 0
  const mismatches: string[] = []
  for (let i = 0; i < s.nodeCount && mismatches.length < 5; i++) {
    const b = i * nf.length
    const ec = raw.nodes[b + at('edge_count')]!
    if (s.nodeType[i] !== raw.nodes[b + at('type')]) mismatches.push(`type of ${i}`)
    if (s.nodeNameOf(i) !== raw.strings[raw.nodes[b + at('name')]!]) mismatches.push(`name of ${i}`)
    if (s.nodeIdOf(i) !== raw.nodes[b + at('id')]) mismatches.push(`id of ${i}`)
    if (s.selfSize(i) !== raw.nodes[b + at('self_size')]) mismatches.push(`size of ${i}`)
    if (s.edgeCountOf(i) !== ec || s.firstEdge[i] !== edge) mismatches.push(`edges of ${i}`)
    for (let k = 0; k < ec; k++, edge++) {
      const e = edge * ef.length
      if (s.edgeType[edge] !== raw.edges[e + ef.indexOf('type')]) mismatches.push(`edge type ${edge}`)
      if (s.edgeNameOrIndex[edge] !== raw.edges[e + ef.indexOf('name_or_index')]) mismatches.push(`edge name ${edge}`)
      if (s.edgeToNode(edge) * nf.length !== raw.edges[e + ef.indexOf('to_node')]) mismatches.push(`edge target ${edge}`)
    }
  }
  expect(mismatches).toEqual([])
}

describe('parseHeapSnapshot', () => {
  test('matches JSON.parse on a real snapshot of this process', async () => {
    const marker = { leakproofParserMarker: 'marker-é-✓-\u0001-"quoted"\n' }
    const file = v8.writeHeapSnapshot(join(tmp.dir, 'real.heapsnapshot'))
    const raw = JSON.parse(readFileSync(file, 'utf8')) as RawSnapshot
    const s = await parseHeapSnapshot(file)
    expectSameAsJson(s, raw)
    // Small reads exercise every token split across chunk boundaries.
    const small = await parseHeapSnapshot(file, { chunkSize: 4093 })
    expect(small.strings).toEqual(raw.strings)
    expect(Array.from(small.edgeTo)).toEqual(Array.from(s.edgeTo))
    expect(Array.from(small.nodeId)).toEqual(Array.from(s.nodeId))
    // Some node names and ids: the root, the GC roots, and the marker string.
    expect(s.nodeNameOf(0)).toBe('')
    expect(s.nodeTypeName(0)).toBe('synthetic')
    expect(s.nodeIdOf(0)).toBe(raw.nodes[raw.snapshot.meta.node_fields.indexOf('id')])
    expect(s.nodeNameOf(1)).toBe('(GC roots)')
    expect(s.strings).toContain(marker.leakproofParserMarker)
    const markerNode = s.strings.indexOf(marker.leakproofParserMarker)
    expect(Array.from(s.nodeName).includes(markerNode)).toBe(true)
  })

  test('edge names: elements are indexes, properties strings; retainers invert edges', async () => {
    const holder = { leakproofHolderProperty: [{ a: 1 }] }
    const file = v8.writeHeapSnapshot(join(tmp.dir, 'edges.heapsnapshot'))
    const s = await parseHeapSnapshot(file)
    const element = s.edgeTypeIndex('element')
    const property = s.edgeTypeIndex('property')
    let sawElement = false
    let sawProperty = false
    for (let e = 0; e < s.edgeCount && !(sawElement && sawProperty); e++) {
      if (s.edgeType[e] === element) {
        expect(s.edgeName(e)).toMatch(/^\[\d+\]$/)
        sawElement = true
      }
      if (s.edgeType[e] === property && s.edgeName(e) === 'leakproofHolderProperty') {
        expect(s.nodeNameOf(s.edgeToNode(e))).toBe('Array')
        sawProperty = true
        const r = s.retainers()
        const target = s.edgeToNode(e)
        const back: number[] = []
        for (let k = r.firstRetainer[target]!; k < r.firstRetainer[target + 1]!; k++) back.push(r.retainerEdge[k]!)
        expect(back).toContain(e)
      }
    }
    expect(sawElement && sawProperty).toBe(true)
    expect(holder.leakproofHolderProperty.length).toBe(1)
    let total = 0
    const r = s.retainers()
    for (let i = 0; i < s.nodeCount; i++) total += r.firstRetainer[i + 1]! - r.firstRetainer[i]!
    expect(total).toBe(s.edgeCount)
  })

  test('reads field positions from meta (Node 24 omits trace_node_id), escapes, 1-byte chunks', () => {
    const text = JSON.stringify({
      snapshot: {
        meta: {
          node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'detachedness'],
          node_types: [['hidden', 'array', 'string', 'object', 'synthetic'], 'string', 'number', 'number', 'number', 'number'],
          edge_fields: ['type', 'name_or_index', 'to_node'],
          edge_types: [['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'], 'string_or_number', 'node'],
        },
        node_count: 3,
        edge_count: 2,
        extra: { nested: ['[', ']', '{'] },
      },
      nodes: [4, 0, 1, 0, 2, 0, 3, 1, 4294967297, 56, 0, 0, 2, 2, 5, 32, 0, 0],
      edges: [1, 0, 6, 2, 3, 12],
      trace_function_infos: [],
      trace_tree: [[1, [2, 3]]],
      samples: [],
      locations: [],
      strings: ['', 'Thing', 'a "quoted" \\ string ✓ é \u0000 \ud83d\ude00', 'prop'],
      unknown_future_key: { a: [1, 2, { b: '}' }] },
    })
    for (const chunk of [1, 2, 7, 64, 1 << 20]) {
      const s = parseHeapSnapshotBuffer(text, chunk)
      expect(s.nodeCount).toBe(3)
      expect(s.edgeCount).toBe(2)
      expect(s.nodeIdOf(1)).toBe(4294967297) // ids above 2^32 survive (Float64Array)
      expect(s.nodeNameOf(1)).toBe('Thing')
      expect(s.nodeTypeName(1)).toBe('object')
      expect(s.nodeNameOf(2)).toBe('a "quoted" \\ string ✓ é \u0000 \ud83d\ude00')
      expect(s.edgeName(0)).toBe('[0]')
      expect(s.edgeToNode(0)).toBe(1)
      expect(s.edgeName(1)).toBe('prop')
      expect(s.edgeToNode(1)).toBe(2)
      expect(s.firstEdge[1]).toBe(2)
    }
  })

  test('general JSON numbers and whitespace are accepted', () => {
    const text = `{ "snapshot" : {"meta":{"node_fields":["type","name","id","self_size","edge_count"],
      "node_types":[["synthetic","object"]],"edge_fields":["type","name_or_index","to_node"],
      "edge_types":[["element"]]},"node_count":2,"edge_count":1} ,
      "nodes" : [ 0 , 0 , 1 , 0 , 1 ,
                  1 , 1 , 3.0 , 1e2 , 0 ] , "edges":[0,0,5], "strings":["", "X"] }`
    const s = parseHeapSnapshotBuffer(text, 3)
    expect(s.nodeIdOf(1)).toBe(3)
    expect(s.selfSize(1)).toBe(100)
    expect(s.edgeToNode(0)).toBe(1)
  })

  test('malformed input is rejected with a HeapSnapshotParseError', async () => {
    const file = v8.writeHeapSnapshot(join(tmp.dir, 'trunc.heapsnapshot'))
    const text = readFileSync(file)
    const truncated = join(tmp.dir, 'truncated.heapsnapshot')
    writeFileSync(truncated, text.subarray(0, Math.floor(text.length / 2)))
    await expect(parseHeapSnapshot(truncated)).rejects.toBeInstanceOf(HeapSnapshotParseError)
    expect(() => parseHeapSnapshotBuffer('[1,2]')).toThrow(HeapSnapshotParseError)
    expect(() => parseHeapSnapshotBuffer('{"nodes":[1]}')).toThrow(/before "snapshot"/)
    const bad = text.toString('utf8').replace('"edges":[', '"edges":[x')
    expect(() => parseHeapSnapshotBuffer(bad)).toThrow(HeapSnapshotParseError)
    await expect(parseHeapSnapshot(join(tmp.dir, 'missing.heapsnapshot'))).rejects.toThrow(/ENOENT/)
  })
})
