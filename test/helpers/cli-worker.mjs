// The body of a worker thread that runs the built CLI (dist/bundle/main.js, what bin/tsdb.js
// runs) for runTsdb() in ./run-cli.ts, one run after another. Each run gets what a new process
// would: its own process.env, a cleared exit code, the working folder handed to main(), and
// nothing the previous run left behind (the listeners it added, the user files it loaded). The
// run ends as a process does: once main() is done and nothing it started still keeps the thread
// alive; a run that leaves an exit handler behind (a lock still held), or throws, ends the thread.
import { createRequire } from 'node:module'
import { parentPort, workerData } from 'node:worker_threads'

const { main } = await import(workerData.entry)
const require = createRequire(import.meta.url)
/** What ./run-cli.ts looks for in stdout and stderr, after a run's own output. */
const RUN_END = '\u0000tsdb-run-end'

parentPort.on('message', (run) => {
  // Ignoring the promise is safe: an exception of the CLI's is rethrown out of the handler below.
  void runOnce(run)
})

async function runOnce({ args, cwd, env }) {
  for (const name of Object.keys(process.env)) delete process.env[name]
  Object.assign(process.env, env)
  process.exitCode = undefined
  const listeners = listenersNow()
  const modules = new Set(Object.keys(require.cache))
  const resources = process.getActiveResourcesInfo()
  try {
    await main(args, { cwd })
  } catch (error) {
    // Uncaught, as in `bin/tsdb.js`: the thread ends with the error, which runTsdb() reports.
    setImmediate(() => {
      throw error
    })
    return
  }
  await untilIdle(resources)
  const code = process.exitCode ?? 0
  if (addedListeners(listeners, 'exit').length > 0) {
    // A process would run these as it ends: let the thread end the same way.
    process.exit(code)
  }
  for (const [emitter, name, listener] of addedListeners(listeners)) emitter.off(name, listener)
  // The user's files (config, schema, revisions) are read again by the next run, as by a new process.
  for (const path of Object.keys(require.cache)) {
    if (!modules.has(path) && !path.split(/[\\/]/).includes('node_modules')) delete require.cache[path]
  }
  process.stdout.write(`${RUN_END} ${code}\u0000`)
  process.stderr.write(`${RUN_END}\u0000`)
}

const emitters = () => [process, process.stdout, process.stderr, process.stdin]

/** Every listener of process and its standard streams, by emitter and event. */
function listenersNow() {
  return new Map(emitters().map((emitter) => [emitter, new Map(emitter.eventNames().map((name) => [name, emitter.rawListeners(name)]))]))
}

/** The listeners added since `before` (of event `only`, when given), as [emitter, event, listener]. */
function addedListeners(before, only) {
  const added = []
  for (const emitter of emitters()) {
    for (const name of emitter.eventNames()) {
      if (only !== undefined && name !== only) continue
      const earlier = before.get(emitter)?.get(name) ?? []
      for (const listener of emitter.rawListeners(name)) if (!earlier.includes(listener)) added.push([emitter, name, listener])
    }
  }
  return added
}

/**
 * Resolves once no more resources keep the thread alive than before the run (timers, sockets,
 * child processes, file operations): when a process running the same command would exit.
 */
async function untilIdle(before) {
  const allowed = counts(before)
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve))
    const now = counts(process.getActiveResourcesInfo())
    if ([...now].every(([type, count]) => count <= (allowed.get(type) ?? 0))) return
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

function counts(types) {
  const byType = new Map()
  for (const type of types) byType.set(type, (byType.get(type) ?? 0) + 1)
  return byType
}
