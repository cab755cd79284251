// What the benchmark needs besides this checkout: Debian's Flask-Migrate (apt, when missing) and
// kysely-ctl (its own package in bench/tools/kysely-ctl, see the note in its package.json).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { runCommand } from './measure.js'

/** Debian's python, not a pyenv or venv one: the Flask-Migrate measured is Debian's package. */
export const PYTHON = '/usr/bin/python3'

const APT_PACKAGES = ['python3-flask-migrate', 'python3-flask-sqlalchemy', 'python3-psycopg2']

function pythonHasFlaskMigrate(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import flask_migrate, flask_sqlalchemy, psycopg2'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export async function ensureFlaskMigrate(): Promise<void> {
  if (pythonHasFlaskMigrate()) return
  if (process.getuid?.() !== 0) {
    throw new Error(`Flask-Migrate is missing: run \`sudo apt-get install ${APT_PACKAGES.join(' ')}\` and retry`)
  }
  console.log(`installing ${APT_PACKAGES.join(' ')} with apt-get ...`)
  await runCommand({ file: 'apt-get', args: ['update', '-qq'], cwd: '/' })
  await runCommand({ file: 'apt-get', args: ['install', '-y', '-q', ...APT_PACKAGES], cwd: '/', env: { DEBIAN_FRONTEND: 'noninteractive' } })
  if (!pythonHasFlaskMigrate()) throw new Error('apt-get installed Flask-Migrate, but python3 cannot import it')
}

export async function ensureKyselyCtl(toolDir: string): Promise<string> {
  const bin = join(toolDir, 'node_modules', 'kysely-ctl', 'dist', 'bin.mjs')
  if (existsSync(bin)) return bin
  console.log('installing kysely-ctl into bench/tools/kysely-ctl ...')
  const lock = existsSync(join(toolDir, 'package-lock.json'))
  await runCommand({ file: 'npm', args: [lock ? 'ci' : 'install', '--no-audit', '--no-fund'], cwd: toolDir })
  return bin
}

export function versions(kyselyCtlDir: string): Record<string, string> {
  const read = (file: string, args: string[]) => {
    try {
      return execFileSync(file, args, { encoding: 'utf8' }).trim()
    } catch {
      return '?'
    }
  }
  const pkg = (path: string) => read(process.execPath, ['-p', `require(${JSON.stringify(path)}).version`])
  return {
    node: process.version,
    python: read(PYTHON, ['-c', 'import platform; print(platform.python_version())']),
    flaskMigrate: read(PYTHON, ['-c', 'import importlib.metadata as m; print(m.version("Flask-Migrate"))']),
    alembic: read(PYTHON, ['-c', 'import alembic; print(alembic.__version__)']),
    sqlalchemy: read(PYTHON, ['-c', 'import sqlalchemy; print(sqlalchemy.__version__)']),
    kyselyCtl: pkg(join(kyselyCtlDir, 'node_modules', 'kysely-ctl', 'package.json')),
    kyselyCtlKysely: pkg(join(kyselyCtlDir, 'node_modules', 'kysely', 'package.json')),
  }
}
