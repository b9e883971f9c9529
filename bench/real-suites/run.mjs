#!/usr/bin/env node
// Times a prepared suite (setup.mjs) plain and in leakproof per-test mode, and summarises the
// per-test run report.
//
//   node bench/real-suites/run.mjs <suite> [--dir DIR] [--plain 2] [--per-test 1]
//        [--detect-leaks-timeout 900] [--no-detect-leaks]
//
// Order: plain, per-test, plain, per-test, ... (alternating, plain first and last), then, for a
// Jest suite, `jest --detectLeaks` once (capped by --detect-leaks-timeout seconds).
// Every run records its wall time and the 1-minute load average at start and end (the machine is
// shared: read the times against the load). Output: a table on stdout and
// /tmp/real-suites/results/<suite>-<time>.json (runs + per-test report summary); each per-test
// run's leakproof JSON report is /tmp/real-suites/results/<suite>-<time>-pertest<N>.json.
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { suites } from './suites.mjs'

const args = process.argv.slice(2)
const name = args[0]
const opt = (flag, dflt) => {
  const i = args.indexOf(flag)
  return i === -1 ? dflt : args[i + 1]
}
const suite = suites[name]
if (!suite) {
  console.error(`usage: run.mjs <${Object.keys(suites).join('|')}> [options]`)
  process.exit(2)
}
const dir = resolve(opt('--dir', `/tmp/real-suites/${name}`))
const nPlain = Number(opt('--plain', 2))
const nPerTest = Number(opt('--per-test', 1))
const detectTimeout = Number(opt('--detect-leaks-timeout', 900))
const resultsDir = '/tmp/real-suites/results'
mkdirSync(resultsDir, { recursive: true })
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const base = `${resultsDir}/${name}-${stamp}`

function run(kind, cmd, extraEnv = {}, timeoutS = 0) {
  return new Promise((done) => {
    const load0 = loadavg()[0]
    const t0 = performance.now()
    const child = spawn('nice', ['-n', '10', ...cmd], {
      cwd: dir,
      env: { ...process.env, CI: '', FORCE_COLOR: '0', NO_COLOR: '1', ...extraEnv },
      detached: true,
    })
    let out = ''
    // Streamed to disk as it comes: a long per-test run can be followed (tail -f) and survives a kill.
    const logFile = `${base}-${kind}-${runs.length}.log`
    const log = createWriteStream(logFile)
    console.log(`${kind}: ${cmd.join(' ')}  (log: ${logFile})`)
    child.stdout.on('data', (d) => ((out += d), log.write(d)))
    child.stderr.on('data', (d) => ((out += d), log.write(d)))
    let timedOut = false
    const timer =
      timeoutS > 0
        ? setTimeout(() => {
            timedOut = true
            try {
              process.kill(-child.pid, 'SIGKILL') // its own process group: jest and its workers
            } catch {}
          }, timeoutS * 1000)
        : undefined
    child.on('close', (code) => {
      clearTimeout(timer)
      const r = {
        kind,
        cmd: cmd.join(' '),
        exitCode: code,
        timedOut,
        wallS: (performance.now() - t0) / 1000,
        load1Start: load0,
        load1End: loadavg()[0],
        ...counts(out),
      }
      log.end()
      r.log = logFile
      Object.defineProperty(r, 'out', { value: out }) // not in the results JSON
      console.log(
        `${kind.padEnd(12)} ${r.wallS.toFixed(1).padStart(7)} s  load ${r.load1Start.toFixed(2)} -> ${r.load1End.toFixed(2)}  exit ${code}${timedOut ? ' (TIMED OUT, killed)' : ''}  tests: ${r.passed ?? '?'} passed, ${r.failed ?? 0} failed, ${r.skipped ?? 0} skipped`,
      )
      done(r)
    })
  })
}

// Test counts from the framework's summary line.
function counts(out) {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '')
  const v = plain.match(/^\s*Tests\s+(.*)$/m) // vitest: "Tests  3 failed | 864 passed | 2 skipped (869)"
  const j = plain.match(/^Tests:\s+(.*)$/m) // jest:   "Tests:       2 failed, 1 skipped, 800 passed, 803 total"
  const line = j?.[1] ?? v?.[1]
  if (!line) return {}
  const n = (w) => Number(line.match(new RegExp(`(\\d+) ${w}`))?.[1] ?? 0)
  const s = plain.match(/^Test Suites:\s+(.*)$/m)?.[1] ?? plain.match(/^\s*Test Files\s+(.*)$/m)?.[1]
  return { passed: n('passed'), failed: n('failed'), skipped: n('skipped') + n('todo'), summary: line, files: s }
}

function summariseReport(file) {
  if (!existsSync(file)) return { missing: file }
  const rep = JSON.parse(readFileSync(file, 'utf8'))
  const tests = rep.tests ?? []
  const by = {}
  for (const t of tests) by[t.verdict] = (by[t.verdict] ?? 0) + 1
  const notable = tests
    .filter((t) => t.verdict !== 'clean')
    .map((t) => ({
      file: t.file,
      name: t.name,
      verdict: t.verdict,
      source: t.source,
      bytesPerCall: t.report?.bytesPerIteration,
      top: t.report?.retainedTypes?.[0] && `${t.report.retainedTypes[0].name} ${t.report.retainedTypes[0].bytesPerIteration?.toFixed(1)} B/call`,
      path: t.report?.retainerPaths?.[0]?.text,
      site: t.report?.allocationSites?.[0] && `${t.report.allocationSites[0].functionName} (${t.report.allocationSites[0].file}:${t.report.allocationSites[0].line})`,
      decision: t.report?.decision?.map((d) => `${d.stage}/${d.outcome}: ${d.note}`),
      error: t.error,
    }))
  return { records: tests.length, verdicts: by, notable }
}

const runs = []
const order = []
for (let i = 0; i < Math.max(nPlain, nPerTest); i++) {
  if (i < nPlain) order.push('plain')
  if (i < nPerTest) order.push('per-test')
}
for (const kind of order) {
  if (kind === 'plain') runs.push(await run('plain', suite.plainCmd))
  else {
    const out = `${base}-pertest${runs.filter((r) => r.kind === 'per-test').length + 1}.json`
    const r = await run('per-test', suite.perTestCmd, { LEAKPROOF_BENCH_OUT: out })
    r.report = out
    r.reportSummary = summariseReport(out)
    runs.push(r)
  }
}
if (suite.detectLeaksCmd && !args.includes('--no-detect-leaks')) {
  const r = await run('detectLeaks', suite.detectLeaksCmd, {}, detectTimeout)
  r.leakingFiles = [...r.out.matchAll(/^\s*FAIL\s+(\S+)[\s\S]*?(?=^\s*(?:PASS|FAIL)\s|$(?![\s\S]))/gm)]
    .filter((m) => m[0].includes('Your test suite is leaking memory'))
    .map((m) => m[1])
  r.timeoutS = detectTimeout
  runs.push(r)
}

const plain = runs.filter((r) => r.kind === 'plain')
const per = runs.filter((r) => r.kind === 'per-test')
const mean = (a) => a.reduce((s, x) => s + x, 0) / a.length
const plainS = mean(plain.map((r) => r.wallS))
const perS = mean(per.map((r) => r.wallS))
console.log(`\n${name} (${suite.repo}@${suite.commit.slice(0, 10)}, ${suite.framework})`)
console.log(`tests (plain run): ${plain[0]?.summary}`)
console.log(`plain: ${plain.map((r) => r.wallS.toFixed(1)).join(', ')} s  (mean ${plainS.toFixed(1)})`)
console.log(`per-test: ${per.map((r) => r.wallS.toFixed(1)).join(', ')} s  -> ratio ${(perS / plainS).toFixed(1)}x`)
for (const r of per) {
  const v = r.reportSummary.verdicts ?? {}
  console.log(
    `per-test run: ${r.summary}; report records ${r.reportSummary.records}; verdicts ${JSON.stringify(v)}`,
  )
  for (const t of r.reportSummary.notable ?? []) {
    console.log(`  [${t.verdict}] ${t.file} > ${t.name}${t.top ? `  top: ${t.top}` : ''}${t.path ? `  path: ${t.path}` : ''}${t.error ? `  error: ${t.error.split('\n')[0]}` : ''}`)
  }
}
const dl = runs.find((r) => r.kind === 'detectLeaks')
if (dl) {
  console.log(
    `jest --detectLeaks: ${dl.wallS.toFixed(1)} s${dl.timedOut ? ` (killed at the ${dl.timeoutS} s cap)` : ''}, exit ${dl.exitCode}; ${dl.summary ?? ''}; files flagged "leaking memory": ${dl.leakingFiles.length} ${JSON.stringify(dl.leakingFiles)}`,
  )
}
writeFileSync(`${base}.json`, `${JSON.stringify({ suite: name, repo: suite.repo, commit: suite.commit, runs }, null, 2)}\n`)
console.log(`\nresults: ${base}.json`)
