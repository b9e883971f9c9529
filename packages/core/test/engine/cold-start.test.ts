import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const root = fileURLToPath(new URL('../../../..', import.meta.url))
const coreEntry = fileURLToPath(new URL('../../dist/index.js', import.meta.url))

// The first check in a fresh process used to screen as growth (the engine's own code and the
// process still warming up) and go to heap snapshots: 15-25x a later check. The survivor screen
// counts only the subject's objects that stay alive, so the first check takes the same path as
// the later ones. Asserted on the path (stages, forced GCs), not on time.
describe('the first check of a process', () => {
  test('a clean subject is cleared by the screen, with no snapshot and one or two forced GCs, first and later', () => {
    const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', `
      const { measureLeak } = await import(${JSON.stringify(coreEntry)})
      class Session { constructor(id) { this.id = id; this.data = { a: 1, b: [1, 2, 3] } } }
      const open = new Map()
      let n = 0
      const rows = []
      for (let i = 0; i < 3; i++) {
        const r = await measureLeak(() => { const s = new Session(n++); open.set(s.id, s); open.delete(s.id) })
        rows.push({ leaked: r.leaked, stages: r.decision.map((d) => d.stage + ':' + d.outcome), forced: r.gc.forced })
      }
      console.log(JSON.stringify(rows))`], { cwd: root, encoding: 'utf8' })
    const rows = JSON.parse(out.trim()) as Array<{ leaked: boolean; stages: string[]; forced: number }>
    for (const row of rows) {
      expect(row.leaked).toBe(false)
      expect(row.stages).not.toContain('confirm:clean')
      expect(row.stages.filter((s) => s.startsWith('confirm'))).toEqual([])
      expect(row.forced).toBeLessThanOrEqual(2)
    }
  })
})
