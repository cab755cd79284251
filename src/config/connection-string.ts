/**
 * The one place that knows where a password sits in a connection string: the user info of a
 * URL (`scheme://user:password@host`), its `password=` and `sslpassword=` query parameters, and
 * the same keywords in a libpq `key=value` string. Config parsing reads URLs with it, and the
 * CLI's redactor asks it which strings to hide, so the two can never disagree about what is
 * secret. Pure: no IO.
 *
 * A URL is read the way WHATWG URL reads it, which is what `pg` does underneath. A URL whose
 * reading is in doubt (an unencoded `#`, or an `@` after the host, as an unencoded `/`, `?` or
 * `#` in a password gives) is not read at all: guessing would connect somewhere unintended, and
 * echoing it would print the password.
 */

/** What to tell a user whose URL does not parse. */
export const PERCENT_ENCODING_HINT =
  'percent-encode special characters in the user name and password: # as %23, / as %2F, ? as %3F, @ as %40, % as %25'

/** Keywords whose value is a secret, in a URL's query and in a key=value string (libpq's names). */
const SECRET_KEYWORDS: ReadonlySet<string> = new Set(['password', 'sslpassword'])

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i
const KEY_VALUE = /^[a-z_]+\s*=/i
// A host name or a bracketed IPv6 address, then an optional port, then the end of the authority.
const PLAIN_HOST = /^((?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d+)?)(?=[:/?]|$)/i
// Our own messages show `user:password@` as the form of a URL; that is a placeholder, not a secret.
const PLACEHOLDER = 'password'

export type ConnectionString =
  /** A URL read unambiguously; `redacted` shows it with every password as `***`. */
  | { readonly kind: 'url'; readonly scheme: string; readonly redacted: string }
  /** A URL that does not parse, or not unambiguously; `shown` holds only what is certainly not secret. */
  | { readonly kind: 'unreadableUrl'; readonly scheme: string; readonly shown: string }
  /** A libpq `host=… password=…` string. */
  | { readonly kind: 'keyValue' }
  /** Anything else; it may be a password pasted in the wrong place, so it is never shown. */
  | { readonly kind: 'other' }

/** Reads a connection string for display: never returns a password. */
export function parseConnectionString(text: string): ConnectionString {
  const trimmed = text.trim()
  const scheme = SCHEME.exec(trimmed)?.[1]
  if (scheme !== undefined) {
    const url = readUrl(trimmed)
    return url === null
      ? { kind: 'unreadableUrl', scheme, shown: showUnreadable(trimmed, scheme) }
      : { kind: 'url', scheme, redacted: redactReadUrl(url) }
  }
  return KEY_VALUE.test(trimmed) ? { kind: 'keyValue' } : { kind: 'other' }
}

/**
 * Every string that may be a password in `text`, in each form it can be printed: as written,
 * percent-decoded, re-encoded and JSON-escaped. For a URL that does not parse, every reading
 * of where its password ends is included.
 */
export function listPasswords(text: string): readonly string[] {
  const trimmed = text.trim()
  const scheme = SCHEME.exec(trimmed)?.[1]
  const raw: string[] = []
  if (scheme !== undefined) {
    const rest = trimmed.slice(scheme.length + 3)
    const url = readUrl(trimmed)
    if (url !== null) {
      if (url.password !== null) raw.push(url.password)
      raw.push(...url.parameterSecrets)
    } else {
      raw.push(...userInfoPasswords(rest), ...parameterValues(rest))
    }
  } else if (KEY_VALUE.test(trimmed)) {
    raw.push(...keyValueSecrets(trimmed))
  } else if (!/^pglite:/i.test(trimmed)) {
    // `user:password@host/db` without a scheme.
    raw.push(...userInfoPasswords(trimmed), ...parameterValues(trimmed))
  }
  const forms = new Set<string>()
  for (const secret of raw) {
    if (secret === '') continue
    for (const form of [secret, decodeLeniently(secret), readAsPg(secret)]) {
      forms.add(form)
      forms.add(encodeLeniently(form))
      forms.add(JSON.stringify(form).slice(1, -1))
    }
  }
  return [...forms].filter((form) => form !== '')
}

/**
 * Hides the given secrets (from `listPasswords`), then the passwords `text` quotes in a form
 * that can be recognised without being told: the user info of a URL, and `password=` /
 * `sslpassword=` values in a query or a key=value string.
 */
export function redactPasswords(text: string, secrets: Iterable<string> = []): string {
  // Longest first, so that a secret containing another is replaced whole, and before the
  // patterns below, which could cut a URL at a character the secret holds.
  let result = text
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret !== '') result = result.split(secret).join('***')
  }
  return result
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^\s/?#]*)@/gi, (match, head: string, secret: string) =>
      secret === PLACEHOLDER ? match : `${head}***@`,
    )
    // A quote or backslash ends the value too: the URL may sit inside a quoted or JSON string.
    .replace(/([?&](?:ssl)?password=)[^&#\s"'\\]*/gi, '$1***')
    .replace(/(?<![\w?&])((?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|[^\s'"]+)/gi, (match, head: string, secret: string) =>
      secret === '***' ? match : `${head}***`,
    )
}

interface ReadUrl {
  readonly url: URL
  /** The password as written in the user info; `null` without a `:` there, `''` when empty. */
  readonly password: string | null
  /** `password=` / `sslpassword=` values, as written and decoded. */
  readonly parameterSecrets: readonly string[]
}

/** The URL, or null when it does not parse or its reading is in doubt. */
function readUrl(text: string): ReadUrl | null {
  // WHATWG URL silently drops tabs and newlines, and a fragment means nothing to PostgreSQL: an
  // unencoded `#` in a password is the usual cause, and the URL's reading would hide it.
  if (/[\t\n\r#]/.test(text) || !URL.canParse(text)) return null
  const rest = text.slice(text.indexOf('://') + 3)
  const authorityEnd = indexOfAny(rest, '/?')
  // An `@` after the authority: a password holding an unencoded `/` or `?` ends the authority
  // early, and the URL then names the wrong host.
  if (rest.indexOf('@', authorityEnd) >= 0) return null
  const authority = rest.slice(0, authorityEnd)
  const at = authority.lastIndexOf('@')
  const userInfo = at < 0 ? null : authority.slice(0, at)
  const colon = userInfo === null ? -1 : userInfo.indexOf(':')
  const queryStart = rest.indexOf('?')
  return {
    url: new URL(text),
    password: userInfo === null || colon < 0 ? null : userInfo.slice(colon + 1),
    parameterSecrets: queryStart < 0 ? [] : parameterValues(rest.slice(queryStart)),
  }
}

function redactReadUrl({ url, password }: ReadUrl): string {
  const user = url.username
  const userInfo = password !== null ? `${user}:***@` : user !== '' ? `${user}@` : ''
  const parameters = [...url.searchParams].map(
    ([key, value]) => `${encodeURIComponent(key)}=${SECRET_KEYWORDS.has(key.toLowerCase()) ? '***' : encodeURIComponent(value)}`,
  )
  return `${url.protocol}//${userInfo}${url.host}${url.pathname}${parameters.length > 0 ? `?${parameters.join('&')}` : ''}`
}

/**
 * The scheme, and the host where it can be told: after the only `@`, with no `=` before it
 * (which could be a `password=` value holding the `@`). When in doubt, nothing.
 */
function showUnreadable(text: string, scheme: string): string {
  const rest = text.slice(scheme.length + 3)
  const at = rest.indexOf('@')
  if (at < 0 || rest.indexOf('@', at + 1) >= 0 || rest.slice(0, at).includes('=')) return `${scheme}://…`
  const host = PLAIN_HOST.exec(rest.slice(at + 1))?.[1]
  return host === undefined ? `${scheme}://…` : `${scheme}://…@${host}`
}

/** The password of `user:password@…` by each reading: user info ending at the last `@`, or at the authority's. */
function userInfoPasswords(rest: string): readonly string[] {
  const found: string[] = []
  const authority = rest.slice(0, indexOfAny(rest, '/?#'))
  for (const candidate of [rest, authority]) {
    const at = candidate.lastIndexOf('@')
    if (at < 0) continue
    const userInfo = candidate.slice(0, at)
    const colon = userInfo.indexOf(':')
    if (colon >= 0) found.push(userInfo.slice(colon + 1))
  }
  return found
}

/** `password=` values in a query, ending at `&`, at `#` or at the end (a raw `&` or `#` may be part of one). */
function parameterValues(text: string): readonly string[] {
  const found: string[] = []
  for (const match of text.matchAll(/(?:^|[?&])([^=&#?]*)=/g)) {
    const key = decodeLeniently(match[1] ?? '').toLowerCase()
    if (!SECRET_KEYWORDS.has(key)) continue
    const value = text.slice((match.index ?? 0) + match[0].length)
    found.push(value, value.slice(0, indexOfAny(value, '&')), value.slice(0, indexOfAny(value, '#')), value.slice(0, indexOfAny(value, '&#')))
    // URLSearchParams reads `+` as a space.
    found.push(value.slice(0, indexOfAny(value, '&#')).replace(/\+/g, ' '))
  }
  return found
}

/**
 * Secret values of a libpq key=value string (`host=db password='it''s'`): a value is a word, or
 * single-quoted with backslash escapes.
 */
function keyValueSecrets(text: string): readonly string[] {
  const found: string[] = []
  for (const match of text.matchAll(/([a-z_]+)\s*=\s*('((?:[^'\\]|\\.)*)'?|\S*)/gi)) {
    if (!SECRET_KEYWORDS.has((match[1] ?? '').toLowerCase())) continue
    const quoted = match[3]
    if (quoted === undefined) found.push(match[2] ?? '')
    else found.push(quoted, quoted.replace(/\\(.)/g, '$1'))
  }
  return found
}

/** Decodes the `%XX` escapes that form valid UTF-8, and leaves a stray `%` as it is. */
function decodeLeniently(text: string): string {
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (escapes) => {
    try {
      return decodeURIComponent(escapes)
    } catch {
      return escapes
    }
  })
}

/**
 * The password as `pg` reads it from a URL holding a space or a stray `%` anywhere: the URL is
 * first passed through `encodeURI`, after which only escapes of two digits are decoded again.
 */
function readAsPg(secret: string): string {
  try {
    return decodeLeniently(encodeURI(secret).replace(/%25(\d\d)/g, '%$1'))
  } catch {
    return secret
  }
}

/** A lone surrogate cannot be encoded; such a string is hidden as it is written. */
function encodeLeniently(text: string): string {
  try {
    return encodeURIComponent(text)
  } catch {
    return text
  }
}

function indexOfAny(text: string, characters: string): number {
  for (let i = 0; i < text.length; i++) {
    if (characters.includes(text[i] ?? '')) return i
  }
  return text.length
}
