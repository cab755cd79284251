/**
 * One CLI server per doc page: the `tsdb` on the page's PATH (tsdb-client.mjs) asks it to run
 * the built CLI, and it runs `main(argv, { cwd })` of dist/bundle/main.js (what bin/tsdb.js
 * runs) in a worker thread of this process, with the command's environment, stdin and working
 * folder, streaming the thread's stdout, stderr and exit code back. A spawned `node bin/tsdb.js`
 * paid Node's start and the CLI's modules on every command, and the embedded database's
 * WebAssembly compile on every open; the threads of one process share that compiled code.
 * `TSDB_TEST_SPAWN=1` makes the page's `tsdb` the spawned bin again.
 */
import { createServer, type Socket } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

export interface CliServer {
  /** The shell script to install as `tsdb`. */
  readonly script: string
  close(): Promise<void>
}

interface Request {
  readonly args: string[]
  readonly cwd: string
  readonly env: Record<string, string>
}

const STDOUT = 1
const STDERR = 2
const EXIT = 3

export async function startCliServer(repoRoot: string, socketPath: string): Promise<CliServer> {
  const bin = join(repoRoot, 'bin', 'tsdb.js')
  if (process.env.TSDB_TEST_SPAWN === '1') {
    return { script: `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`, close: async () => {} }
  }
  const entry = pathToFileURL(join(repoRoot, 'dist', 'bundle', 'main.js')).href
  const workers = new Set<Worker>()
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    // The client is gone (its reader stopped early): the run's output has nowhere to go.
    socket.on('error', () => {})
    readRequest(socket, (request, stdin) => {
      const worker = new Worker(new URL('./cli-thread.mjs', import.meta.url), {
        workerData: { entry, args: request.args, cwd: request.cwd },
        env: request.env,
        // The flags of a spawned `node`, not the test runner's.
        execArgv: [],
        stdin: true,
        stdout: true,
        stderr: true,
      })
      workers.add(worker)
      const send = (kind: number, body: Buffer) => {
        const header = Buffer.alloc(5)
        header.writeUInt8(kind, 0)
        header.writeUInt32BE(body.length, 1)
        if (!socket.destroyed) socket.write(Buffer.concat([header, body]))
      }
      worker.on('message', ({ fd, chunk }: { fd: number; chunk: Uint8Array }) => send(fd === 1 ? STDOUT : STDERR, Buffer.from(chunk)))
      // Anything written to the thread's own streams (cli-thread.mjs replaces them).
      worker.stdout.on('data', (chunk: Buffer) => send(STDOUT, chunk))
      worker.stderr.on('data', (chunk: Buffer) => send(STDERR, chunk))
      // An exception the CLI does not catch ends the thread as it would end the process: its
      // stack on stderr, exit code 1.
      let uncaught = ''
      worker.on('error', (error) => {
        uncaught = `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
      })
      // A CLI that never reads its stdin leaves the rest unwritten when it ends.
      worker.stdin?.on('error', () => {})
      if (stdin.length > 0) worker.stdin?.write(stdin)
      socket.on('data', (chunk: Buffer) => worker.stdin?.write(chunk))
      socket.on('end', () => worker.stdin?.end())
      worker.once('exit', (code) => {
        workers.delete(worker)
        // Every chunk of output is in before the exit code goes.
        void Promise.all([ended(worker.stdout), ended(worker.stderr)]).then(() => {
          if (uncaught !== '') send(STDERR, Buffer.from(uncaught))
          const body = Buffer.alloc(4)
          body.writeInt32BE(code, 0)
          send(EXIT, body)
          socket.end()
        })
      })
    })
  })
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(socketPath, done)
  })
  const client = join(repoRoot, 'test', 'integration', 'docs', 'tsdb-client.mjs')
  return {
    script: `#!/bin/sh\nexec "${process.execPath}" "${client}" "${socketPath}" "$@"\n`,
    close: async () => {
      await Promise.all([...workers].map((worker) => worker.terminate()))
      await new Promise((done) => server.close(done))
    },
  }
}

/** The request's first line is JSON; what follows it is the command's stdin. */
function readRequest(socket: Socket, onRequest: (request: Request, stdin: Buffer) => void): void {
  let head = Buffer.alloc(0)
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk])
    const newline = head.indexOf(10)
    if (newline < 0) return
    socket.off('data', onData)
    onRequest(JSON.parse(head.subarray(0, newline).toString('utf8')) as Request, head.subarray(newline + 1))
  }
  socket.on('data', onData)
}

function ended(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((done) => {
    if ((stream as { readableEnded?: boolean }).readableEnded === true) done()
    else stream.once('end', done)
  })
}
