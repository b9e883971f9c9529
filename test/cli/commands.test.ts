// Command line surface: help for every command, exit codes, usage errors.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { cliBin, cliDir, cliVersion, ensureBuilt, runCli } from './helpers.js'

beforeAll(() => ensureBuilt())

describe('help', () => {
  test.each([
    [['--help'], /^leakproof [\d.]+: render, merge and compare leakproof run reports\n/],
    [['help'], /^leakproof [\d.]+: render/],
    [['report', '--help'], /^Usage: leakproof report <report\.json> \[options\]\n/],
    [['report', '-h'], /^Usage: leakproof report/],
    [['merge', '--help'], /^Usage: leakproof merge <report\.json\|dir>\.\.\. \[--out merged\.json\]\n/],
    [['compare', '--help'], /^Usage: leakproof compare --baseline <base\.json> <current\.json> \[options\]\n/],
    [['help', 'compare'], /^Usage: leakproof compare/],
  ])('%j prints help and exits 0', (args, first) => {
    const r = runCli(args)
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(first)
  })

  test('every command documents its exit codes', () => {
    expect(runCli(['--help']).stdout).toContain('Exit codes:\n  0  success')
    expect(runCli(['report', '--help']).stdout).toContain('Exit codes: 0 no leaks; 1 leaks found, or inconclusive checks with --inconclusive=error; 2 usage\nor input error.')
    expect(runCli(['merge', '--help']).stdout).toContain('Exit codes: 0 merged; 2 usage or input error')
    expect(runCli(['compare', '--help']).stdout).toContain('Exit codes: 0 no new or grown leaks; 1 new or grown leaks; 2 usage or input error.')
  })

  test('--version', () => {
    expect(runCli(['--version'])).toEqual({ code: 0, stdout: `${cliVersion}\n`, stderr: '' })
  })
})

describe('exit codes', () => {
  test('report: 1 with leaks, 0 without, 0 with --exit-zero', () => {
    expect(runCli(['report', 'current.json']).code).toBe(1)
    expect(runCli(['report', 'empty.json']).code).toBe(0)
    expect(runCli(['report', 'current.json', '--exit-zero']).code).toBe(0)
    // An error verdict alone does not fail: the test run reports it.
    const shard2 = runCli(['report', 'shard-2.json', '--format', 'json'])
    expect(JSON.parse(shard2.stdout).totals.error).toBe(1)
  })

  test.each([
    [[], /^leakproof [\d.]+: render/],
    [['frobnicate'], /^leakproof: unknown command "frobnicate"; use report, merge or compare\nRun `leakproof --help` for usage\.\n$/],
    [['report'], /^leakproof: report: missing the report file\nUsage: leakproof report/],
    [['report', 'a.json', 'b.json'], /^leakproof: report: expected one report file, got 2 \(merge them first with `leakproof merge`\)/],
    [['report', 'current.json', '--format', 'pdf'], /^leakproof: report: unknown --format "pdf"; use one of console, markdown, github, html, json\n/],
    [['report', 'current.json', '--frobnicate'], /^leakproof: report: unknown option '--frobnicate'\nRun `leakproof report --help` for usage\.\n$/],
    [['report', 'current.json', '--out'], /^leakproof: report: Option '-o, --out <value>' argument missing\n/],
    [['merge', 'shard-1.json', '--format', 'html'], /^leakproof: merge: unknown option '--format'/],
  ])('usage error %j exits 2 with a message on stderr', (args, message) => {
    const r = runCli(args)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(message)
  })

  test('stdout closed early (| head) is not an error', () => {
    const r = spawnSync('sh', ['-c', `node ${JSON.stringify(cliBin)} report current.json --format html --exit-zero | head -c 10`], {
      cwd: join(cliDir, '..', '..', 'test', 'cli', 'fixtures'),
      encoding: 'utf8',
    })
    expect(r.stdout).toBe('<!doctype ')
    expect(r.stderr).toBe('')
  })
})

describe('package', () => {
  test('the bin is an ESM file with a shebang, and package.json points at it', () => {
    const pkg = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8'))
    expect(pkg.name).toBe('@leakproof/cli')
    expect(pkg.bin).toEqual({ leakproof: './dist/cli.js' })
    expect(pkg.type).toBe('module')
    expect(readFileSync(cliBin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
  })

  test('the library entry loads as ESM and CommonJS without running the command', async () => {
    const esm = spawnSync(process.execPath, ['--input-type=module', '-e', `import * as m from ${JSON.stringify(join(cliDir, 'dist', 'index.js'))}; console.log(typeof m.mergeReports, typeof m.main, m.supportedSchemaVersion, typeof m.escapeMarkdown)`], { encoding: 'utf8' })
    // The command's functions, not the helpers behind the formats.
    expect(esm.stdout).toBe('function function 2 undefined\n')
    const cjs = spawnSync(process.execPath, ['-e', `const m = require(${JSON.stringify(join(cliDir, 'dist', 'index.cjs'))}); console.log(typeof m.compareReports, typeof m.formatHtml, typeof m.theilSen)`], { encoding: 'utf8' })
    expect(cjs.stdout).toBe('function function undefined\n')
  })
})
