// The snapshot's string table, kept as the bytes of the file's `strings` section and decoded on
// access. A large snapshot has hundreds of thousands of strings (426k in an 87 MB snapshot),
// mostly the contents of string nodes that an analysis never reads; materialising them all as JS
// strings costs parse time (allocation, GC) and ~10% more peak memory.

/** Read-only string table. `get(i)` decodes string i (callers memoise what they reuse). */
export interface StringTable {
  readonly length: number
  get(i: number): string
  /** All strings, decoded (tests, small snapshots). */
  toArray(): string[]
}

const ESCAPES = 1
const NON_ASCII = 2

/** A string table over JSON string bodies (without quotes) at [starts[i], ends[i]) of `bytes`. */
export class ByteStringTable implements StringTable {
  constructor(
    private readonly bytes: Buffer,
    private readonly starts: Uint32Array,
    private readonly ends: Uint32Array,
    /** ESCAPES: contains a JSON escape; NON_ASCII: contains bytes >= 0x80 (UTF-8). */
    private readonly flags: Uint8Array,
    readonly length: number,
  ) {}

  get(i: number): string {
    if (!(i >= 0 && i < this.length)) return ''
    const start = this.starts[i]!
    const end = this.ends[i]!
    const f = this.flags[i]!
    if (f & ESCAPES) return JSON.parse(`"${this.bytes.toString('utf8', start, end)}"`) as string
    return this.bytes.toString(f & NON_ASCII ? 'utf8' : 'latin1', start, end)
  }

  toArray(): string[] {
    const out = new Array<string>(this.length)
    for (let i = 0; i < this.length; i++) out[i] = this.get(i)
    return out
  }
}

/** A string table over ordinary JS strings (hand-made snapshots). */
export class ArrayStringTable implements StringTable {
  constructor(private readonly strings: readonly string[]) {}
  get length(): number {
    return this.strings.length
  }
  get(i: number): string {
    return this.strings[i] ?? ''
  }
  toArray(): string[] {
    return [...this.strings]
  }
}

/**
 * Collects the `strings` section while the parser streams it: runs of raw section bytes are
 * appended in bulk (one copy per chunk, separators included) and each string is recorded as a
 * byte range of that store.
 */
export class StringTableBuilder {
  private bytes: Buffer
  private used = 0
  private starts: Uint32Array
  private ends: Uint32Array
  private flags: Uint8Array
  private count = 0

  /** `expectedBytes`: an upper bound of the section's size if known (avoids regrowing). */
  constructor(expectedBytes = 1 << 16, expectedCount = 1024) {
    this.bytes = Buffer.allocUnsafe(Math.max(16, expectedBytes))
    const n = Math.max(16, expectedCount)
    this.starts = new Uint32Array(n)
    this.ends = new Uint32Array(n)
    this.flags = new Uint8Array(n)
  }

  /** Bytes appended so far: ranges given to `record` are offsets into the store. */
  get size(): number {
    return this.used
  }

  get length(): number {
    return this.count
  }

  /** Append raw bytes buf[start, end) to the store. */
  append(buf: Buffer, start: number, end: number): void {
    const n = end - start
    if (n <= 0) return
    if (this.used + n > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.used + n, Math.ceil(this.bytes.length * 1.5)))
      this.bytes.copy(grown, 0, 0, this.used)
      this.bytes = grown
    }
    buf.copy(this.bytes, this.used, start, end)
    this.used += n
  }

  /** Record the next string as store bytes [start, end): its body, between the quotes. */
  record(start: number, end: number, escapes: boolean, ascii: boolean): void {
    if (this.count >= this.starts.length) {
      const size = Math.ceil(this.starts.length * 1.5) + 16
      const grow = <T extends Uint32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(size)
        b.set(a)
        return b
      }
      this.starts = grow(this.starts)
      this.ends = grow(this.ends)
      this.flags = grow(this.flags)
    }
    this.starts[this.count] = start
    this.ends[this.count] = end
    this.flags[this.count] = (escapes ? ESCAPES : 0) | (ascii ? 0 : NON_ASCII)
    this.count++
  }

  build(): StringTable {
    // Views, not copies: a copy would briefly double the section in memory. The spare capacity
    // is small when the store was sized from the rest of the file.
    const n = this.count
    return new ByteStringTable(this.bytes.subarray(0, this.used), this.starts.subarray(0, n), this.ends.subarray(0, n), this.flags.subarray(0, n), n)
  }
}
