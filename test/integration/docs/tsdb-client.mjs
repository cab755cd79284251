// The `tsdb` a doc page's shell runs (see cli-server.ts): hands its arguments, working folder,
// environment and stdin to the page's CLI server, and gives back the CLI's stdout, stderr and
// exit code as its own. Frames from the server: a kind byte (1 stdout, 2 stderr, 3 exit), a
// 4-byte length, then the bytes (for exit, the code as a 4-byte integer).
import { connect } from 'node:net'

const [socketPath, ...args] = process.argv.slice(2)
const socket = connect(socketPath)
socket.on('error', (error) => {
  process.stderr.write(`tsdb (docs test): the CLI server did not answer: ${error.message}\n`)
  process.exit(1)
})
// A reader that stops early (`tsdb ... | head -n 1`) closes the pipe; the rest is not wanted.
process.stdout.on('error', () => {})
socket.write(`${JSON.stringify({ args, cwd: process.cwd(), env: process.env })}\n`)
process.stdin.pipe(socket)
socket.on('end', () => {
  process.stderr.write('tsdb (docs test): the CLI server hung up before the run ended\n')
  process.exit(1)
})

let pending = Buffer.alloc(0)
socket.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk])
  while (pending.length >= 5 && pending.length >= 5 + pending.readUInt32BE(1)) {
    const kind = pending[0]
    const body = pending.subarray(5, 5 + pending.readUInt32BE(1))
    pending = pending.subarray(5 + body.length)
    if (kind === 1) process.stdout.write(body)
    else if (kind === 2) process.stderr.write(body)
    else process.exit(body.readInt32BE(0))
  }
})
