// The plain-text table and byte formatting are core's, shared with the Vitest and Jest reporters,
// through its engine-free `report` subpath: the CLI never loads the measuring engine.
export {
  formatRecordsTable,
  sanitizeCell,
  formatBytes,
  countedTypes,
  storesLine,
  shownSites,
  siteNote,
  relativePath,
  relativizeReport,
} from '@leakproof/core/report'
export type { RecordsTableOptions } from '@leakproof/core/report'
