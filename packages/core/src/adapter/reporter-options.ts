// The reporters' options, the same in Vitest and Jest, checked the same way.
import { LeakproofUsageError } from '../errors.js'

export interface LeakReporterOptions {
  /**
   * Where to write the JSON run report, relative to the project root (Jest: its rootDir).
   * Default `leakproof-report.json`; `false` writes none.
   */
  outputFile?: string | false
  /**
   * Print the summary table: `'auto'` (the default: when a leak check ran), `'always'` or
   * `'never'`; `true` is `'auto'`, `false` is `'never'`.
   */
  table?: 'auto' | 'always' | 'never' | boolean
  /** Colours in the table. Default: when the output is a terminal (NO_COLOR and FORCE_COLOR respected). */
  color?: boolean
}

const known = ['outputFile', 'table', 'color']
const tables = ['auto', 'always', 'never']

/** A reporter's options, checked, with what they decide at the end of a run. */
export class ReporterSettings {
  private constructor(
    readonly outputFile: string | false,
    readonly table: 'auto' | 'always' | 'never',
    readonly color: boolean | undefined,
  ) {}

  /** Check a reporter's options; `where` names the reporter in the messages. */
  static from(where: string, options: unknown): ReporterSettings {
    const given: unknown = options ?? {}
    if (typeof given !== 'object' || given === null || Array.isArray(given)) {
      throw new LeakproofUsageError(`${where} options must be an object like { outputFile: "leakproof-report.json" }`)
    }
    for (const key of Object.keys(given)) {
      if (!known.includes(key)) throw new LeakproofUsageError(`${where}: unknown option "${key}". Known options: ${known.join(', ')}`)
    }
    const { outputFile = 'leakproof-report.json', table = 'auto', color } = given as Record<string, unknown>
    if (outputFile !== false && (typeof outputFile !== 'string' || outputFile === '')) {
      throw new LeakproofUsageError(`${where}: "outputFile" must be a file path or false`)
    }
    if (typeof table !== 'boolean' && !tables.includes(table as string)) {
      throw new LeakproofUsageError(`${where}: "table" must be 'auto', 'always', 'never', true or false`)
    }
    if (color !== undefined && typeof color !== 'boolean') throw new LeakproofUsageError(`${where}: "color" must be true or false`)
    const shown = table === true ? 'auto' : table === false ? 'never' : (table as ReporterSettings['table'])
    return new ReporterSettings(outputFile, shown, color)
  }

  /** Whether the table shows, for a run with this many records. */
  showTable(records: number): boolean {
    return this.table === 'always' || (this.table === 'auto' && records > 0)
  }

  /** Colours for output to `stream`, unless the options said: NO_COLOR, FORCE_COLOR, else a terminal. */
  colorFor(stream: { isTTY?: boolean }): boolean {
    if (this.color !== undefined) return this.color
    if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false
    if (process.env.FORCE_COLOR !== undefined) return process.env.FORCE_COLOR !== '0'
    return stream.isTTY === true
  }
}
