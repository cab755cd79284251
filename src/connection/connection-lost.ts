/**
 * Whether an error means the connection to the server is gone: a restart, a failover,
 * `pg_terminate_backend`, a network cut. pg reports these as the server's last words (SQLSTATE
 * class 08, or 57P01-57P03 for a shutdown), as socket errors, or as its own "Connection
 * terminated" and "not queryable" errors once the socket is closed.
 */
export function isConnectionLost(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && (/^08/.test(code) || /^57P0[123]$/.test(code) || SOCKET_CODES.has(code))) return true
    if (/^Connection terminated|is not queryable|^read ECONNRESET/.test(current.message)) return true
  }
  return false
}

const SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH'])
