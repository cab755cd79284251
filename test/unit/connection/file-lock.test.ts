import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { acquireFileLock } from '../../../src/connection/file-lock.js'
import { LockError } from '../../../src/errors.js'

let dir: string
let lockPath: string
const children: ChildProcess[] = []
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsdb-lock-'))
  lockPath = join(dir, 'db.lock')
})
afterEach(async () => {
  for (const child of children.splice(0)) child.kill()
  await rm(dir, { recursive: true, force: true })
})

const options = { resource: 'the embedded database /x', timeoutMs: 300, pollMs: 20 }

/** Another process holding the lock, as a second tsdb run would; it lets go when it exits or is killed. */
async function holdInChild(path: string, holdMs: number, releaseOnExit = true): Promise<ChildProcess> {
  const script = `
    const fs = require('node:fs'), os = require('node:os')
    fs.writeFileSync(${JSON.stringify(path)}, JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'child' }), { flag: 'wx' })
    console.log('locked')
    setTimeout(() => { ${releaseOnExit ? `fs.unlinkSync(${JSON.stringify(path)});` : ''} process.exit(0) }, ${holdMs})
  `
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  await new Promise<void>((done) => child.stdout?.once('data', () => done()))
  return child
}

describe('acquireFileLock', () => {
  it('creates the lock file with our pid and removes it on release', async () => {
    const lock = await acquireFileLock(lockPath, options)
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() })
    await lock.release()
    await expect(stat(lockPath)).rejects.toThrow(/ENOENT/)
    await lock.release()
  })

  it('a second acquisition in the same process fails at once', async () => {
    const lock = await acquireFileLock(lockPath, options)
    const start = Date.now()
    await expect(acquireFileLock(lockPath, { ...options, timeoutMs: 5000 })).rejects.toThrow(
      `the embedded database /x is already open in this process (lock file ${lockPath})`,
    )
    expect(Date.now() - start).toBeLessThan(1000)
    await lock.release()
  })

  it('a live holder in another process makes us wait, then fail naming its pid', async () => {
    const child = await holdInChild(lockPath, 10_000)
    const start = Date.now()
    const error = await acquireFileLock(lockPath, { ...options, timeoutMs: 1000, hint: 'set X to wait longer' }).catch((e: unknown) => e)
    const waited = Date.now() - start
    expect(error).toBeInstanceOf(LockError)
    expect((error as LockError).message).toBe(
      `the embedded database /x is in use by process ${child.pid}; wait for it to finish or stop it (waited 1 s; set X to wait longer). Lock file: ${lockPath}`,
    )
    expect((error as LockError).code).toBe('LOCK_TIMEOUT')
    expect(waited).toBeGreaterThanOrEqual(950)
    expect(waited).toBeLessThan(3000)
  })

  it('waits for a live holder that finishes, then takes the lock', async () => {
    await holdInChild(lockPath, 400)
    const start = Date.now()
    const lock = await acquireFileLock(lockPath, { ...options, timeoutMs: 5000 })
    expect(Date.now() - start).toBeGreaterThanOrEqual(200)
    expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(process.pid)
    await lock.release()
  })

  it('takes over a lock left by a process that died without releasing it', async () => {
    const child = await holdInChild(lockPath, 50, false)
    await new Promise((done) => child.once('exit', done))
    expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(child.pid)
    const lock = await acquireFileLock(lockPath, { ...options, timeoutMs: 0 })
    expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(process.pid)
    await lock.release()
  })

  it('a lock from another host is never stolen', async () => {
    await writeFile(lockPath, JSON.stringify({ pid: 999_999_999, host: 'elsewhere', token: 't' }))
    await expect(acquireFileLock(lockPath, { ...options, timeoutMs: 100 })).rejects.toThrow(/is in use by process 999999999;/)
  })

  it('an unreadable lock file is waited for while fresh and taken over once old', async () => {
    await writeFile(lockPath, '')
    await expect(acquireFileLock(lockPath, { ...options, timeoutMs: 100 })).rejects.toThrow(/is in use by another process;/)
    const old = new Date(Date.now() - 60_000)
    await utimes(lockPath, old, old)
    const lock = await acquireFileLock(lockPath, { ...options, timeoutMs: 0 })
    await lock.release()
  })

  it('a timeout of 0 fails at once', async () => {
    await holdInChild(lockPath, 10_000)
    await expect(acquireFileLock(lockPath, { ...options, timeoutMs: 0 })).rejects.toThrow(/wait for it to finish or stop it\. Lock file/)
  })
})
