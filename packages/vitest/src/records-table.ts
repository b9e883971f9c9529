// The reporter's summary table is core's `formatRecordsTable` (shared with the Jest reporter and
// the CLI). Core's index does not export it yet, so it is taken from core's source and bundled.
// Once it does, this file becomes `export { formatRecordsTable } from '@leakproof/core'`.
export { formatRecordsTable } from '../../core/src/report/table.js'
