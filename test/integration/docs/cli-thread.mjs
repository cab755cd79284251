// The body of a worker thread that runs the built CLI once for cli-server.ts: what bin/tsdb.js
// runs, in the folder the page's shell was in (a thread cannot change the process's).
//
// A process whose stdout and stderr are one file (the page's output) writes them there in the
// order it wrote them. A thread's own stdout and stderr are two streams that each wait for the
// parent to take a chunk, so one can overtake the other: here both go, in order, as messages
// on the one port to the parent.
import { Writable } from 'node:stream'
import { parentPort, workerData } from 'node:worker_threads'

for (const [name, fd] of [['stdout', 1], ['stderr', 2]]) {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      parentPort.postMessage({ fd, chunk })
      done()
    },
  })
  Object.defineProperty(process, name, { value: stream, configurable: true, enumerable: true })
}

const { main } = await import(workerData.entry)
await main(workerData.args, { cwd: workerData.cwd })
