// `@leakproof/core/report`: the run-report schema and its formatting, without the engine (no
// inspector, no GC, no async hooks). What the CLI and the reporters need to read and print reports.
export { formatBytes, formatSummary, countedTypes, storeTypes, storesLine, shownSites, siteNote } from './summary.js'
export {
  projectRoot,
  rootEnv,
  relativePath,
  relativizeText,
  relativizeReport,
  isLeakproofFrame,
  cutOwnFrames,
  cutOwnErrorFrames,
  leakproofDirs,
} from './paths.js'
export { formatRecordsTable, sanitizeCell } from './table.js'
export type { RecordsTableOptions } from './table.js'
export {
  runReportSchemaVersion,
  createRunReport,
  writeRunReport,
  appendTestRecord,
  readTestRecords,
  appendSuiteRecord,
  readSuiteRecords,
  recordsDirEnv,
} from './run-report.js'
export type { RunReport, TestLeakRecord, TestVerdict, SuiteFileRecord } from './run-report.js'
export type * from './types.js'
