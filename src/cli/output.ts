import { styleText } from 'node:util'

/**
 * Where the CLI writes: results to stdout, progress and errors to stderr, so that
 * `tsdb db current > file` and `$(tsdb db heads)` work in scripts.
 */
export interface Output {
  /** One result line on stdout. */
  result(line: string): void
  /** Result lines on stdout in one write: `history` prints thousands, and each write is a system call. */
  results(lines: readonly string[]): void
  /** A JSON document on stdout (`--json`). */
  json(value: unknown): void
  /** A progress line on stderr (suppressed by `--quiet`). */
  info(line: string): void
  warn(line: string): void
  error(line: string): void
  readonly isColor: boolean
  readonly isTerminal: boolean
  readonly isQuiet: boolean
}

export interface OutputOptions {
  readonly quiet?: boolean
  readonly color?: boolean
  /** Applied to every line before it is written (the CLI removes passwords with it). */
  readonly redact?: (text: string) => string
}

export function createOutput(options: OutputOptions = {}): Output {
  const { stdout, stderr, env } = process
  const isTerminal = Boolean(stderr.isTTY)
  // NO_COLOR (https://no-color.org) and --no-color win; colour only ever goes to a terminal.
  const isColor = options.color !== false && !('NO_COLOR' in env && env.NO_COLOR !== '') && isTerminal
  const paint = (format: Parameters<typeof styleText>[0], text: string) =>
    isColor ? styleText(format, text) : text
  const isQuiet = options.quiet === true
  const clean = options.redact ?? ((text: string) => text)
  return {
    isColor,
    isTerminal,
    isQuiet,
    result: (line) => void stdout.write(`${clean(line)}\n`),
    results: (lines) => {
      if (lines.length > 0) stdout.write(lines.map((line) => `${clean(line)}\n`).join(''))
    },
    json: (value) => void stdout.write(`${clean(JSON.stringify(value, null, 2))}\n`),
    info: (line) => {
      if (!isQuiet) stderr.write(`${clean(line)}\n`)
    },
    warn: (line) => void stderr.write(`${paint('yellow', 'Warning:')} ${clean(line)}\n`),
    error: (line) => void stderr.write(`${paint('red', 'Error:')} ${clean(line)}\n`),
  }
}
