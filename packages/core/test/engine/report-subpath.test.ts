import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url))

// Which of Node's built-in modules importing `entry` loads (Node's own list of loaded natives).
function builtinsLoadedBy(entry: string): string[] {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
    const before = new Set(process.moduleLoadList)
    await import(${JSON.stringify(entry)})
    console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))))`], { encoding: 'utf8' })
  return JSON.parse(out) as string[]
}

describe('@leakproof/core/report', () => {
  test('formats and reads run reports without loading the engine (no inspector, no V8 or vm module)', async () => {
    const loaded = builtinsLoadedBy(dist('report/index.js'))
    for (const engine of ['NativeModule inspector', 'NativeModule v8', 'NativeModule vm']) expect(loaded).not.toContain(engine)
    const report = await import(dist('report/index.js'))
    expect(report.formatBytes(1536)).toBe('1.5 KB')
    expect(typeof report.formatRecordsTable).toBe('function')
    expect(typeof report.readTestRecords).toBe('function')
  })

  test('negative control: the main entry does load them', () => {
    const loaded = builtinsLoadedBy(dist('index.js'))
    expect(loaded).toContain('NativeModule inspector')
  })
})
