// The snapshot's string table, kept as the bytes of the file's `strings` section and decoded on
// access. A large snapshot has hundreds of thousands of strings (426k in an 87 MB snapshot),
// mostly the contents of string nodes that an analysis never reads; materialising them all as JS
// strings cost more parse time (allocation, GC) than any other part but the number arrays.

/** Read-only string table. `get(i)` decodes string i (callers memoise what they reuse). */
export interface StringTable {
  readonly length: number
  get(i: number): string
  /** All strings, decoded (tests, small snapshots). */
  toArray(): string[]
}

/** A string table over JSON string bodies (without quotes) stored back to back in `bytes`. */
export class ByteStringTable implements StringTable {
  constructor(
    private readonly bytes: Buffer,
    /** Start offset of string i; offsets[i + 1] is its end. Length count + 1. */
    private readonly offsets: Uint32Array,
    /** Bit 0: contains a JSON escape; bit 1: contains non-ASCII bytes. */
    private readonly flags: Uint8Array,
    readonly length: number,
  ) {}

  get(i: number): string {
    if (!(i >= 0 && i < this.length)) return ''
    const start = this.offsets[i]!
    const end = this.offsets[i + 1]!
    const f = this.flags[i]!
    if (f & 1) return JSON.parse(`"${this.bytes.toString('utf8', start, end)}"`) as string
    return this.bytes.toString(f & 2 ? 'utf8' : 'latin1', start, end)
  }

  toArray(): string[] {
    const out = new Array<string>(this.length)
    for (let i = 0; i < this.length; i++) out[i] = this.get(i)
    return out
  }
}

/** A string table over ordinary JS strings. */
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

/** Collects string bodies while the parser streams the `strings` section. */
export class StringTableBuilder {
  private bytes: Buffer
  private used = 0
  private offsets: Uint32Array
  private flags: Uint8Array
  private count = 0

  /** `expectedBytes`: an upper bound of the section's size if known (avoids regrowing). */
  constructor(expectedBytes = 1 << 16, expectedCount = 1024) {
    this.bytes = Buffer.allocUnsafe(Math.max(16, expectedBytes))
    this.offsets = new Uint32Array(Math.max(16, expectedCount + 1))
    this.flags = new Uint8Array(Math.max(16, expectedCount))
  }

  /** Append the body of one JSON string: buf[start, end) between the quotes. */
  add(buf: Buffer, start: number, end: number, escapes: boolean, ascii: boolean): void {
    const n = end - start
    if (this.used + n > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.used + n, Math.ceil(this.bytes.length * 1.5)))
      this.bytes.copy(grown, 0, 0, this.used)
      this.bytes = grown
    }
    if (this.count + 2 > this.offsets.length) {
      const size = Math.ceil(this.offsets.length * 1.5) + 16
      const offsets = new Uint32Array(size)
      offsets.set(this.offsets)
      this.offsets = offsets
      const flags = new Uint8Array(size)
      flags.set(this.flags)
      this.flags = flags
    }
    buf.copy(this.bytes, this.used, start, end)
    this.offsets[this.count] = this.used
    this.flags[this.count] = (escapes ? 1 : 0) | (ascii ? 0 : 2)
    this.used += n
    this.count++
    this.offsets[this.count] = this.used
  }

  get length(): number {
    return this.count
  }

  build(): StringTable {
    // Views, not copies: a copy would briefly double the section in memory. The spare capacity
    // of the byte buffer is small when it was sized from the remaining file (quotes and commas).
    return new ByteStringTable(this.bytes.subarray(0, this.used), this.offsets.subarray(0, this.count + 1), this.flags.subarray(0, this.count), this.count)
  }
}
