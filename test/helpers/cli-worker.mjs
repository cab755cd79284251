// The body of a worker thread that runs the built CLI (dist/bundle/main.js, what bin/tsdb.js
// runs) once, for runTsdb() in ./run-cli.ts. The thread has its own process.env, stdout,
// stderr and exit code; only the working folder is the process's, so it is handed to main().
import { workerData } from 'node:worker_threads'

const { main } = await import(workerData.entry)
await main(workerData.args, { cwd: workerData.cwd })
