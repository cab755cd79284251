/**
 * SIGKILL at random points of `tsdb db upgrade` / `downgrade`, then a check that the schema still
 * matches the version table, then a run that must complete. Shared by the one-transaction and the
 * per-migration suites on PostgreSQL, and the PGlite suite.
 *
 * "The schema matches the version table" means: the revisions the version rows imply applied are
 * the rows and all their ancestors in the revision graph; every one of them has its table
 * `t_<revision>`, and no other revision's table exists. The exception is the `transactional = false`
 * revision killed part-way: then the next run must name it, and resolving it as told must work.
 */
import { spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { repoRoot } from '../../helpers/run-cli.js'
import { revisionFileText } from '../../helpers/run-cli.js'

/** A small graph with a branch and a merge, so some steps change two version rows at once. */
const CRASH_REVISIONS: readonly { readonly id: string; readonly down: readonly string[] }[] = [
  { id: 'c00000000000', down: [] },
  { id: 'c00000000001', down: ['c00000000000'] },
  { id: 'c00000000002', down: ['c00000000001'] },
  { id: 'c00000000003', down: ['c00000000001'] },
  { id: 'c00000000004', down: ['c00000000002', 'c00000000003'] },
  { id: 'c00000000005', down: ['c00000000004'] },
  { id: 'c00000000006', down: ['c00000000005'] },
  { id: 'c00000000007', down: ['c00000000006'] },
]
export const CRASH_HEAD = 'c00000000007'
/** Runs outside a transaction: its statements commit one by one. */
export const CRASH_NON_TRANSACTIONAL = 'c00000000005'

/** Each step takes a little time and many statements, so kills land inside steps as well. */
export async function writeCrashRevisions(project: string): Promise<void> {
  const versions = join(project, 'migrations', 'versions')
  await mkdir(versions, { recursive: true })
  for (const [index, revision] of CRASH_REVISIONS.entries()) {
    const table = `t_${revision.id}`
    // Longer in the non-transactional revision, so a kill aimed inside it lands there.
    const pause = revision.id === CRASH_NON_TRANSACTIONAL ? 0.02 : 0.005
    await writeFile(
      join(versions, `${revision.id}_step_${index}.ts`),
      revisionFileText({
        id: revision.id,
        message: `step ${index}`,
        down: revision.down.length === 0 ? null : revision.down.length === 1 ? revision.down[0]! : revision.down,
        transactional: revision.id !== CRASH_NON_TRANSACTIONAL,
        up: `await db.schema.createTable('${table}').addColumn('id', 'integer').execute()
  for (let i = 0; i < 10; i++) {
    await db.insertInto('${table}').values({ id: i }).execute()
    await sql\`select pg_sleep(${pause})\`.execute(db)
  }`,
        down_: `for (let i = 0; i < 10; i++) {
    await db.deleteFrom('${table}').where('id', '=', i).execute()
    await sql\`select pg_sleep(${pause})\`.execute(db)
  }
  await db.schema.dropTable('${table}').execute()`,
      }),
    )
  }
}

/** mulberry32: small, seedable, good enough to pick kill points. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface KillPoint {
  /** Kill once this many steps have started (their "Running …" line was printed); 0 = count from spawn. */
  readonly afterSteps: number
  /** Then wait this long before SIGKILL. */
  readonly delayMs: number
}

/**
 * `startupMs`: how long the CLI takes from spawn to its first step (loading config and files,
 * connecting or opening the embedded database, taking the lock), the window of a kill counted
 * from spawn.
 */
export function pickKillPoint(random: () => number, startupMs: number): KillPoint {
  const afterSteps = Math.floor(random() * (CRASH_REVISIONS.length + 1))
  const delayMs = afterSteps === 0 ? Math.floor(random() * startupMs) : Math.floor(random() * 60)
  return { afterSteps, delayMs }
}

/**
 * A kill inside the `transactional = false` revision, whatever the seed: its step is the sixth
 * an upgrade from base starts, and the third of a downgrade from head; its statements take
 * about 10 × 20 ms.
 */
export function killInsideNonTransactional(direction: 'upgrade' | 'downgrade'): KillPoint {
  return { afterSteps: direction === 'upgrade' ? 6 : 3, delayMs: 40 }
}

export interface KilledRun {
  /** false when the process finished before the kill point was reached. */
  readonly wasKilled: boolean
  readonly code: number | null
  readonly stderr: string
}

/** Runs the CLI and SIGKILLs it (or sends it `signal`) at `point`. */
export function runAndKill(
  args: readonly string[],
  options: { cwd: string; url: string; point: KillPoint; signal?: NodeJS.Signals },
): Promise<KilledRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'tsdb.js'), ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', CI: 'true', DATABASE_URL: options.url },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    let started = 0
    let timer: NodeJS.Timeout | undefined
    let wasKilled = false
    const arm = () => {
      timer ??= setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) {
          wasKilled = true
          child.kill(options.signal ?? 'SIGKILL')
        }
      }, options.point.delayMs)
    }
    if (options.point.afterSteps === 0) arm()
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk
      started = (stderr.match(/^Running (upgrade|downgrade) /gm) ?? []).length
      if (options.point.afterSteps > 0 && started >= options.point.afterSteps) arm()
    })
    child.on('error', fail)
    child.on('close', (code) => {
      if (timer) clearTimeout(timer)
      done({ wasKilled, code, stderr })
    })
  })
}

/** Waits until no tsdb session is left on the database: a killed client's backend ends its transaction first. */
export async function waitForTsdbSessionsToEnd(db: Kysely<any>): Promise<void> {
  for (let attempt = 0; attempt < 1200; attempt++) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_catalog.pg_stat_activity
      where datname = current_database() and application_name = 'tsdb'`.execute(db)
    if (Number(rows[0]?.n) === 0) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('a killed tsdb process still has a session on the database after 60 s')
}

export interface DatabaseState {
  readonly versionRows: readonly string[]
  readonly tables: readonly string[]
}

/** Version rows and revision tables, read in one snapshot. */
export async function readState(db: Kysely<any>): Promise<DatabaseState> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const { rows: found } = await sql<{ found: string | null }>`select to_regclass('alembic_version')::text as found`.execute(trx)
      const versionRows =
        found[0]?.found == null
          ? []
          : (await trx.selectFrom('alembic_version').select('version_num').orderBy('version_num').execute()).map((r) =>
              String(r.version_num),
            )
      const { rows } = await sql<{ table_name: string }>`
        select table_name from information_schema.tables
        where table_schema = 'public' and table_name like 't\\_c%' order by table_name`.execute(trx)
      return { versionRows, tables: rows.map((r) => r.table_name) }
    })
}

/** The tables the version rows say must exist: the rows and all their ancestors. */
export function expectedTables(versionRows: readonly string[]): readonly string[] {
  const byId = new Map(CRASH_REVISIONS.map((r) => [r.id, r]))
  const applied = new Set<string>()
  const visit = (id: string) => {
    if (applied.has(id)) return
    const revision = byId.get(id)
    if (!revision) throw new Error(`the version table names an unknown revision ${id}`)
    applied.add(id)
    revision.down.forEach(visit)
  }
  versionRows.forEach(visit)
  return [...applied].map((id) => `t_${id}`).sort()
}

/** Back to an empty database (faster than a CLI downgrade), keeping the version and log tables. */
export async function resetToBase(db: Kysely<any>): Promise<void> {
  for (const revision of CRASH_REVISIONS) await sql`drop table if exists ${sql.id(`t_${revision.id}`)}`.execute(db)
  await sql`delete from alembic_version`.execute(db)
  if (await hasProgressTable(db)) await sql`delete from tsdb_meta.tsdb_revision_progress`.execute(db)
}

async function hasProgressTable(db: Kysely<any>): Promise<boolean> {
  const { rows } = await sql<{ found: string | null }>`select to_regclass('tsdb_meta.tsdb_revision_progress')::text as found`.execute(db)
  return rows[0]?.found != null
}

/** The direction of the revision a killed run left part-way, if it left one. */
export async function readInterruptedDirection(db: Kysely<any>): Promise<'up' | 'down' | null> {
  if (!(await hasProgressTable(db))) return null
  const { rows } = await sql<{ direction: string }>`select direction from tsdb_meta.tsdb_revision_progress limit 1`.execute(db)
  return rows[0] === undefined ? null : rows[0].direction === 'down' ? 'down' : 'up'
}

/**
 * Follows the "run it again" advice for the interrupted revision: undo by hand what its
 * statements did (for the schema check, its table), then the stamp the message gives.
 */
export async function undoInterrupted(db: Kysely<any>, direction: 'up' | 'down', message: string): Promise<string> {
  const table = sql.id(`t_${CRASH_NON_TRANSACTIONAL}`)
  if (direction === 'up') await sql`drop table if exists ${table}`.execute(db)
  else await sql`create table if not exists ${table} (id integer)`.execute(db)
  const stamp = /undo what it ran and run `tsdb db stamp (\S+)`/.exec(message)
  if (!stamp) throw new Error(`no stamp command in: ${message}`)
  return stamp[1]!
}
