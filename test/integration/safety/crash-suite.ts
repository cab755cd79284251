import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestBackend } from '../../helpers/databases.js'
import { runTsdb } from '../../helpers/run-cli.js'
import {
  CRASH_HEAD,
  CRASH_NON_TRANSACTIONAL,
  readInterruptedDirection,
  undoInterrupted,
  createRandom,
  expectedTables,
  killInsideNonTransactional,
  pickKillPoint,
  readState,
  resetToBase,
  runAndKill,
  waitForTsdbSessionsToEnd,
  writeCrashRevisions,
} from './crash-harness.js'
import { useSafetyProject } from './safety-project.js'

/** CI runs the same kill points every time; set TSDB_CRASH_SEED to explore others. */
const CI_SEED = 20261207

export interface CrashSuiteOptions {
  readonly mode: 'one transaction' | 'transactionPerMigration'
  readonly backend: TestBackend
  /** Kill points when TSDB_CRASH_KILL_POINTS is not set. */
  readonly defaultKillPoints: number
  /** From spawn to the first step (see pickKillPoint). */
  readonly startupMs: number
}

/**
 * SIGKILLs at seeded random points, alternating `downgrade base` (from head) and `upgrade` (from
 * base); the first two kill points land inside the `transactional = false` revision, whatever the
 * seed. After each: the schema matches the version table, and the next `upgrade` completes; or
 * the kill landed inside the `transactional = false` revision, and then the next run stops naming
 * it, and undoing its work and stamping as the message says lets the next `upgrade` complete.
 * Rerun a failure with TSDB_CRASH_SEED=<the printed seed>.
 */
export function describeCrashSafety({ mode, backend, defaultKillPoints, startupMs }: CrashSuiteOptions): void {
  // TSDB_CRASH_KILL_POINTS runs more (or fewer) when exploring.
  const killPoints = Number(process.env.TSDB_CRASH_KILL_POINTS ?? defaultKillPoints)
  if (!Number.isInteger(killPoints) || killPoints < 2) throw new Error('TSDB_CRASH_KILL_POINTS must be a whole number of at least 2')

  describe(`SIGKILL during upgrade/downgrade, ${mode} [${backend}]`, () => {
    const { url, project, withDb } = useSafetyProject(backend)
    const seed = Number(process.env.TSDB_CRASH_SEED ?? (process.env.CI ? CI_SEED : Math.floor(Math.random() * 2 ** 31)))

    beforeAll(async () => {
      await writeCrashRevisions(project)
      if (mode === 'transactionPerMigration') {
        await writeFile(join(project, 'tsdb.config.json'), JSON.stringify({ transactionPerMigration: true }))
      }
    })

    // Many CLI runs: minutes on a loaded machine, so a generous limit (the test waits on nothing timed).
    it(`leaves the schema matching the version table at ${killPoints} random kill points (seed ${seed})`, { timeout: 1_500_000 }, async () => {
      const random = createRandom(seed)
      const env = { DATABASE_URL: url }
      const first = await runTsdb(['db', 'upgrade'], { cwd: project, env })
      expect(first.code, first.stderr).toBe(0)
      let killed = 0
      let interruptions = 0
      for (let index = 0; index < killPoints; index++) {
        const direction = index % 2 === 0 ? 'downgrade' : 'upgrade'
        const point = index < 2 ? killInsideNonTransactional(direction) : pickKillPoint(random, startupMs)
        const context = `seed ${seed} (rerun with TSDB_CRASH_SEED=${seed}), kill point ${index}: ${direction} after ${point.afterSteps} steps + ${point.delayMs} ms`
        if (direction === 'upgrade') await withDb(resetToBase)
        const run = await runAndKill(['db', direction, direction === 'downgrade' ? 'base' : 'head'], { cwd: project, url, point })
        if (run.wasKilled) killed += 1
        else expect(run.code, `${context}: ${run.stderr}`).toBe(0)
        // A killed client's backend ends its transaction first; PGlite died with the process.
        if (backend === 'postgres') await withDb(waitForTsdbSessionsToEnd)

        const { state, interrupted } = await withDb(async (db) => ({ state: await readState(db), interrupted: await readInterruptedDirection(db) }))
        expect(state.versionRows.length, `${context}: version rows ${state.versionRows.join(', ')}`).toBeLessThanOrEqual(2)
        if (interrupted === null) {
          expect(state.tables, `${context}: version rows [${state.versionRows.join(', ')}]`).toEqual(expectedTables(state.versionRows))
        } else {
          interruptions += 1
          const stopped = await runTsdb(['db', 'upgrade'], { cwd: project, env })
          expect(stopped.code, context).toBe(1)
          const word = interrupted === 'up' ? 'upgrade' : 'downgrade'
          expect(stopped.stderr, context).toMatch(new RegExp(`Revision ${CRASH_NON_TRANSACTIONAL} \\(\\S+\\) was interrupted during its ${word}`))
          const target = await withDb(async (db) => {
            expect(await readState(db), `${context}: a stopped run changes nothing`).toEqual(state)
            return undoInterrupted(db, interrupted, stopped.stderr)
          })
          const stamped = await runTsdb(['db', 'stamp', target], { cwd: project, env })
          expect(stamped.code, `${context}: ${stamped.stderr}`).toBe(0)
          const settled = await withDb(readState)
          expect(settled.tables, `${context}: after the stamp`).toEqual(expectedTables(settled.versionRows))
        }

        const next = await runTsdb(['db', 'upgrade'], { cwd: project, env })
        expect(next.code, `${context}: the next upgrade failed: ${next.stderr}`).toBe(0)
        const after = await withDb(readState)
        expect(after.versionRows, context).toEqual([CRASH_HEAD])
        expect(after.tables, context).toEqual(expectedTables([CRASH_HEAD]))
      }
      // Most points must really interrupt a run, or the test proves little.
      expect(killed, `seed ${seed}: only ${killed} of ${killPoints} runs were killed`).toBeGreaterThanOrEqual(killPoints / 2)
      expect(interruptions, `seed ${seed}: no kill landed inside the non-transactional revision`).toBeGreaterThan(0)
    })
  })
}
