import { ConnectionError } from '../errors.js'
import type { UrlSource } from '../config/config.js'
import { listPasswords, redactPasswords } from '../config/connection-string.js'
import { formatMs } from './format-ms.js'

export interface ConnectionErrorContext {
  readonly url: string
  readonly redactedUrl: string
  readonly urlSource: UrlSource
  readonly connectTimeoutMs: number
  /** Whether the attempt outlasted `connectTimeoutMs`: the driver's own timeout error has no code. */
  readonly hasTimedOut: boolean
}

const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset by the server',
}

/**
 * Turns whatever `pg` threw while connecting into one line that names the (redacted) URL,
 * the cause and what to do. The password never reaches the message, even when a driver
 * message quotes the URL.
 */
export function buildConnectionError(error: unknown, ctx: ConnectionErrorContext): ConnectionError {
  const parts = describeUrl(ctx.url)
  const where = `Can't connect to ${ctx.redactedUrl}`
  const fix = `Check the database URL (${SOURCE_TEXT[ctx.urlSource]}).`
  const code = errorCode(error)
  // A driver message may quote the URL or its password.
  const message = redactPasswords(errorMessage(error), listPasswords(ctx.url))
  const make = (text: string, errorCodeName: string) =>
    new ConnectionError(text, ctx.redactedUrl, { cause: error, code: errorCodeName })

  if (code === '28P01') {
    return make(`${where}: ${message}. Check the user name and password. ${fix}`, 'CONNECTION_AUTH_FAILED')
  }
  if (code === '28000') {
    return make(`${where}: ${message}. The server does not accept this user from this host; check pg_hba.conf or the user name. ${fix}`, 'CONNECTION_AUTH_FAILED')
  }
  if (code === '3D000') {
    const database = /database "(.*)" does not exist/.exec(message)?.[1] ?? parts.database
    return make(
      `${where}: database "${database}" does not exist. Create it (createdb ${shellWord(database)}) or fix the database name. ${fix}`,
      'CONNECTION_NO_DATABASE',
    )
  }
  if (code === '53300') return make(`${where}: the server has too many connections; try again later.`, 'CONNECTION_REFUSED')
  if (code === '57P03') return make(`${where}: the server is starting up or shutting down; try again shortly.`, 'CONNECTION_REFUSED')
  if (code !== undefined && code in NETWORK_CODES) {
    return make(
      `${where}: ${NETWORK_CODES[code]} (${code}). Is PostgreSQL running and accepting TCP connections on ${parts.hostPort}? ${fix}`,
      'CONNECTION_UNREACHABLE',
    )
  }
  // Known by the clock, not by the words: a server's refusal may well mention a timeout setting.
  if (code === undefined && ctx.hasTimedOut) {
    return make(
      `${where}: no answer within ${formatMs(ctx.connectTimeoutMs)}. Is PostgreSQL running on ${parts.hostPort}? ` +
        `Set TSDB_CONNECT_TIMEOUT (milliseconds) to wait longer. ${fix}`,
      'CONNECTION_TIMEOUT',
    )
  }
  if (/SASL|client password must be a string/i.test(message)) {
    return make(`${where}: the server asks for a password and the URL has none. ${fix}`, 'CONNECTION_AUTH_FAILED')
  }
  return make(`${where}: ${message}${code === undefined ? '' : ` (${code})`}. ${fix}`, 'CONNECTION_FAILED')
}

interface UrlParts {
  readonly database: string
  readonly hostPort: string
}

function describeUrl(url: string): UrlParts {
  try {
    const parsed = new URL(url)
    const database = safeDecode(parsed.pathname.replace(/^\//, '')) || safeDecode(parsed.username)
    const host = parsed.searchParams.get('host') ?? (parsed.hostname || 'localhost')
    return { database, hostPort: `${host}:${parsed.port || '5432'}` }
  } catch {
    return { database: 'postgres', hostPort: 'the server' }
  }
}

/** A malformed escape (`%zz`) must not hide the host from the message. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

const SOURCE_TEXT: { readonly [K in UrlSource]: string } = {
  option: 'from --url',
  env: 'from DATABASE_URL',
  config: 'from the config file',
  default: 'the default',
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string') return code
  // Node reports "connect ECONNREFUSED" of every address of a host as an AggregateError.
  if (error instanceof AggregateError) return errorCode(error.errors[0])
  const cause = (error as { cause?: unknown } | null)?.cause
  return cause !== undefined && cause !== error ? errorCode(cause) : undefined
}

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return (message.split('\n')[0] ?? '').trim() || (error instanceof AggregateError ? 'connection failed' : 'unknown error')
}

function shellWord(text: string): string {
  return /^[\w.-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}
