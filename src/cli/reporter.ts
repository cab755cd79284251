import type { Reporter } from '../index.js'
import type { Output } from './output.js'

/** A Reporter that can also stop a running spinner when the command fails. */
export interface CliReporter extends Reporter {
  stop(): void
}

/** Narrower than this, a spinner line wraps or (at 0, a pseudo-terminal without a size) makes ora loop forever. */
export const MIN_SPINNER_COLUMNS = 20

/**
 * Whether a spinner may draw on `stream`. ora's width arithmetic divides by the column count, so a
 * terminal that reports 0 columns sends it into an endless synchronous loop; CI logs keep every
 * frame, and a dumb terminal cannot move the cursor. All of these get plain lines instead.
 */
export function isUsableTerminal(stream: { readonly isTTY?: boolean; readonly columns?: number }, env: NodeJS.ProcessEnv): boolean {
  if (stream.isTTY !== true) return false
  if (!((stream.columns ?? 0) >= MIN_SPINNER_COLUMNS)) return false
  if (env.TERM === 'dumb') return false
  return !isCi(env)
}

/** `CI` set to anything but an explicit no, as CI services set it. */
function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false'
}

/**
 * The CLI's Reporter: on a usable terminal an ora spinner per step; anywhere else (CI logs,
 * pipes, a terminal of unknown width, TERM=dumb) one plain line per step, as Flask-Migrate's
 * log lines.
 */
export async function createReporter(out: Output, options: { verbose: boolean }): Promise<CliReporter> {
  const { stderr: stream, env } = process
  const lines = createLineReporter(out, options)
  if (!out.isTerminal || out.isQuiet || !isUsableTerminal(stream, env)) return lines
  const { default: ora } = await import('ora')
  let spinner: ReturnType<typeof ora> | undefined
  let current = ''
  let currentStep: Parameters<Reporter['stepStarted']>[0] | undefined
  // Once the terminal shrinks below a usable width (or reports 0), the rest of the run prints lines.
  let usable = true
  const onResize = () => {
    if (isUsableTerminal(stream, env)) return
    usable = false
    stream.off('resize', onResize)
    if (spinner && currentStep !== undefined) {
      // The lines to clear were counted at the last usable width, so stopping is bounded.
      spinner.stop()
      spinner = undefined
      lines.stepStarted(currentStep, current)
    }
  }
  stream.on('resize', onResize)
  return {
    stepStarted(step, line) {
      if (!usable) return lines.stepStarted(step, line)
      current = line
      currentStep = step
      spinner = ora({
        text: line,
        stream,
        // We decided above that this terminal can take a spinner; ora's own check would print
        // each step twice (once at start, once at the end) wherever it disagrees.
        isEnabled: true,
        // In raw mode Ctrl+C would reach tsdb as a keystroke, not as SIGINT.
        discardStdin: false,
        color: out.isColor ? 'cyan' : undefined,
      }).start()
    },
    stepFinished(step, ms) {
      if (!spinner) return lines.stepFinished(step, ms)
      const text = options.verbose ? `${current} (${formatMs(ms)})` : current
      if (out.isColor) spinner.succeed(text)
      else spinner.stopAndPersist({ symbol: '-', text })
      spinner = undefined
    },
    info: (message) => {
      if (spinner) spinner.stop()
      out.info(message)
      if (spinner) spinner.start()
    },
    warn: (message) => out.warn(message),
    stop() {
      spinner?.fail()
      spinner = undefined
      stream.off('resize', onResize)
    },
  }
}

function createLineReporter(out: Output, options: { verbose: boolean }): CliReporter {
  return {
    stop: () => {},
    stepStarted: (_step, line) => out.info(line),
    stepFinished: (_step, ms) => {
      if (options.verbose) out.info(`  done in ${formatMs(ms)}`)
    },
    info: (message) => out.info(message),
    warn: (message) => out.warn(message),
  }
}

const formatMs = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`)
