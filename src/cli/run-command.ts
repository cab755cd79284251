// errors.ts is tiny and pure; the rest of the API loads lazily in handlers so `--help` stays fast.
import { DriftError, LintFailedError, TsdbError } from '../errors.js'
import type { ResolvedConfig } from '../index.js'
import { hintFor } from './error-hints.js'
import { createOutput, type Output } from './output.js'
import { createRedactor } from './redact.js'
import { createReporter, type CliReporter } from './reporter.js'
import { workingFolder } from '../loader/working-folder.js'

/** Options every command accepts (DESIGN §2). */
export interface GlobalArgs {
  readonly config?: string
  readonly url?: string
  readonly directory?: string
  readonly json?: boolean
  readonly verbose?: boolean
  readonly quiet?: boolean
  readonly color?: boolean
  /** `-x/--x-arg`, on the commands that take it: one string, or several when repeated. */
  readonly 'x-arg'?: string | readonly string[]
}

export interface CommandContext {
  readonly out: Output
  readonly reporter: CliReporter
  readonly json: boolean
  readonly verbose: boolean
  /** Loads and resolves the config (discovery, `--config`, `--url`, `-d`). */
  loadConfig(): Promise<ResolvedConfig>
}

/**
 * The error boundary of every command: an expected failure (a TsdbError) becomes one line on
 * stderr and exit code 1 (2 for usage); anything else is our bug and keeps its stack trace.
 * The exit code is set, not forced, so pools and PGlite close cleanly.
 */
export async function runCommand(args: GlobalArgs, body: (ctx: CommandContext) => Promise<void>): Promise<void> {
  // Passwords are known before the config loads (--url, DATABASE_URL) and after (its `url`, binds).
  const redactor = createRedactor()
  redactor.addUrl(args.url)
  redactor.addUrl(process.env.DATABASE_URL)
  const out = createOutput({ quiet: args.quiet === true, color: args.color !== false, redact: redactor.redact })
  const reporter = await createReporter(out, { verbose: args.verbose === true })
  const context: CommandContext = {
    out,
    reporter,
    json: args.json === true,
    verbose: args.verbose === true,
    loadConfig: async () => {
      const { loadConfig } = await import('../config/load-config.js')
      const config = await loadConfig({
        cwd: workingFolder(),
        configFile: args.config,
        url: args.url,
        directory: args.directory,
        xArgs: [args['x-arg'] ?? []].flat(),
      })
      if (config.database.kind === 'postgres') redactor.addUrl(config.database.url)
      for (const bind of Object.values(config.binds)) redactor.addUrl(bind.url)
      return config
    },
  }
  try {
    await body(context)
  } catch (error) {
    reporter.stop()
    process.exitCode = reportError(error, out, { json: context.json, verbose: context.verbose })
  }
}

/** Prints an error and returns the exit code for it. */
function reportError(error: unknown, out: Output, options: { json: boolean; verbose: boolean }): number {
  if (error instanceof TsdbError) {
    const hint = hintFor(error)
    if (options.json) {
      // `check --json` keeps the pending operations as data, not only inside the message.
      const details = error instanceof DriftError ? { detected: error.detected } : error instanceof LintFailedError ? { lint: error.report } : {}
      out.json({ error: { code: error.code, category: error.category, message: error.message, ...(hint !== null && { hint }) }, ...details })
    }
    out.error(hint === null ? error.message : `${error.message}${/[.!?]$/.test(error.message) ? '' : '.'} ${hint}`)
    if (options.verbose && error.cause instanceof Error) out.info(`Caused by: ${error.cause.message}`)
    return error.category === 'usage' ? 2 : 1
  }
  // Not a TsdbError: an unexpected failure, i.e. a bug in tsdb. Keep the stack for the report.
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error)
  if (options.json) out.json({ error: { code: 'INTERNAL', category: 'internal', message: String(error) } })
  out.error(`tsdb failed unexpectedly; please report this with the output below.\n${text}`)
  return 1
}
