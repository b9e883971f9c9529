#!/usr/bin/env node
// Prepares one real open-source suite for run.mjs: extracts its pinned commit, trims its
// package.json to what its tests need, installs from the npm registry, installs the leakproof
// packages from tarballs of this repository's built dist (no rebuild), and writes a separate
// per-test-mode config file next to the suite's own config.
//
//   node bench/real-suites/setup.mjs <suite> [--git-dir <bare git dir>] [--dir <work dir>]
//
// Getting the source: GitHub is not reachable from the benchmark machine, only the npm registry.
// The repositories were fetched as bare git snapshots by the workplace's fetch tool
// (/work/.mirror/<owner>+<name>/repo); pass that as --git-dir and the pinned commit is extracted
// with `git archive <commit> | tar -x`. Anywhere with GitHub access, a `git clone` of the
// repository does as well (--git-dir <clone>/.git). Without --git-dir, <work dir> must already
// hold the extracted tree (a .real-suites-commit file written by an earlier setup is checked).
//
// Defaults: work dir /tmp/real-suites/<suite>, tarballs in /tmp/real-suites/tarballs (packed with
// `npm pack` in packages/{core,vitest,jest} when missing; `npm pack` does not build).
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { suites } from './suites.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const repoRoot = resolve(here, '../..')
const args = process.argv.slice(2)
const name = args[0]
const opt = (flag, dflt) => {
  const i = args.indexOf(flag)
  return i === -1 ? dflt : args[i + 1]
}
const suite = suites[name]
if (!suite) {
  console.error(`usage: setup.mjs <${Object.keys(suites).join('|')}> [--git-dir DIR] [--dir DIR]`)
  process.exit(2)
}
const dir = resolve(opt('--dir', `/tmp/real-suites/${name}`))
const tarballs = resolve(opt('--tarballs', '/tmp/real-suites/tarballs'))
const gitDir = opt('--git-dir')
const sh = (cmd, cmdArgs, cwd = dir, input) => {
  console.log(`$ (${cwd}) ${cmd} ${cmdArgs.join(' ')}`)
  return execFileSync(cmd, cmdArgs, { cwd, stdio: input ? ['pipe', 'inherit', 'inherit'] : 'inherit', input })
}
const marker = join(dir, '.real-suites-commit')

// 1. Source at the pinned commit.
if (gitDir) {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const tar = execFileSync('git', ['--git-dir', gitDir, 'archive', suite.commit], { maxBuffer: 1 << 30 })
  sh('tar', ['-x', '-C', dir], dir, tar)
  writeFileSync(marker, `${suite.repo} ${suite.commit}\n`)
} else if (!existsSync(marker) || !readFileSync(marker, 'utf8').includes(suite.commit)) {
  console.error(`${dir} does not hold ${suite.repo}@${suite.commit}: pass --git-dir`)
  process.exit(2)
}

// 2. Trimmed package.json (the original is kept as package.json.orig).
const pkgPath = join(dir, 'package.json')
if (!existsSync(`${pkgPath}.orig`)) copyFileSync(pkgPath, `${pkgPath}.orig`)
const pkg = JSON.parse(readFileSync(`${pkgPath}.orig`, 'utf8'))
delete pkg.scripts?.prepare
delete pkg.scripts?.postinstall
delete pkg.packageManager
delete pkg.resolutions
if (Array.isArray(suite.trim.devDependencies)) {
  pkg.devDependencies = Object.fromEntries(
    suite.trim.devDependencies.map((d) => [d, pkg.devDependencies[d]]),
  )
} else {
  pkg.devDependencies = suite.trim.devDependencies
  if (suite.trim.dependencies) pkg.dependencies = suite.trim.dependencies
}
writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`)

// 3. Install from the npm registry, pinned by their lockfile or by ours.
if (!suite.keepLock) {
  rmSync(join(dir, 'package-lock.json'), { force: true })
  if (suite.savedLock && existsSync(join(here, suite.savedLock))) {
    copyFileSync(join(here, suite.savedLock), join(dir, 'package-lock.json'))
  }
}
sh('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'])
if (!suite.keepLock && suite.savedLock && !existsSync(join(here, suite.savedLock))) {
  mkdirSync(dirname(join(here, suite.savedLock)), { recursive: true })
  copyFileSync(join(dir, 'package-lock.json'), join(here, suite.savedLock))
  console.log(`saved the resolved lockfile as bench/real-suites/${suite.savedLock}`)
}

// 4. The leakproof packages, from tarballs of the built dist.
mkdirSync(tarballs, { recursive: true })
for (const p of ['core', 'vitest', 'jest']) {
  if (!readdirSync(tarballs).some((f) => f.startsWith(`leakproof-${p}-`))) {
    sh('npm', ['pack', '--pack-destination', tarballs], join(repoRoot, 'packages', p))
  }
}
const wanted = ['core', suite.framework]
const tgz = readdirSync(tarballs).filter((f) => wanted.some((p) => f.startsWith(`leakproof-${p}-`)))
sh('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', ...tgz.map((f) => join(tarballs, f))])

// 5. The per-test config, next to theirs.
writeFileSync(join(dir, suite.leakConfig.file), suite.leakConfig.text())
console.log(`\n${name} ready in ${dir}: node bench/real-suites/run.mjs ${name}`)
