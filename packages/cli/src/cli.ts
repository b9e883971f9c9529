// Entry point of the `leakproof` bin.
import { main } from './main.js'

// Writes to a closed pipe (leakproof report … | head) end the process quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
})
process.exitCode = main(process.argv.slice(2))
