import { spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { describeEachDatabase, type DatabaseContext } from '../../helpers/databases.js'
import { createProject, repoRoot, revisionFileText, runTsdb } from '../../helpers/run-cli.js'

/**
 *   aaaa00000001 (creates account)  <-  bbbb00000002 (creates user, adds account.note)
 * `downgrade` of a step that drops tables or columns holding rows warns with each one's row
 * count; on a terminal it asks first, in CI it proceeds.
 */
const A = 'aaaa00000001'
const B = 'bbbb00000002'
const USER_WARNING = `Warning: downgrade ${B} -> ${A} drops table 'user' with 2 rows`
const NOTE_WARNING = `Warning: downgrade ${B} -> ${A} drops column 'account.note' with values in 2 rows`
const PROMPT = 'Drop these? [y/N]'
const CANCELLED = 'Downgrade cancelled; nothing was changed.'

interface State {
  readonly versions: readonly string[]
  readonly tables: readonly string[]
  readonly accountColumns: readonly string[]
  readonly userRows: number | null
}

async function stateOf(ctx: DatabaseContext): Promise<State> {
  try {
    const db = ctx.kysely()
    const versions = await sql<{ version_num: string }>`select version_num from alembic_version order by 1`.execute(db)
    const tables = await sql<{ relname: string }>`
      select c.relname from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and c.relname in ('account', 'user') order by 1`.execute(db)
    const columns = await sql<{ attname: string }>`
      select a.attname from pg_catalog.pg_attribute a
      where a.attrelid = pg_catalog.to_regclass('public.account') and a.attnum > 0 and not a.attisdropped order by 1`.execute(db)
    const hasUser = tables.rows.some((row) => row.relname === 'user')
    const userRows = hasUser
      ? Number((await sql<{ n: unknown }>`select count(*) as n from ${sql.table('user')}`.execute(db)).rows[0]?.n)
      : null
    return {
      versions: versions.rows.map((row) => row.version_num),
      tables: tables.rows.map((row) => row.relname),
      accountColumns: columns.rows.map((row) => row.attname),
      userRows,
    }
  } finally {
    await ctx.closeAll()
  }
}

async function insertRows(ctx: DatabaseContext): Promise<void> {
  try {
    const db = ctx.kysely()
    // Left from an earlier downgrade to aaaa00000001, which keeps account.
    await db.deleteFrom('account').execute()
    await db.insertInto('account').values([{ id: 1, note: 'x' }, { id: 2, note: 'y' }, { id: 3, note: null }]).execute()
    await db.insertInto('user').values([{ id: 1 }, { id: 2 }]).execute()
  } finally {
    await ctx.closeAll()
  }
}

const AT_B: State = { versions: [B], tables: ['account', 'user'], accountColumns: ['id', 'note'], userRows: 2 }
const AT_A: State = { versions: [A], tables: ['account'], accountColumns: ['id'], userRows: null }

/**
 * Runs `tsdb db downgrade …` on a pseudo-terminal (util-linux `script`), typing `answer` once
 * the prompt shows (or never, when it is null).
 */
function downgradeOnPty(cwd: string, url: string, args: readonly string[], answer: string | null) {
  const command = `exec timeout --foreground -s KILL 60 '${process.execPath}' '${join(repoRoot, 'bin', 'tsdb.js')}' db downgrade ${args.join(' ')}`
  return new Promise<{ raw: string; code: number | null }>((done, fail) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd,
      env: { ...process.env, TERM: 'dumb', NO_COLOR: '1', CI: undefined, DATABASE_URL: url },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let raw = ''
    let hasAnswered = false
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      raw += chunk
      if (answer !== null && !hasAnswered && raw.includes(PROMPT)) {
        hasAnswered = true
        child.stdin.write(`${answer}\r`)
      }
    })
    child.stderr.resume()
    child.on('error', fail)
    child.on('close', (code) => {
      child.stdin.destroy()
      done({ raw, code })
    })
  })
}

describeEachDatabase('downgrade that drops tables and columns holding rows', (ctx) => {
  let project: string
  const tsdb = (...args: string[]) => runTsdb(['db', ...args], { cwd: project, env: { DATABASE_URL: ctx.url } })
  const upgradeWithRows = async () => {
    expect((await tsdb('upgrade')).code).toBe(0)
    await insertRows(ctx)
    expect(await stateOf(ctx)).toEqual(AT_B)
  }

  beforeAll(async () => {
    project = await createProject()
    const versions = join(project, 'migrations', 'versions')
    await mkdir(versions, { recursive: true })
    await writeFile(
      join(versions, `${A}_account.ts`),
      revisionFileText({
        id: A,
        message: 'account',
        up: `await db.schema.createTable('account').addColumn('id', 'integer', (c) => c.primaryKey()).execute()`,
        down_: `await db.schema.dropTable('account').execute()`,
      }),
    )
    await writeFile(
      join(versions, `${B}_user.ts`),
      revisionFileText({
        id: B,
        message: 'user',
        down: A,
        up: `await db.schema.createTable('user').addColumn('id', 'integer', (c) => c.primaryKey()).execute()
  await db.schema.alterTable('account').addColumn('note', 'text').execute()`,
        down_: `await db.schema.dropTable('user').execute()
  await db.schema.alterTable('account').dropColumn('note').execute()`,
      }),
    )
    await ctx.closeAll()
  })

  it('says nothing when the dropped table and column are empty', async () => {
    expect((await tsdb('upgrade')).code).toBe(0)
    const result = await tsdb('downgrade')
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).not.toContain('Warning')
    expect(await stateOf(ctx)).toEqual(AT_A)
  })

  it('in CI, warns with the exact row counts and proceeds', async () => {
    await upgradeWithRows()
    const result = await tsdb('downgrade')
    expect(result.code, result.stderr).toBe(0)
    const warnings = result.stderr.split('\n').filter((line) => line.startsWith('Warning:'))
    expect(warnings).toEqual([USER_WARNING, NOTE_WARNING])
    expect(result.stderr).not.toContain(PROMPT)
    expect(await stateOf(ctx)).toEqual(AT_A)
  })

  it('names <base> when the step reverts a base revision', async () => {
    const result = await tsdb('downgrade', 'base')
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain(`Warning: downgrade ${A} -> <base> drops table 'account' with 3 rows\n`)
  })

  it('--sql neither counts nor asks', async () => {
    await upgradeWithRows()
    const result = await tsdb('downgrade', '--sql', `${B}:${A}`)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).not.toContain('Warning')
    expect(result.stdout).toContain('drop table "user";')
    expect(await stateOf(ctx)).toEqual(AT_B)
  })

  describe('on a terminal', () => {
    it('asks, and "n" cancels with exit 1 and the database unchanged', async () => {
      const run = await downgradeOnPty(project, ctx.url, [], 'n')
      expect(run.code, run.raw).toBe(1)
      expect(run.raw).toContain(USER_WARNING)
      expect(run.raw).toContain(NOTE_WARNING)
      expect(run.raw).toContain(PROMPT)
      expect(run.raw).toContain(`Error: ${CANCELLED}`)
      expect(await stateOf(ctx)).toEqual(AT_B)
    }, 90_000)

    it('asks, and "y" proceeds', async () => {
      const run = await downgradeOnPty(project, ctx.url, [], 'y')
      expect(run.code, run.raw).toBe(0)
      expect(run.raw).toContain(PROMPT)
      expect(await stateOf(ctx)).toEqual(AT_A)
    }, 90_000)

    it('--yes warns without asking', async () => {
      await upgradeWithRows()
      const run = await downgradeOnPty(project, ctx.url, ['--yes'], null)
      expect(run.code, run.raw).toBe(0)
      expect(run.raw).toContain(USER_WARNING)
      expect(run.raw).not.toContain(PROMPT)
      expect(await stateOf(ctx)).toEqual(AT_A)
    }, 90_000)
  })

  it('gives the planner\'s estimate for a large analyzed table', async () => {
    expect((await tsdb('upgrade')).code).toBe(0)
    try {
      const db = ctx.kysely()
      await sql`insert into ${sql.table('user')} (id) select i from pg_catalog.generate_series(1, 20000) as i`.execute(db)
      await sql`analyze ${sql.table('user')}`.execute(db)
    } finally {
      await ctx.closeAll()
    }
    const result = await tsdb('downgrade')
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain(`Warning: downgrade ${B} -> ${A} drops table 'user' with about 20,000 rows\n`)
  })
})
