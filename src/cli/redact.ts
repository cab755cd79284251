import { listPasswords, redactPasswords } from '../config/connection-string.js'

/**
 * The CLI's last line of defence for DESIGN §3 ("a password never appears in output"): every
 * line the CLI prints passes through a redactor. tsdb's own messages already show URLs
 * redacted, but a migration's error, a driver message or a yargs complaint may quote a URL or
 * a password verbatim. Where a password sits in a connection string is config/connection-string's
 * knowledge; this only remembers the ones it was given.
 */
export interface Redactor {
  /** Remembers every password a connection string holds, whether or not it parses. */
  addUrl(url: string | undefined): void
  redact(text: string): string
}

// Shorter "passwords" would mangle ordinary words in the output; URLs in the text are still
// redacted whatever the password's length.
const MIN_SECRET_LENGTH = 4

export function createRedactor(): Redactor {
  const secrets: string[] = []
  return {
    addUrl(url) {
      if (url === undefined) return
      for (const secret of listPasswords(url)) {
        if (secret.length >= MIN_SECRET_LENGTH && !secrets.includes(secret)) secrets.push(secret)
      }
    },
    redact: (text) => redactPasswords(text, secrets),
  }
}
