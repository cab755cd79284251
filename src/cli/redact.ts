/**
 * The CLI's last line of defence for DESIGN §3 ("a password never appears in output"): every
 * line the CLI prints passes through a redactor. tsdb's own messages already show URLs
 * redacted, but a migration's error, a driver message or a yargs complaint may quote a URL or
 * a password verbatim.
 */
export interface Redactor {
  /** Remembers the password (and any `password=` parameter) of a database URL. */
  addUrl(url: string | undefined): void
  redact(text: string): string
}

// Shorter "passwords" would mangle ordinary words in the output; URLs in the text are still
// redacted whatever the password's length.
const MIN_SECRET_LENGTH = 4

// scheme://user:password@ — the user info ends at the last @ before the path.
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^\s/?#]*@/gi
const PASSWORD_PARAMETER = /([?&]password=)[^&#\s]*/gi

export function createRedactor(): Redactor {
  const secrets = new Set<string>()
  return {
    addUrl(url) {
      if (url === undefined) return
      for (const secret of passwordsOf(url)) {
        if (secret.length >= MIN_SECRET_LENGTH) secrets.add(secret)
      }
    },
    redact(text) {
      // `user:password@` is the placeholder of our own examples, not a secret.
      let result = text
        .replace(URL_USER_INFO, (match, head: string) => (match === `${head}password@` ? match : `${head}***@`))
        .replace(PASSWORD_PARAMETER, '$1***')
      // Longest first, so that a secret containing another is replaced whole.
      for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
        result = result.split(secret).join('***')
      }
      return result
    },
  }
}

/** The password of a URL as written and decoded, from the user info and from `password=`. */
function passwordsOf(url: string): readonly string[] {
  const found: string[] = []
  const userInfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(url.trim())?.[1]
  if (userInfo !== undefined) {
    const colon = userInfo.indexOf(':')
    if (colon >= 0) found.push(userInfo.slice(colon + 1))
  }
  for (const match of url.matchAll(/[?&]password=([^&#]*)/gi)) found.push(match[1] ?? '')
  return found.flatMap((raw) => {
    const decoded = safeDecode(raw)
    return decoded === raw ? [raw] : [raw, decoded]
  })
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
