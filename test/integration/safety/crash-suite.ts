import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runTsdb } from '../../helpers/run-cli.js'
import {
  CRASH_HEAD,
  CRASH_NON_TRANSACTIONAL,
  readInterruptedDirection,
  undoInterrupted,
  createRandom,
  expectedTables,
  pickKillPoint,
  readState,
  resetToBase,
  runAndKill,
  waitForTsdbSessionsToEnd,
  writeCrashRevisions,
} from './crash-harness.js'
import { useSafetyProject } from './safety-project.js'

/** 20 by default; TSDB_CRASH_KILL_POINTS runs more (or fewer) when exploring. */
const KILL_POINTS = Number(process.env.TSDB_CRASH_KILL_POINTS ?? 20)
if (!Number.isInteger(KILL_POINTS) || KILL_POINTS < 2) throw new Error('TSDB_CRASH_KILL_POINTS must be a whole number of at least 2')
/** CI runs the same kill points every time; set TSDB_CRASH_SEED to explore others. */
const CI_SEED = 20261207

/**
 * KILL_POINTS SIGKILLs at seeded random points, alternating `upgrade` (from base) and `downgrade base` (from
 * head). After each: the schema matches the version table, and the next `upgrade` completes; or
 * the kill landed inside the `transactional = false` revision, and then the next run stops naming
 * it, and undoing its work and stamping as the message says lets the next `upgrade` complete.
 * Rerun a failure with TSDB_CRASH_SEED=<the printed seed>.
 */
export function describeCrashSafety(mode: 'one transaction' | 'transactionPerMigration'): void {
  describe(`SIGKILL during upgrade/downgrade, ${mode} [postgres]`, () => {
    const { url, db, project } = useSafetyProject()
    const seed = Number(process.env.TSDB_CRASH_SEED ?? (process.env.CI ? CI_SEED : Math.floor(Math.random() * 2 ** 31)))

    beforeAll(async () => {
      await writeCrashRevisions(project)
      if (mode === 'transactionPerMigration') {
        await writeFile(join(project, 'tsdb.config.json'), JSON.stringify({ transactionPerMigration: true }))
      }
    })

    // About 40 CLI runs: minutes on a loaded machine, so a generous limit (the test waits on nothing timed).
    it(`leaves the schema matching the version table at ${KILL_POINTS} random kill points (seed ${seed})`, { timeout: 1_500_000 }, async () => {
      const random = createRandom(seed)
      const env = { DATABASE_URL: url }
      const first = await runTsdb(['db', 'upgrade'], { cwd: project, env })
      expect(first.code, first.stderr).toBe(0)
      let killed = 0
      for (let index = 0; index < KILL_POINTS; index++) {
        const direction = index % 2 === 0 ? 'downgrade' : 'upgrade'
        const point = pickKillPoint(random)
        const context = `seed ${seed} (rerun with TSDB_CRASH_SEED=${seed}), kill point ${index}: ${direction} after ${point.afterSteps} steps + ${point.delayMs} ms`
        if (direction === 'upgrade') await resetToBase(db)
        const run = await runAndKill(['db', direction, direction === 'downgrade' ? 'base' : 'head'], {
          cwd: project,
          url: url,
          point,
        })
        if (run.wasKilled) killed += 1
        else expect(run.code, `${context}: ${run.stderr}`).toBe(0)
        await waitForTsdbSessionsToEnd(db)

        const state = await readState(db)
        expect(state.versionRows.length, `${context}: version rows ${state.versionRows.join(', ')}`).toBeLessThanOrEqual(2)
        const interrupted = await readInterruptedDirection(db)
        if (interrupted === null) {
          expect(state.tables, `${context}: version rows [${state.versionRows.join(', ')}]`).toEqual(expectedTables(state.versionRows))
        } else {
          const stopped = await runTsdb(['db', 'upgrade'], { cwd: project, env })
          expect(stopped.code, context).toBe(1)
          const word = interrupted === 'up' ? 'upgrade' : 'downgrade'
          expect(stopped.stderr, context).toMatch(new RegExp(`Revision ${CRASH_NON_TRANSACTIONAL} \\(\\S+\\) was interrupted during its ${word}`))
          expect(await readState(db), `${context}: a stopped run changes nothing`).toEqual(state)
          const target = await undoInterrupted(db, interrupted, stopped.stderr)
          const stamped = await runTsdb(['db', 'stamp', target], { cwd: project, env })
          expect(stamped.code, `${context}: ${stamped.stderr}`).toBe(0)
          const settled = await readState(db)
          expect(settled.tables, `${context}: after the stamp`).toEqual(expectedTables(settled.versionRows))
        }

        const next = await runTsdb(['db', 'upgrade'], { cwd: project, env })
        expect(next.code, `${context}: the next upgrade failed: ${next.stderr}`).toBe(0)
        const after = await readState(db)
        expect(after.versionRows, context).toEqual([CRASH_HEAD])
        expect(after.tables, context).toEqual(expectedTables([CRASH_HEAD]))
      }
      // Most points must really interrupt a run, or the test proves little.
      expect(killed, `seed ${seed}: only ${killed} of ${KILL_POINTS} runs were killed`).toBeGreaterThanOrEqual(KILL_POINTS / 2)
    })
  })
}
