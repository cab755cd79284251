const SIGNALS = ['SIGINT', 'SIGTERM'] as const

/**
 * Ctrl-C or SIGTERM during `upgrade`, `downgrade` or `stamp` ends the run as a failure ends it
 * (statement cancelled, transaction rolled back, lock released, one line, exit code 1) instead of
 * killing the process mid-way. A second signal kills it at once, for a run that does not stop.
 */
export function listenForInterrupt(): AbortSignal {
  const controller = new AbortController()
  const onSignal = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      controller.abort(signal)
      return
    }
    for (const name of SIGNALS) process.off(name, onSignal)
    process.kill(process.pid, signal)
  }
  for (const name of SIGNALS) process.on(name, onSignal)
  return controller.signal
}
