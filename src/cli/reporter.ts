import type { Reporter } from '../index.js'
import type { Output } from './output.js'

/**
 * The CLI's Reporter: on a terminal an ora spinner per step; elsewhere (CI logs, pipes)
 * one plain line per step, as Flask-Migrate's log lines.
 */
/** A Reporter that can also stop a running spinner when the command fails. */
export interface CliReporter extends Reporter {
  stop(): void
}

export async function createReporter(out: Output, options: { verbose: boolean }): Promise<CliReporter> {
  if (!out.isTerminal || out.isQuiet) return createLineReporter(out, options)
  const { default: ora } = await import('ora')
  let spinner: ReturnType<typeof ora> | undefined
  let current = ''
  return {
    stepStarted(_step, line) {
      current = line
      spinner = ora({ text: line, stream: process.stderr, color: out.isColor ? 'cyan' : undefined }).start()
    },
    stepFinished(_step, ms) {
      const text = options.verbose ? `${current} (${formatMs(ms)})` : current
      if (out.isColor) spinner?.succeed(text)
      else spinner?.stopAndPersist({ symbol: '-', text })
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
