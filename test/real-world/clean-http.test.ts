// HTTP clients and servers in leak-free versions, each request to or from a server on 127.0.0.1
// started outside the subject: no leak at default options. Definitions: suite.ts, workloads.mjs.
import { cleanTests } from './suite.js'

cleanTests('http')
