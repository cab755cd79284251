import { spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, openPostgres, type TestDatabase } from '../../helpers/databases.js'
import { createProject, repoRoot, revisionFileText } from '../../helpers/run-cli.js'

/**
 * `tsdb db upgrade` on a pseudo-terminal (util-linux `script`), as a developer's terminal, an
 * IDE's task runner without a window size, or a CI job with a terminal would run it. Progress
 * must never block or repeat the work: the run ends, each step shows once, the version is written.
 */
const REVISIONS = ['a00000000001', 'a00000000002', 'a00000000003']
/** Far above a normal run on a busy machine; a reporter that blocks the event loop never ends. */
const BOUND_SECONDS = 90

interface PtyRun {
  readonly raw: string
  readonly code: number | null
  readonly seconds: number
}

/** Runs the bin inside `script` with the given terminal width; `timeout` kills it by pid at the bound. */
function runOnPty(cwd: string, columns: number, env: Record<string, string | undefined>): Promise<PtyRun> {
  const command = [
    `stty cols ${columns} rows 24`,
    // --foreground keeps tsdb in the terminal's foreground process group, as a shell would.
    `exec timeout --foreground -s KILL ${BOUND_SECONDS} '${process.execPath}' '${join(repoRoot, 'bin', 'tsdb.js')}' db upgrade`,
  ].join('; ')
  const started = performance.now()
  return new Promise((done, fail) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd,
      env: { ...process.env, TERM: 'xterm-256color', NO_COLOR: undefined, FORCE_COLOR: undefined, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let raw = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      // A looping spinner writes hundreds of MB; the start of it is enough to look at.
      if (raw.length < 1_000_000) raw += chunk
    })
    child.stderr.resume()
    child.on('error', fail)
    child.on('close', (code) => done({ raw, code, seconds: (performance.now() - started) / 1000 }))
  })
}

/**
 * What a terminal shows after `raw`: carriage returns, cursor moves and line erases applied
 * (what ora uses to redraw its line); colours and modes dropped.
 */
function screen(raw: string): string[] {
  const rows: string[][] = [[]]
  let row = 0
  let col = 0
  const chars = Array.from(raw)
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index]!
    if (char === '\x1b' && chars[index + 1] === '[') {
      let end = index + 2
      while (end < chars.length && !/[@-~]/.test(chars[end]!)) end++
      const params = chars.slice(index + 2, end).join('')
      const n = Number.parseInt(params.replace('?', ''), 10)
      switch (chars[end]) {
        case 'G': col = (Number.isNaN(n) ? 1 : n) - 1; break
        case 'A': row = Math.max(0, row - (Number.isNaN(n) ? 1 : n)); break
        case 'K': rows[row] = Number.isNaN(n) || n === 0 ? rows[row]!.slice(0, col) : []; break
        default: break
      }
      index = end
    } else if (char === '\r') {
      col = 0
    } else if (char === '\n') {
      row++
      rows[row] ??= []
    } else {
      rows[row]![col++] = char
    }
  }
  return rows.map((cells) => Array.from(cells, (cell) => cell ?? ' ').join('').trimEnd())
}

const count = (lines: readonly string[], text: string) => lines.filter((line) => line.includes(text)).length

describe('upgrade progress on a pseudo-terminal', () => {
  let project: string

  beforeAll(async () => {
    project = await createProject()
    const versions = join(project, 'migrations', 'versions')
    await mkdir(versions, { recursive: true })
    for (const [index, id] of REVISIONS.entries()) {
      await writeFile(
        join(versions, `${id}_step_${index}.ts`),
        revisionFileText({
          id,
          message: `step ${index}`,
          down: index === 0 ? null : REVISIONS[index - 1]!,
          // Long enough for the spinner to draw several frames per step. The shrink case narrows
          // the terminal to 0 columns while the second step runs, as a resized window might.
          up: `await db.schema.createTable('t_${index}').addColumn('id', 'integer').execute()
  if (process.env.TSDB_TEST_SHRINK_TERMINAL === '1' && ${index} === 1) {
    const { execFileSync } = await import('node:child_process')
    execFileSync('stty', ['cols', '0'], { stdio: ['inherit', 'ignore', 'inherit'] })
  }
  await new Promise((resolve) => setTimeout(resolve, 400))`,
          down_: `await db.schema.dropTable('t_${index}').execute()`,
        }),
      )
    }
  })

  const cases = [
    { name: 'a terminal that reports 0 columns', columns: 0, env: { CI: undefined }, spinner: false },
    { name: 'an 80-column terminal', columns: 80, env: { CI: undefined }, spinner: true },
    { name: 'an 80-column terminal with CI=true', columns: 80, env: { CI: 'true' }, spinner: false },
    {
      name: 'an 80-column terminal shrunk to 0 columns during a step',
      columns: 80,
      env: { CI: undefined, TSDB_TEST_SHRINK_TERMINAL: '1' },
      spinner: true,
    },
  ] as const

  for (const testCase of cases) {
    describe(testCase.name, () => {
      let database: TestDatabase
      let run: PtyRun

      beforeAll(async () => {
        database = await createTestDatabase()
        run = await runOnPty(project, testCase.columns, { ...testCase.env, DATABASE_URL: database.url })
      }, (BOUND_SECONDS + 30) * 1000)
      afterAll(() => database?.drop())

      it('ends by itself, successfully', () => {
        expect(run.raw.length, 'output size').toBeLessThan(100_000)
        expect(run.code, run.raw.slice(0, 2000)).toBe(0)
        expect(run.seconds).toBeLessThan(BOUND_SECONDS)
      })

      it('shows each step exactly once', () => {
        const lines = screen(run.raw)
        for (const [index] of REVISIONS.entries()) {
          expect(count(lines, `, step ${index}`), lines.join('\n')).toBe(1)
        }
        expect(count(lines, 'Running upgrade')).toBe(REVISIONS.length)
      })

      it(testCase.spinner ? 'draws a spinner' : 'prints plain lines, no cursor movement', () => {
        // ora hides the cursor while it spins and erases its line to redraw it.
        expect(run.raw.includes('\x1b[?25l')).toBe(testCase.spinner)
        if (!testCase.spinner) {
          expect(run.raw).not.toMatch(/\x1b\[\d*[AGK]/)
          expect(run.raw.split('Running upgrade').length - 1).toBe(REVISIONS.length)
        }
      })

      it('commits the upgrade', async () => {
        const db = openPostgres(database.url, 1)
        try {
          const rows = await db.selectFrom('alembic_version').select('version_num').execute()
          expect(rows).toEqual([{ version_num: REVISIONS.at(-1) }])
        } finally {
          await db.destroy()
        }
      })
    })
  }
})
