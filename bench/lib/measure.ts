// Timing: each sample is one process, run under GNU time for its max RSS (`-o` keeps the
// tool's own stderr clean); wall time is ours, from spawn to exit.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Command {
  readonly file: string
  readonly args: readonly string[]
  readonly cwd: string
  readonly env?: Readonly<Record<string, string>>
}

export interface Sample {
  readonly ms: number
  /** CPU time of the process (user + system): far less disturbed by a busy machine than wall time. */
  readonly cpuMs: number
  readonly rssKb: number
}

export interface Stats {
  readonly runs: number
  /** Wall times in the order of the rounds that produced them: round i of every tool ran back to back. */
  readonly rounds: readonly number[]
  /** CPU times (user + system), in the same order. */
  readonly cpuRounds: readonly number[]
  readonly minMs: number
  readonly medianMs: number
  readonly medianCpuMs: number
  readonly rssMb: number
}

const timeDir = mkdtempSync(join(tmpdir(), 'tsdb-bench-time-'))
process.on('exit', () => rmSync(timeDir, { recursive: true, force: true }))
let counter = 0

/** Runs a command to completion; fails with its output when it exits non-zero. */
export function runCommand(command: Command): Promise<{ stdout: string; stderr: string }> {
  return spawnCollect(command.file, command.args, command)
}

/** One timed run; its stderr too, for a case that checks what the command said. */
export async function sample(command: Command): Promise<Sample & { readonly stderr: string }> {
  const out = join(timeDir, `${counter++}.txt`)
  const started = performance.now()
  const { stderr } = await spawnCollect('/usr/bin/time', ['-o', out, '-f', '%M %U %S', command.file, ...command.args], command)
  const ms = performance.now() - started
  const [rss, user, system] = (readFileSync(out, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number)
  return { ms, cpuMs: ((user ?? NaN) + (system ?? NaN)) * 1000, rssKb: rss ?? NaN, stderr }
}

function spawnCollect(file: string, args: readonly string[], command: Command): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], {
      cwd: command.cwd,
      env: { ...process.env, NO_COLOR: '1', ...command.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      const result = { stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() }
      if (code === 0) resolve(result)
      else {
        const shown = [command.file, ...command.args].join(' ')
        const tail = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-25).join('\n')
        reject(new Error(`\`${shown}\` in ${command.cwd} exited with ${code}:\n${tail}`))
      }
    })
  })
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length === 0 ? NaN : sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

export function summarize(samples: readonly Sample[]): Stats {
  const times = samples.map((s) => s.ms).sort((a, b) => a - b)
  return {
    runs: times.length,
    rounds: samples.map((s) => s.ms),
    cpuRounds: samples.map((s) => s.cpuMs),
    minMs: times[0] ?? NaN,
    medianMs: median(times),
    medianCpuMs: median(samples.map((s) => s.cpuMs)),
    rssMb: Math.max(...samples.map((s) => s.rssKb)) / 1024,
  }
}

/**
 * The median over rounds of a's time divided by b's in the same round. The machine's speed drifts
 * by up to 2x within minutes; two tools run back to back in one round see nearly the same machine,
 * so the per-round ratio cancels the drift that a ratio of two medians keeps.
 */
export function pairedRatio(a: Stats, b: Stats, clock: Clock = 'wall'): number {
  return median(roundRatios(a, b, clock))
}

/** Wall time, or the CPU time of the process (user + system). */
export type Clock = 'wall' | 'cpu'

/** a's time divided by b's, round by round, in the order the rounds ran. */
export function roundRatios(a: Stats, b: Stats, clock: Clock = 'wall'): number[] {
  const [x, y] = clock === 'wall' ? [a.rounds, b.rounds] : [a.cpuRounds, b.cpuRounds]
  const count = Math.min(x.length, y.length)
  return Array.from({ length: count }, (_, i) => x[i]! / y[i]!)
}

/** The tools in the order round `round` runs them: each tool goes first in turn. */
export function rotate<T>(items: readonly T[], round: number): T[] {
  const shift = items.length === 0 ? 0 : round % items.length
  return [...items.slice(shift), ...items.slice(0, shift)]
}
