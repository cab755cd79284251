import { describe, expect, it } from 'vitest'
import { buildConnectionError, type ConnectionErrorContext } from '../../../src/connection/connection-error.js'
import { ConnectionError } from '../../../src/errors.js'

const ctx: ConnectionErrorContext = {
  url: 'postgres://app:pa55word@db.example:6543/shop',
  redactedUrl: 'postgres://app:***@db.example:6543/shop',
  urlSource: 'env',
  connectTimeoutMs: 10_000,
  hasTimedOut: false,
}

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code })

describe('buildConnectionError', () => {
  it('unreachable host names the redacted URL, host and port', () => {
    const error = buildConnectionError(pgError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:6543'), ctx)
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.message).toBe(
      "Can't connect to postgres://app:***@db.example:6543/shop: connection refused (ECONNREFUSED). " +
        'Is PostgreSQL running and accepting TCP connections on db.example:6543? Check the database URL (from DATABASE_URL).',
    )
    expect(error.url).toBe(ctx.redactedUrl)
    expect(error.code).toBe('CONNECTION_UNREACHABLE')
  })

  it('reads the code of an AggregateError (every address refused) and of a cause', () => {
    const aggregate = new AggregateError([pgError('ECONNREFUSED', 'a'), pgError('ECONNREFUSED', 'b')], '')
    expect(buildConnectionError(aggregate, ctx).code).toBe('CONNECTION_UNREACHABLE')
    const wrapped = new Error('outer', { cause: pgError('ENOTFOUND', 'getaddrinfo ENOTFOUND db.example') })
    expect(buildConnectionError(wrapped, ctx).message).toMatch(/: host not found \(ENOTFOUND\)\. /)
  })

  it('a timeout says how long it waited and how to wait longer', () => {
    const error = buildConnectionError(new Error('timeout exceeded when trying to connect'), { ...ctx, connectTimeoutMs: 1500, hasTimedOut: true })
    expect(error.message).toBe(
      "Can't connect to postgres://app:***@db.example:6543/shop: no answer within 1500 ms. Is PostgreSQL running on db.example:6543? " +
        'Set TSDB_CONNECT_TIMEOUT (milliseconds) to wait longer. Check the database URL (from DATABASE_URL).',
    )
    expect(error.code).toBe('CONNECTION_TIMEOUT')
  })

  it('an error that speaks of a timeout, before the timeout, is not called one', () => {
    const refused = pgError('22023', 'invalid value for parameter "statement_timeout": "abc"')
    expect(buildConnectionError(refused, { ...ctx, hasTimedOut: true }).code).toBe('CONNECTION_FAILED')
    expect(buildConnectionError(new Error('Connection terminated: timeout'), ctx).code).toBe('CONNECTION_FAILED')
  })

  it('wrong password (28P01)', () => {
    const error = buildConnectionError(pgError('28P01', 'password authentication failed for user "app"'), { ...ctx, urlSource: 'option' })
    expect(error.message).toBe(
      `Can't connect to postgres://app:***@db.example:6543/shop: password authentication failed for user "app". ` +
        'Check the user name and password. Check the database URL (from --url).',
    )
    expect(error.code).toBe('CONNECTION_AUTH_FAILED')
  })

  it('missing database (3D000) suggests createdb', () => {
    const error = buildConnectionError(pgError('3D000', 'database "shop" does not exist'), { ...ctx, urlSource: 'config' })
    expect(error.message).toBe(
      `Can't connect to postgres://app:***@db.example:6543/shop: database "shop" does not exist. ` +
        'Create it (createdb shop) or fix the database name. Check the database URL (from the config file).',
    )
    expect(error.code).toBe('CONNECTION_NO_DATABASE')
  })

  it('a missing password', () => {
    const error = buildConnectionError(new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'), ctx)
    expect(error.message).toMatch(/: the server asks for a password and the URL has none\./)
  })

  it('never lets the password through, even when a driver message quotes it', () => {
    const error = buildConnectionError(new Error('bad connection string postgres://app:pa55word@db.example'), ctx)
    expect(error.message).not.toContain('pa55word')
    expect(error.message).toBe(
      "Can't connect to postgres://app:***@db.example:6543/shop: bad connection string postgres://app:***@db.example. Check the database URL (from DATABASE_URL).",
    )
  })

  it('keeps the original error as the cause', () => {
    const cause = pgError('53300', 'sorry, too many clients already')
    const error = buildConnectionError(cause, ctx)
    expect(error.cause).toBe(cause)
    expect(error.message).toMatch(/too many connections/)
  })
})
