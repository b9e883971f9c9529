// Streaming `.heapsnapshot` parser.
//
// The file is read in 1 MiB chunks (two reused buffers: the next chunk is read while the current
// one is tokenized) and tokenized byte by byte; the whole text is never held in memory and never
// given to `JSON.parse` (only the small `snapshot` header object and strings with escapes are).
// Node and edge fields go straight into typed-array columns sized from the header's node_count /
// edge_count; the `strings` section is kept as bytes and decoded on access (strings.ts). Peak
// memory is about the columns (~21 bytes per node, ~9 per edge) plus the string bytes: 1.5-1.7×
// the file size for an 87 MB snapshot, process included.
//
// Field positions come from `snapshot.meta` (Node 24 omits `trace_node_id`). Sections the model
// does not use (trace_function_infos, trace_tree, samples, locations, and any unknown key) are
// skipped by bracket matching without materialising anything. Ids are kept in a Float64Array
// (no 2^32 limit); negative or fractional numbers, never written by V8, take a slower path.

import { open } from 'node:fs/promises'
import { HeapSnapshot } from './snapshot.js'
import { StringTableBuilder } from './strings.js'

const CHUNK = 1 << 20

// Byte values. A const enum, so they are inlined as literals: module-level `const`s read in the
// hot loops cost a context load and a TDZ check per byte (measured ~15% of the parse).
const enum Ch {
  TAB = 0x09,
  LF = 0x0a,
  CR = 0x0d,
  SPACE = 0x20,
  QUOTE = 0x22,
  PLUS = 0x2b,
  COMMA = 0x2c,
  MINUS = 0x2d,
  DOT = 0x2e,
  ZERO = 0x30,
  NINE = 0x39,
  COLON = 0x3a,
  UPPER_E = 0x45,
  LBRACKET = 0x5b,
  BACKSLASH = 0x5c,
  RBRACKET = 0x5d,
  LOWER_E = 0x65,
  LBRACE = 0x7b,
  RBRACE = 0x7d,
}

interface Meta {
  node_fields: string[]
  node_types: [string[], ...unknown[]]
  edge_fields: string[]
  edge_types: [string[], ...unknown[]]
}

interface Header {
  meta: Meta
  node_count?: number
  edge_count?: number
}

/** Where a node / edge field goes. */
const enum Col {
  Skip = 0,
  Type = 1,
  Name = 2,
  Id = 3,
  SelfSize = 4,
  EdgeCount = 5,
  ToNode = 6,
}

const enum Mode {
  Start, // before the top-level '{'
  Key, // expecting a key string, ',' or '}'
  Colon, // after a key
  Value, // expecting the value of `key`
  Capture, // copying the raw `snapshot` object
  Numbers, // inside `nodes` / `edges`
  Strings, // inside `strings`
  Skip, // skipping any other value
  Done,
}

export class HeapSnapshotParseError extends Error {
  override name = 'HeapSnapshotParseError'
}

/** Growable typed array helpers: header counts are trusted but not relied upon. */
function grow<T extends Uint8Array | Uint32Array | Float64Array>(a: T, min: number): T {
  const n = Math.max(min, Math.ceil(a.length * 1.5) + 1024)
  const b = new (a.constructor as new (n: number) => T)(n)
  b.set(a)
  return b
}

class Parser {
  constructor(totalBytes = 0) {
    this.totalBytes = totalBytes
  }

  private mode: Mode = Mode.Start
  private key = ''
  private carry: Buffer | null = null
  // Capture / skip state.
  private depth = 0
  private inString = false
  private escaped = false
  private captured: Buffer[] = []
  // Number-array state.
  private numTarget: 'nodes' | 'edges' = 'nodes'
  private cur = 0
  private inNum = false
  private slowNum = '' // the text of a number token on the generic path
  private generic = false // this array had a number the fast paths do not read
  private colCodes = new Int32Array(0)
  private field = 0
  private row = 0
  private cols: Col[] = []
  private fieldCount = 0
  // Results.
  private header: Header | undefined
  private nodeFieldCount = 0
  nodeType = new Uint8Array(0)
  nodeName = new Uint32Array(0)
  nodeId = new Float64Array(0)
  nodeSelfSize = new Float64Array(0)
  nodeEdgeCount = new Uint32Array(0)
  nodeRows = 0
  edgeType = new Uint8Array(0)
  edgeName = new Uint32Array(0)
  edgeTo = new Uint32Array(0)
  edgeRows = 0
  strings: StringTableBuilder | undefined
  /** Bytes of the whole input when known, and bytes fed before the current chunk. */
  private readonly totalBytes: number
  private fedBytes = 0
  sawNodes = false
  sawEdges = false
  sawStrings = false

  feed(chunk: Buffer): void {
    let buf = chunk
    if (this.carry) {
      this.fedBytes -= this.carry.length
      buf = Buffer.concat([this.carry, chunk])
      this.carry = null
    }
    try {
      this.tokenize(buf)
    } finally {
      this.fedBytes += buf.length
    }
  }

  private tokenize(buf: Buffer): void {
    let p = 0
    const len = buf.length
    while (p < len) {
      switch (this.mode) {
        case Mode.Start: {
          p = skipWs(buf, p)
          if (p >= len) return
          if (buf[p] !== Ch.LBRACE) this.fail(`expected '{' at the start, got ${JSON.stringify(String.fromCharCode(buf[p]!))}`)
          p++
          this.mode = Mode.Key
          break
        }
        case Mode.Key: {
          p = skipWs(buf, p)
          if (p >= len) return
          const c = buf[p]!
          if (c === Ch.COMMA) {
            p++
            break
          }
          if (c === Ch.RBRACE) {
            this.mode = Mode.Done
            return
          }
          if (c !== Ch.QUOTE) this.fail(`expected a key, got ${JSON.stringify(String.fromCharCode(c))}`)
          const end = findStringEnd(buf, p + 1)
          if (end < 0) {
            this.carry = Buffer.from(buf.subarray(p))
            return
          }
          this.key = JSON.parse(buf.toString('utf8', p, end + 1)) as string
          p = end + 1
          this.mode = Mode.Colon
          break
        }
        case Mode.Colon: {
          p = skipWs(buf, p)
          if (p >= len) return
          if (buf[p] !== Ch.COLON) this.fail(`expected ':' after "${this.key}"`)
          p++
          this.mode = Mode.Value
          break
        }
        case Mode.Value: {
          p = skipWs(buf, p)
          if (p >= len) return
          if (this.startValue(buf[p]!)) p++ // consumed the '[' of nodes / edges / strings
          break
        }
        case Mode.Capture:
          p = this.capture(buf, p)
          break
        case Mode.Skip:
          p = this.skip(buf, p)
          break
        case Mode.Numbers:
          p = this.numbers(buf, p)
          break
        case Mode.Strings: {
          p = this.stringsSection(buf, p)
          if (p < 0) return // carry set
          break
        }
        case Mode.Done:
          return
      }
    }
  }

  private fail(message: string): never {
    throw new HeapSnapshotParseError(`heap snapshot: ${message}`)
  }

  /** Choose how to read the value of `key`; true when its opening '[' was consumed. */
  private startValue(c: number): boolean {
    const key = this.key
    if (key === 'snapshot') {
      if (c !== Ch.LBRACE) this.fail('"snapshot" is not an object')
      this.mode = Mode.Capture
      this.depth = 0
      this.inString = false
      this.escaped = false
      this.captured = []
      return false
    }
    if (key === 'nodes' || key === 'edges') {
      if (c !== Ch.LBRACKET) this.fail(`"${key}" is not an array`)
      if (!this.header) this.fail(`"${key}" comes before "snapshot"; cannot read its fields`)
      this.beginNumbers(key)
      this.mode = Mode.Numbers
      return true
    }
    if (key === 'strings') {
      if (c !== Ch.LBRACKET) this.fail('"strings" is not an array')
      this.sawStrings = true
      // The section is (almost always) the rest of the file: size the byte store from that.
      const rest = this.totalBytes > this.fedBytes ? this.totalBytes - this.fedBytes : 1 << 16
      this.strings = new StringTableBuilder(rest, Math.ceil(rest / 24))
      this.mode = Mode.Strings
      return true
    }
    this.mode = Mode.Skip
    this.depth = 0
    this.inString = false
    this.escaped = false
    return false
  }

  /** Copy the raw bytes of the `snapshot` object, then JSON.parse that small object. */
  private capture(buf: Buffer, p: number): number {
    const start = p
    const end = this.scanValue(buf, p)
    this.captured.push(Buffer.from(buf.subarray(start, end < 0 ? buf.length : end)))
    if (end < 0) return buf.length
    const text = Buffer.concat(this.captured).toString('utf8')
    this.captured = []
    let header: Header
    try {
      header = JSON.parse(text) as Header
    } catch (err) {
      this.fail(`cannot read the "snapshot" header: ${(err as Error).message}`)
    }
    this.setHeader(header)
    this.mode = Mode.Key
    return end
  }

  private skip(buf: Buffer, p: number): number {
    const end = this.scanValue(buf, p)
    if (end < 0) return buf.length
    this.mode = Mode.Key
    return end
  }

  /**
   * Advance over one JSON value (object, array, string or scalar), tracking depth and strings
   * across chunks. Returns the position after the value, or -1 if it continues in the next chunk.
   */
  private scanValue(buf: Buffer, p: number): number {
    const len = buf.length
    let depth = this.depth
    let inString = this.inString
    let escaped = this.escaped
    for (; p < len; p++) {
      const c = buf[p]!
      if (inString) {
        if (escaped) escaped = false
        else if (c === Ch.BACKSLASH) escaped = true
        else if (c === Ch.QUOTE) {
          inString = false
          if (depth === 0) {
            this.depth = 0
            this.inString = false
            return p + 1
          }
        }
        continue
      }
      if (depth === 0 && (c === Ch.COMMA || c === Ch.RBRACE)) {
        // End of a top-level scalar value.
        this.depth = 0
        return p
      }
      if (c === Ch.QUOTE) inString = true
      else if (c === Ch.LBRACE || c === Ch.LBRACKET) depth++
      else if (c === Ch.RBRACE || c === Ch.RBRACKET) {
        depth--
        if (depth === 0) {
          this.depth = 0
          return p + 1
        }
        if (depth < 0) this.fail(`unbalanced brackets in "${this.key}"`)
      }
    }
    this.depth = depth
    this.inString = inString
    this.escaped = escaped
    return -1
  }

  private setHeader(header: Header): void {
    const meta = header?.meta
    if (!meta || !Array.isArray(meta.node_fields) || !Array.isArray(meta.edge_fields)) {
      this.fail('"snapshot.meta" lacks node_fields / edge_fields')
    }
    if (!Array.isArray(meta.node_types?.[0]) || !Array.isArray(meta.edge_types?.[0])) {
      this.fail('"snapshot.meta" lacks node_types / edge_types')
    }
    for (const f of ['type', 'name', 'id', 'self_size', 'edge_count']) {
      if (!meta.node_fields.includes(f)) this.fail(`"snapshot.meta.node_fields" lacks "${f}"`)
    }
    for (const f of ['type', 'name_or_index', 'to_node']) {
      if (!meta.edge_fields.includes(f)) this.fail(`"snapshot.meta.edge_fields" lacks "${f}"`)
    }
    this.header = header
    this.nodeFieldCount = meta.node_fields.length
    const nodes = Math.max(0, Number(header.node_count) || 0)
    const edges = Math.max(0, Number(header.edge_count) || 0)
    this.nodeType = new Uint8Array(nodes)
    this.nodeName = new Uint32Array(nodes)
    this.nodeId = new Float64Array(nodes)
    this.nodeSelfSize = new Float64Array(nodes)
    this.nodeEdgeCount = new Uint32Array(nodes)
    this.edgeType = new Uint8Array(edges)
    this.edgeName = new Uint32Array(edges)
    this.edgeTo = new Uint32Array(edges)
  }

  get meta(): Meta {
    return this.header!.meta
  }

  private beginNumbers(key: 'nodes' | 'edges'): void {
    const meta = this.meta
    this.numTarget = key
    this.cur = 0
    this.inNum = false
    this.slowNum = ''
    this.generic = false
    this.field = 0
    this.row = 0
    if (key === 'nodes') {
      this.sawNodes = true
      this.cols = meta.node_fields.map((f) =>
        f === 'type' ? Col.Type : f === 'name' ? Col.Name : f === 'id' ? Col.Id : f === 'self_size' ? Col.SelfSize : f === 'edge_count' ? Col.EdgeCount : Col.Skip,
      )
    } else {
      this.sawEdges = true
      this.cols = meta.edge_fields.map((f) => (f === 'type' ? Col.Type : f === 'name_or_index' ? Col.Name : f === 'to_node' ? Col.ToNode : Col.Skip))
    }
    this.fieldCount = this.cols.length
    this.colCodes = Int32Array.from(this.cols)
  }

  /** Comma-separated numbers into the columns; the fast paths handle non-negative integers. */
  private numbers(buf: Buffer, p: number): number {
    if (this.generic) return this.numbersGeneric(buf, p)
    return this.numTarget === 'nodes' ? this.nodeNumbers(buf, p) : this.edgeNumbers(buf, p)
  }

  /** The hot loop for `nodes`, specialised so each column write is monomorphic. */
  private nodeNumbers(buf: Buffer, p: number): number {
    const len = buf.length
    const cols = this.colCodes
    const fc = this.fieldCount
    let cur = this.cur
    let inNum = this.inNum
    let field = this.field
    let row = this.row
    let type = this.nodeType
    let name = this.nodeName
    let id = this.nodeId
    let size = this.nodeSelfSize
    let edges = this.nodeEdgeCount
    let cap = type.length
    for (; p < len; p++) {
      const c = buf[p]!
      const d = c - Ch.ZERO
      if (d >>> 0 < 10) {
        cur = cur * 10 + d
        inNum = true
        continue
      }
      if (c === Ch.COMMA || c === Ch.LF || c === Ch.SPACE || c === Ch.CR || c === Ch.TAB || c === Ch.RBRACKET) {
        if (inNum) {
          if (row >= cap) {
            this.growNodes(row + 1)
            type = this.nodeType
            name = this.nodeName
            id = this.nodeId
            size = this.nodeSelfSize
            edges = this.nodeEdgeCount
            cap = type.length
          }
          switch (cols[field]) {
            case Col.Type:
              type[row] = cur
              break
            case Col.Name:
              name[row] = cur
              break
            case Col.Id:
              id[row] = cur
              break
            case Col.SelfSize:
              size[row] = cur
              break
            case Col.EdgeCount:
              edges[row] = cur
              break
          }
          cur = 0
          inNum = false
          if (++field === fc) {
            field = 0
            row++
          }
        }
        if (c === Ch.RBRACKET) {
          this.field = field
          this.row = row
          this.cur = 0
          this.inNum = false
          this.finishNumbers()
          return p + 1
        }
        continue
      }
      // Anything else ('-', '.', 'e': valid JSON that V8 does not write): slow path from here on.
      this.cur = cur
      this.inNum = inNum
      this.field = field
      this.row = row
      this.generic = true
      return this.numbersGeneric(buf, p)
    }
    this.cur = cur
    this.inNum = inNum
    this.field = field
    this.row = row
    return p
  }

  /** The hot loop for `edges`: `to_node` is stored as a node index (offset / node field count). */
  private edgeNumbers(buf: Buffer, p: number): number {
    const len = buf.length
    const cols = this.colCodes
    const fc = this.fieldCount
    let cur = this.cur
    let inNum = this.inNum
    let field = this.field
    let row = this.row
    let type = this.edgeType
    let name = this.edgeName
    let to = this.edgeTo
    let cap = type.length
    for (; p < len; p++) {
      const c = buf[p]!
      const d = c - Ch.ZERO
      if (d >>> 0 < 10) {
        cur = cur * 10 + d
        inNum = true
        continue
      }
      if (c === Ch.COMMA || c === Ch.LF || c === Ch.SPACE || c === Ch.CR || c === Ch.TAB || c === Ch.RBRACKET) {
        if (inNum) {
          if (row >= cap) {
            this.growEdges(row + 1)
            type = this.edgeType
            name = this.edgeName
            to = this.edgeTo
            cap = type.length
          }
          switch (cols[field]) {
            case Col.Type:
              type[row] = cur
              break
            case Col.Name:
              name[row] = cur
              break
            case Col.ToNode:
              to[row] = cur // an offset into nodes; divided by the node field count in finish()
              break
          }
          cur = 0
          inNum = false
          if (++field === fc) {
            field = 0
            row++
          }
        }
        if (c === Ch.RBRACKET) {
          this.field = field
          this.row = row
          this.cur = 0
          this.inNum = false
          this.finishNumbers()
          return p + 1
        }
        continue
      }
      this.cur = cur
      this.inNum = inNum
      this.field = field
      this.row = row
      this.generic = true
      return this.numbersGeneric(buf, p)
    }
    this.cur = cur
    this.inNum = inNum
    this.field = field
    this.row = row
    return p
  }

  /** Any JSON numbers: each token's text is collected and read with Number(). */
  private numbersGeneric(buf: Buffer, p: number): number {
    const len = buf.length
    let tok = this.slowNum
    if (this.inNum) {
      tok = String(this.cur) + tok
      this.cur = 0
      this.inNum = false
    }
    for (; p < len; p++) {
      const c = buf[p]!
      if (c === Ch.COMMA || c === Ch.LF || c === Ch.SPACE || c === Ch.CR || c === Ch.TAB || c === Ch.RBRACKET) {
        if (tok !== '') {
          const v = Number(tok)
          if (!Number.isFinite(v)) this.fail(`bad number ${JSON.stringify(tok)} in "${this.numTarget}"`)
          this.emit(v)
          tok = ''
        }
        if (c === Ch.RBRACKET) {
          this.slowNum = ''
          this.generic = false
          this.finishNumbers()
          return p + 1
        }
        continue
      }
      if ((c >= Ch.ZERO && c <= Ch.NINE) || c === Ch.MINUS || c === Ch.DOT || c === Ch.LOWER_E || c === Ch.UPPER_E || c === Ch.PLUS) {
        tok += String.fromCharCode(c)
        continue
      }
      this.fail(`unexpected ${JSON.stringify(String.fromCharCode(c))} in "${this.numTarget}"`)
    }
    this.slowNum = tok
    return p
  }

  private emit(v: number): void {
    const col = this.cols[this.field]!
    const row = this.row
    if (this.numTarget === 'nodes') {
      if (row >= this.nodeType.length) this.growNodes(row + 1)
      switch (col) {
        case Col.Type:
          this.nodeType[row] = v
          break
        case Col.Name:
          this.nodeName[row] = v
          break
        case Col.Id:
          this.nodeId[row] = v
          break
        case Col.SelfSize:
          this.nodeSelfSize[row] = v
          break
        case Col.EdgeCount:
          this.nodeEdgeCount[row] = v
          break
      }
    } else {
      if (row >= this.edgeType.length) this.growEdges(row + 1)
      switch (col) {
        case Col.Type:
          this.edgeType[row] = v
          break
        case Col.Name:
          this.edgeName[row] = v
          break
        case Col.ToNode:
          this.edgeTo[row] = v
          break
      }
    }
    if (++this.field === this.fieldCount) {
      this.field = 0
      this.row = row + 1
    }
  }

  private growNodes(min: number): void {
    this.nodeType = grow(this.nodeType, min)
    this.nodeName = grow(this.nodeName, min)
    this.nodeId = grow(this.nodeId, min)
    this.nodeSelfSize = grow(this.nodeSelfSize, min)
    this.nodeEdgeCount = grow(this.nodeEdgeCount, min)
  }

  private growEdges(min: number): void {
    this.edgeType = grow(this.edgeType, min)
    this.edgeName = grow(this.edgeName, min)
    this.edgeTo = grow(this.edgeTo, min)
  }

  private finishNumbers(): void {
    if (this.field !== 0) this.fail(`"${this.numTarget}" length is not a multiple of its ${this.fieldCount} fields`)
    if (this.numTarget === 'nodes') this.nodeRows = this.row
    else this.edgeRows = this.row
    this.mode = Mode.Key
  }

  /**
   * `strings`: an array of JSON strings. The bytes from `p` up to the end of the last complete
   * string are appended to the string store in one copy; each string is recorded as a range of
   * it. Returns -1 when a string continues in the next chunk (it is carried over).
   */
  private stringsSection(buf: Buffer, p: number): number {
    const len = buf.length
    const out = this.strings!
    const base = p // buf[base] is store byte `origin`
    const origin = out.size
    let copied = p // end of the last complete string (or separator run)
    while (p < len) {
      const c = buf[p]!
      if (c === Ch.QUOTE) {
        // Find the closing quote; note whether escapes or non-ASCII bytes occur.
        let q = p + 1
        let escapes = false
        let ascii = true
        for (; q < len; q++) {
          const d = buf[q]!
          if (d === Ch.QUOTE) break
          if (d === Ch.BACKSLASH) {
            escapes = true
            q++
          } else if (d >= 0x80) ascii = false
        }
        if (q >= len) {
          out.append(buf, base, copied)
          this.carry = Buffer.from(buf.subarray(p))
          return -1
        }
        out.record(origin + (p + 1 - base), origin + (q - base), escapes, ascii)
        p = q + 1
        copied = p
        continue
      }
      if (c === Ch.COMMA || c === Ch.LF || c === Ch.SPACE || c === Ch.CR || c === Ch.TAB) {
        p++
        continue
      }
      if (c === Ch.RBRACKET) {
        out.append(buf, base, copied)
        this.mode = Mode.Key
        return p + 1
      }
      this.fail(`unexpected ${JSON.stringify(String.fromCharCode(c))} in "strings"`)
    }
    out.append(buf, base, copied)
    return p
  }

  finish(): HeapSnapshot {
    if (this.mode !== Mode.Done) this.fail('file ended early (truncated snapshot?)')
    if (!this.header) this.fail('no "snapshot" header')
    if (!this.sawNodes || !this.sawEdges || !this.sawStrings) this.fail('missing "nodes", "edges" or "strings"')
    const n = this.nodeRows
    const m = this.edgeRows
    const meta = this.meta
    const firstEdge = new Uint32Array(n + 1)
    let sum = 0
    const ec = this.nodeEdgeCount
    for (let i = 0; i < n; i++) {
      firstEdge[i] = sum
      sum += ec[i]!
    }
    firstEdge[n] = sum
    if (sum !== m) this.fail(`nodes declare ${sum} edges but "edges" has ${m}`)
    const strings = this.strings!.build()
    this.strings = undefined
    const nodeName = this.nodeName.length === n ? this.nodeName : this.nodeName.slice(0, n)
    const edgeTo = this.edgeTo.length === m ? this.edgeTo : this.edgeTo.slice(0, m)
    for (let i = 0; i < n; i++) if (nodeName[i]! >= strings.length) this.fail(`node ${i} names string ${nodeName[i]} of ${strings.length}`)
    // `to_node` is an offset into the nodes array: node index × node field count.
    const nfc = this.nodeFieldCount
    for (let e = 0; e < m; e++) {
      const offset = edgeTo[e]!
      const to = offset / nfc
      if (to >= n || offset % nfc !== 0) this.fail(`edge ${e} points to node offset ${offset} (${n} nodes of ${nfc} fields)`)
      edgeTo[e] = to
    }
    this.nodeEdgeCount = new Uint32Array(0)
    return new HeapSnapshot({
      nodeTypes: meta.node_types[0].map(String),
      edgeTypes: meta.edge_types[0].map(String),
      strings,
      nodeType: this.nodeType.length === n ? this.nodeType : this.nodeType.slice(0, n),
      nodeName,
      nodeId: this.nodeId.length === n ? this.nodeId : this.nodeId.slice(0, n),
      nodeSelfSize: this.nodeSelfSize.length === n ? this.nodeSelfSize : this.nodeSelfSize.slice(0, n),
      firstEdge,
      edgeType: this.edgeType.length === m ? this.edgeType : this.edgeType.slice(0, m),
      edgeNameOrIndex: this.edgeName.length === m ? this.edgeName : this.edgeName.slice(0, m),
      edgeTo,
    })
  }
}

function skipWs(buf: Buffer, p: number): number {
  const len = buf.length
  while (p < len) {
    const c = buf[p]!
    if (c !== Ch.SPACE && c !== Ch.LF && c !== Ch.CR && c !== Ch.TAB) break
    p++
  }
  return p
}

/** Index of the closing quote of a string whose contents start at p, or -1. */
function findStringEnd(buf: Buffer, p: number): number {
  const len = buf.length
  for (; p < len; p++) {
    const c = buf[p]!
    if (c === Ch.BACKSLASH) p++
    else if (c === Ch.QUOTE) return p
  }
  return -1
}

// A tiny snapshot, fed a few bytes at a time once per process before the first real parse. The
// hot loops otherwise get optimised (on-stack replacement) before they ever reach their
// end-of-chunk exits; with no type feedback there, V8 deoptimises at every chunk boundary and
// reuses the same optimised code, which made parsing ~2x slower.
const WARMUP =
  '{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count","trace_node_id","detachedness"],' +
  '"node_types":[["hidden","synthetic"],"string","number","number","number","number","number"],' +
  '"edge_fields":["type","name_or_index","to_node"],"edge_types":[["element","property"],"string_or_number","node"]},' +
  '"node_count":2,"edge_count":2},\n"nodes":[1,0,1,0,2,0,0\n,0,1,3,16,0,0,0],\n"edges":[0,1,7\n,1,1,7],\n' +
  '"trace_function_infos":[],"trace_tree":[],"samples":[],"locations":[],"strings":["","a\\u0062"]}'
let warmedUp = false

function warmUp(): void {
  if (warmedUp) return
  warmedUp = true
  const text = Buffer.from(WARMUP)
  for (let round = 0; round < 3; round++) {
    for (const step of [3, 5, 7, 11]) {
      const parser = new Parser(text.length)
      for (let p = 0; p < text.length; p += step) parser.feed(text.subarray(p, p + step))
      parser.finish()
    }
  }
}

/**
 * Parse a `.heapsnapshot` file by streaming it. Never loads the whole text; rejects with a
 * HeapSnapshotParseError on malformed input.
 */
export async function parseHeapSnapshot(path: string, options: { chunkSize?: number } = {}): Promise<HeapSnapshot> {
  warmUp()
  const file = await open(path, 'r')
  let pending: Promise<{ bytesRead: number; buffer: Buffer }> | undefined
  try {
    const size = (await file.stat()).size
    const parser = new Parser(size)
    // Two reused buffers: the next chunk is read while this one is tokenized (the parser copies
    // what it keeps), and no 1 MiB Buffer per chunk is left for the GC.
    const chunk = Math.max(1, Math.floor(options.chunkSize ?? CHUNK))
    const buffers = [Buffer.allocUnsafe(chunk), Buffer.allocUnsafe(chunk)]
    let k = 0
    pending = file.read(buffers[0]!, 0, chunk, null)
    for (;;) {
      const { bytesRead, buffer } = await pending
      if (bytesRead === 0) break
      k ^= 1
      pending = file.read(buffers[k]!, 0, chunk, null)
      parser.feed(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead))
    }
    pending = undefined
    return parser.finish()
  } finally {
    // A read still in flight (the parser threw) must finish before the file is closed.
    await pending?.catch(() => undefined)
    await file.close()
  }
}

/**
 * Parse snapshot text already in memory (tests, small inputs) with the same tokenizer, fed in
 * slices of `chunkSize` bytes (default 1 MiB).
 */
export function parseHeapSnapshotBuffer(data: Buffer | string, chunkSize = CHUNK): HeapSnapshot {
  const buf = typeof data === 'string' ? Buffer.from(data) : data
  const step = Math.max(1, Math.floor(chunkSize))
  warmUp()
  const parser = new Parser(buf.length)
  for (let p = 0; p < buf.length; p += step) parser.feed(buf.subarray(p, Math.min(buf.length, p + step)))
  return parser.finish()
}
