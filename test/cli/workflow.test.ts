// The GitHub Actions workflow in packages/cli/README.md, run locally: the `leakproof` commands
// are read from the README's workflow and executed as written on fixture shard reports laid out
// the way actions/download-artifact lays them out, with GITHUB_STEP_SUMMARY pointed at a file.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { cleanEnv, cliBin, cliDir, ensureBuilt, fixtures, readJson, tempDir } from './helpers.js'

beforeAll(() => ensureBuilt())

/** `run:` commands of the README's workflow that call leakproof, in order. */
function workflowCommands(): string[] {
  const readme = readFileSync(join(cliDir, 'README.md'), 'utf8')
  const yaml = /```yaml\n([\s\S]*?)```/.exec(readme)![1]!
  return yaml
    .split('\n')
    .map((l) => /^\s*run: (npx leakproof .*)$/.exec(l)?.[1])
    .filter((c): c is string => c !== undefined)
}

const expected = [
  'npx leakproof merge leakproof-shards --out leakproof-merged.json',
  'npx leakproof compare --baseline baseline/leakproof-merged.json leakproof-merged.json --allow-missing-baseline --format markdown',
  'npx leakproof report leakproof-merged.json --format markdown --out leakproof-report.md --exit-zero',
  'npx leakproof report leakproof-merged.json --format github --exit-zero',
  'npx leakproof report leakproof-merged.json --format html --out leakproof-report.html --exit-zero',
]

/** A leaks-job workspace: the downloaded shard artifacts and (optionally) the main baseline. */
function workspace(baseline: string | undefined): { dir: string; summary: string } {
  const dir = tempDir('leakproof-workflow-')
  for (const i of [1, 2, 3]) {
    mkdirSync(join(dir, 'leakproof-shards', `leakproof-shard-${i}`), { recursive: true })
    cpSync(join(fixtures, `shard-${i}.json`), join(dir, 'leakproof-shards', `leakproof-shard-${i}`, 'leakproof-report.json'))
  }
  if (baseline) {
    mkdirSync(join(dir, 'baseline'))
    cpSync(baseline, join(dir, 'baseline', 'leakproof-merged.json'))
  }
  return { dir, summary: join(dir, 'step-summary.md') }
}

function step(command: string, ws: { dir: string; summary: string }) {
  const local = command.replace(/^npx leakproof /, `${JSON.stringify(process.execPath)} ${JSON.stringify(cliBin)} `)
  const r = spawnSync('sh', ['-c', local], {
    cwd: ws.dir,
    encoding: 'utf8',
    env: cleanEnv({ GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: ws.summary }),
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('the README workflow, run locally', () => {
  test('the README runs exactly these leakproof commands', () => {
    expect(workflowCommands()).toEqual(expected)
  })

  test('pull request with new leaks: merge → compare fails → summary and annotations are written', () => {
    const ws = workspace(join(fixtures, 'baseline.json'))
    const [merge, compare, markdown, github, html] = workflowCommands().map((c) => step(c, ws))

    expect(merge!.code).toBe(0)
    const merged = readJson<{ tests: unknown[]; run: { shards: { shard: string }[] } }>(join(ws.dir, 'leakproof-merged.json'))
    expect(merged.tests).toHaveLength(11)
    expect(merged.run.shards.map((s) => s.shard)).toEqual(['1/3', '2/3', '3/3'])

    expect(compare!.code).toBe(1) // the gate: 2 new leaks and 1 grown
    expect(compare!.stdout).toMatch(/^## leakproof compare: ❌ FAIL: 2 new leaks, 1 grown leak\n/)

    expect(markdown!.code).toBe(0)
    expect(readFileSync(join(ws.dir, 'leakproof-report.md'), 'utf8')).toMatch(/^## leakproof: ❌ 4 memory leaks\n/)

    // The step summary holds the comparison, then the full report.
    const summary = readFileSync(ws.summary, 'utf8')
    expect(summary.indexOf('## leakproof compare: ❌ FAIL')).toBe(0)
    expect(summary).toContain('\n## leakproof: ❌ 4 memory leaks\n')
    expect(summary).toContain('### New leaks (fail the check)\n')
    expect(summary).toContain('### ❌ sessions > login handler keeps no session\n')

    expect(github!.code).toBe(0)
    expect(github!.stdout.match(/^::error file=[^,]+,line=\d+,title=Memory leak::/gm)).toHaveLength(4)
    expect(github!.stdout).toMatch(/^::notice title=leakproof::leakproof: 11 tests: 4 leaks/m)

    expect(html!.code).toBe(0)
    expect(readFileSync(join(ws.dir, 'leakproof-report.html'), 'utf8')).toMatch(/^<!doctype html>/)
  })

  test('pull request without new leaks: compare passes', () => {
    // Main's report is this very run: everything leaking is known.
    const ws = workspace(undefined)
    const commands = workflowCommands()
    expect(step(commands[0]!, ws).code).toBe(0)
    mkdirSync(join(ws.dir, 'baseline'))
    cpSync(join(ws.dir, 'leakproof-merged.json'), join(ws.dir, 'baseline', 'leakproof-merged.json'))
    const compare = step(commands[1]!, ws)
    expect(compare.code).toBe(0)
    expect(compare.stdout).toMatch(/^## leakproof compare: ✅ OK: no new leaks \(4 known leaks unchanged\)/)
  })

  test('first pull request, no baseline artifact yet: every leak is new, with a warning', () => {
    const ws = workspace(undefined)
    const commands = workflowCommands()
    expect(step(commands[0]!, ws).code).toBe(0)
    expect(existsSync(join(ws.dir, 'baseline'))).toBe(false)
    const compare = step(commands[1]!, ws)
    expect(compare.code).toBe(1)
    expect(compare.stderr).toContain('::warning title=leakproof::baseline baseline/leakproof-merged.json does not exist')
    expect(compare.stdout).toContain('4 new leaks')
    rmSync(ws.dir, { recursive: true, force: true })
  })
})
