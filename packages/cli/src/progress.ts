// A progress line on stderr for long operations. On a terminal it is one line rewritten in place;
// in CI logs (not a TTY) it prints a start line and a done line, nothing per file.
import { formatBytes } from './core.js'

export interface ProgressOptions {
  /** true: always show; false: never; undefined: show when the work looks long. */
  enabled?: boolean
  stream?: NodeJS.WriteStream
}

/** Work at or above these is "long" and gets a progress line by default. */
export const longWork = { files: 5, bytes: 16 * 1024 * 1024 }

export class Progress {
  private done = 0
  private doneBytes = 0
  private readonly started = Date.now()
  private readonly show: boolean
  private readonly tty: boolean
  private readonly stream: NodeJS.WriteStream

  constructor(
    /** e.g. `reading` (start line) and `read` (done line). */
    private readonly verbs: [string, string],
    /** Singular and plural, e.g. `['report', 'reports']`. */
    private readonly nouns: [string, string],
    private readonly total: number,
    private readonly totalBytes: number,
    opts: ProgressOptions = {},
  ) {
    this.stream = opts.stream ?? process.stderr
    this.tty = this.stream.isTTY === true
    this.show = opts.enabled ?? (total >= longWork.files || totalBytes >= longWork.bytes)
    if (this.show && !this.tty) {
      this.stream.write(`leakproof: ${this.verbs[0]} ${this.total} ${this.noun(this.total)} (${formatBytes(this.totalBytes)})…\n`)
    }
    this.paint()
  }

  /** One unit of work finished. */
  tick(bytes: number): void {
    this.done++
    this.doneBytes += bytes
    this.paint()
  }

  /** All done: clear the live line / print the summary line. */
  finish(detail = ''): void {
    if (!this.show) return
    const secs = ((Date.now() - this.started) / 1000).toFixed(1)
    const line = `leakproof: ${this.verbs[1]} ${this.done} ${this.noun(this.done)} (${formatBytes(this.doneBytes)}) in ${secs}s${detail ? `, ${detail}` : ''}`
    if (this.tty) this.stream.write(`\r\u001b[2K${line}\n`)
    else this.stream.write(line + '\n')
  }

  private noun(n: number): string {
    return n === 1 ? this.nouns[0] : this.nouns[1]
  }

  private paint(): void {
    if (!this.show || !this.tty) return
    this.stream.write(
      `\r\u001b[2Kleakproof: ${this.verbs[0]} ${this.nouns[1]} ${this.done}/${this.total} (${formatBytes(this.doneBytes)} of ${formatBytes(this.totalBytes)})`,
    )
  }
}
