/** Exit codes of the `leakproof` command. */
export const exitCodes = {
  /** Nothing to report: no leaks (report), no new or grown leaks (compare), merge written. */
  ok: 0,
  /** Leaks found (report) or new / grown leaks compared to the baseline (compare). */
  leaks: 1,
  /** Bad command line, unreadable or invalid input file, output not writable. */
  usage: 2,
  /** A bug in leakproof itself. */
  internal: 3,
} as const

/** An error the user can fix (bad arguments, bad input). Printed as `leakproof: <message>`, exit 2. */
export class CliError extends Error {
  override name = 'CliError'
  constructor(
    message: string,
    /** Extra lines printed after the message, e.g. a pointer to --help. */
    readonly hint?: string,
  ) {
    super(message)
  }
}

/** A problem with one input file: its path is prefixed to the message. */
export class InputError extends CliError {
  override name = 'InputError'
  constructor(
    readonly file: string,
    readonly reason: string,
    hint?: string,
  ) {
    super(`cannot read ${file}: ${reason}`, hint)
  }
}
