// Core's source files, for the tests that read them (layers, real clock).
import { readdirSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src')

/** Files under src/, as posix paths relative to it. */
export function sourceFiles(dir = src): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [relative(src, path).split(sep).join('/')] : []
  })
}
