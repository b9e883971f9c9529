// The plain-text table and byte formatting live in @leakproof/core (shared with the Vitest and
// Jest reporters). They are imported from core's source and bundled into this package, so the
// CLI runs with nothing else installed and does not load the measuring engine.
// Once core's index exports `formatRecordsTable`, this can become
// `export { formatRecordsTable, formatBytes } from '@leakproof/core'`.
export { formatRecordsTable, sanitizeCell } from '../../core/src/report/table.js'
export type { RecordsTableOptions } from '../../core/src/report/table.js'
export { formatBytes } from '../../core/src/report/summary.js'
