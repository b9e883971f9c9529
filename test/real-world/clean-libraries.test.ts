// Loggers, validators, caches, renderers, builders and utilities in leak-free versions, one
// realistic operation per call: no leak at default options. Definitions: suite.ts, workloads.mjs.
import { cleanTests } from './suite.js'

cleanTests('library')
