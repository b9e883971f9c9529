// Known leak in a published node-fetch version, next to the version that fixed it (npm aliases in
// test/real-world/package.json). Definitions and the upstream reference: ../suite.ts, ../workloads.mjs.
import { knownLeakTests } from '../suite.js'

knownLeakTests('node-fetch')
