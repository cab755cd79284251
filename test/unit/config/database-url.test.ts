import { describe, expect, it } from 'vitest'
import { parseDatabaseUrl } from '../../../src/config/database-url.js'
import { ConfigError } from '../../../src/errors.js'

describe('parseDatabaseUrl', () => {
  it('accepts postgres:// and postgresql:// and keeps the URL, redacted for display', () => {
    expect(parseDatabaseUrl('postgres://app:s3cret@db.local:5433/shop', '/p')).toEqual({
      kind: 'postgres',
      url: 'postgres://app:s3cret@db.local:5433/shop',
      redacted: 'postgres://app:***@db.local:5433/shop',
    })
    expect(parseDatabaseUrl(' postgresql://localhost/shop ', '/p')).toEqual({
      kind: 'postgres',
      url: 'postgresql://localhost/shop',
      redacted: 'postgresql://localhost/shop',
    })
  })

  it('makes a pglite folder absolute against cwd', () => {
    expect(parseDatabaseUrl('pglite:.tsdb/pglite', '/proj')).toEqual({
      kind: 'pglite',
      dataDir: '/proj/.tsdb/pglite',
      redacted: 'pglite:/proj/.tsdb/pglite',
    })
    expect(parseDatabaseUrl('pglite:/var/db', '/proj')).toMatchObject({ dataDir: '/var/db' })
    expect(parseDatabaseUrl('pglite:../shared/db', '/proj/app')).toMatchObject({ dataDir: '/proj/shared/db' })
  })

  it('reads pglite:memory as an in-memory database', () => {
    expect(parseDatabaseUrl('pglite:memory', '/proj')).toEqual({ kind: 'pglite', dataDir: null, redacted: 'pglite:memory' })
  })

  it('rejects other schemes, listing the accepted forms without echoing a password', () => {
    const error = catchError(() => parseDatabaseUrl('mysql://root:hunter2@localhost/app', '/p'))
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toBe(
      "unsupported database URL 'mysql://root:***@localhost/app' (expected postgres://user:password@host:5432/database, postgresql://…, pglite:<folder> or pglite:memory)",
    )
    expect(error.message).not.toContain('hunter2')
  })

  it('rejects an empty pglite folder and a malformed postgres URL', () => {
    expect(() => parseDatabaseUrl('pglite:', '/p')).toThrow(/pglite:<folder>/)
    expect(() => parseDatabaseUrl('sqlite:app.db', '/p')).toThrow(ConfigError)
    const error = catchError(() => parseDatabaseUrl('postgres://u:pw@[bad/db', '/p'))
    expect(error.message).toBe(
      "invalid database URL 'postgres://…': it does not parse; percent-encode special characters in the user name and password: # as %23, / as %2F, ? as %3F, @ as %40, % as %25",
    )
  })
})

function catchError(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected an error')
}
