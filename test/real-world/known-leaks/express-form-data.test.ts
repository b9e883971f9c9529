// Known leak in a published express-form-data version, next to the version that fixed it (npm aliases in
// test/real-world/package.json). Definitions and the upstream reference: ../suite.ts, ../workloads.mjs.
import { knownLeakTests } from '../suite.js'

knownLeakTests('express-form-data')
