import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { describeEachDatabase } from '../../helpers/databases.js'
import { createProject, createTableBody, revisionFileText, runTsdb, type CliResult } from '../../helpers/run-cli.js'

/**
 * A Flask-Migrate session, command by command, on the real CLI: linear history, a splice into
 * two heads, `upgrade` refusing several heads, `upgrade heads`, `merge heads`, branch labels,
 * `dependsOn`, the target forms and the error texts, with the schema and the version table
 * read back from the database after each step.
 */
describeEachDatabase('a Flask-Migrate session on the CLI', (ctx) => {
  let project: string
  let versions: string
  const tsdb = (...args: string[]): Promise<CliResult> =>
    runTsdb(args, { cwd: project, env: { DATABASE_URL: ctx.url } })

  /** Reads the database between CLI runs; closes again, since PGlite allows one process per folder. */
  const query = async <T>(fn: (db: Kysely<any>) => Promise<T>): Promise<T> => {
    try {
      return await fn(ctx.kysely())
    } finally {
      await ctx.closeAll()
    }
  }
  const versionRows = () =>
    query(async (db) => {
      const exists = await sql<{ t: string | null }>`select to_regclass('alembic_version')::text as t`.execute(db)
      if (exists.rows[0]?.t === null) return []
      const rows = await db.selectFrom('alembic_version').select('version_num').orderBy('version_num').execute()
      return rows.map((row) => row.version_num as string)
    })
  const tables = () =>
    query(async (db) => {
      const rows = await sql<{ relname: string }>`
        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'alembic_version'
          and c.relname <> 'tsdb_revision_log' order by 1`.execute(db)
      return rows.rows.map((row) => row.relname)
    })
  const write = (name: string, text: string) => writeFile(join(versions, name), text)

  beforeAll(async () => {
    project = await createProject()
    versions = join(project, 'migrations', 'versions')
  })

  it('init creates the migrations folder and a config, and refuses to run twice', async () => {
    const first = await tsdb('db', 'init')
    expect(first.code).toBe(0)
    expect(await readdir(join(project, 'migrations'))).toContain('versions')
    expect(await readFile(join(project, 'tsdb.config.ts'), 'utf8')).toContain('defineConfig')
    const again = await tsdb('db', 'init')
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('Directory migrations already exists and is not empty')
    expect(again.stderr).not.toMatch(/\n\s+at /)
  })

  it('revision writes a file that history lists, without touching the database', async () => {
    const result = await tsdb('db', 'revision', '-m', 'users table', '--rev-id', 'a1a1a1a1a1a1')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Generating .*a1a1a1a1a1a1_users_table\.ts \.\.\. {2}done\n$/)
    // Replace the generated body with a real one, as a user edits an empty revision.
    await write('a1a1a1a1a1a1_users_table.ts', revisionFileText({ id: 'a1a1a1a1a1a1', message: 'users table', ...createTableBody('user') }))
    const history = await tsdb('db', 'history')
    expect(history.stdout).toBe('<base> -> a1a1a1a1a1a1 (head), users table\n')
    expect(await versionRows()).toEqual([])
  })

  it('upgrade applies it and logs the step; current shows it', async () => {
    const result = await tsdb('db', 'upgrade')
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('Running upgrade  -> a1a1a1a1a1a1, users table')
    expect(result.stdout).toBe('')
    expect(await tables()).toEqual(['user'])
    expect(await versionRows()).toEqual(['a1a1a1a1a1a1'])
    expect((await tsdb('db', 'current')).stdout).toBe('a1a1a1a1a1a1 (head)\n')
    // Running again finds nothing to do and still exits 0.
    const again = await tsdb('db', 'upgrade')
    expect(again.code).toBe(0)
    expect(again.stderr).not.toContain('Running upgrade')
  })

  it('a second revision, downgrade -1 and upgrade +1', async () => {
    await write('b2b2b2b2b2b2_posts.ts', revisionFileText({ id: 'b2b2b2b2b2b2', message: 'posts', down: 'a1a1a1a1a1a1', ...createTableBody('post') }))
    expect((await tsdb('db', 'upgrade')).stderr).toContain('Running upgrade a1a1a1a1a1a1 -> b2b2b2b2b2b2, posts')
    expect(await tables()).toEqual(['post', 'user'])
    const down = await tsdb('db', 'downgrade')
    expect(down.code).toBe(0)
    expect(down.stderr).toContain('Running downgrade b2b2b2b2b2b2 -> a1a1a1a1a1a1, posts')
    expect(await tables()).toEqual(['user'])
    expect(await versionRows()).toEqual(['a1a1a1a1a1a1'])
    expect((await tsdb('db', 'upgrade', '+1')).code).toBe(0)
    expect(await versionRows()).toEqual(['b2b2b2b2b2b2'])
  })

  it('relative targets that go too far fail with Alembic\'s words and change nothing', async () => {
    const result = await tsdb('db', 'upgrade', '+1')
    expect(result.code).toBe(1)
    expect(result.stderr).toContain("Relative revision +1 didn't produce 1 migrations")
    expect(await versionRows()).toEqual(['b2b2b2b2b2b2'])
  })

  it('unknown and ambiguous revisions name what was wrong', async () => {
    const unknown = await tsdb('db', 'upgrade', 'zzzz99')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain("Can't locate revision identified by 'zzzz99'")
    await write('a1a1ffffffff_other.ts', revisionFileText({ id: 'a1a1ffffffff', message: 'other', down: 'b2b2b2b2b2b2', ...createTableBody('other') }))
    const ambiguous = await tsdb('db', 'show', 'a1a1')
    expect(ambiguous.code).toBe(1)
    expect(ambiguous.stderr).toContain('a1a1a1a1a1a1')
    expect(ambiguous.stderr).toContain('a1a1ffffffff')
    expect(await versionRows()).toEqual(['b2b2b2b2b2b2'])
  })

  it('--head <rev> --splice makes two heads; upgrade refuses, upgrade heads applies both', async () => {
    const splice = await tsdb('db', 'revision', '-m', 'hotfix', '--head', 'a1a1a1a1a1a1', '--rev-id', 'c3c3c3c3c3c3')
    expect(splice.code).toBe(1)
    expect(splice.stderr).toContain('Revision a1a1a1a1a1a1 is not a head revision; please specify --splice')
    const spliced = await tsdb('db', 'revision', '-m', 'hotfix', '--head', 'a1a1a1a1a1a1', '--splice', '--rev-id', 'c3c3c3c3c3c3')
    expect(spliced.code).toBe(0)
    await write('c3c3c3c3c3c3_hotfix.ts', revisionFileText({ id: 'c3c3c3c3c3c3', message: 'hotfix', down: 'a1a1a1a1a1a1', ...createTableBody('hotfix') }))
    expect((await tsdb('db', 'heads')).stdout).toBe('a1a1ffffffff (head)\nc3c3c3c3c3c3 (head)\n')
    const refused = await tsdb('db', 'upgrade')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain("Multiple head revisions are present for given argument 'head'")
    expect(await versionRows()).toEqual(['b2b2b2b2b2b2'])
    const all = await tsdb('db', 'upgrade', 'heads')
    expect(all.code).toBe(0)
    expect(await versionRows()).toEqual(['a1a1ffffffff', 'c3c3c3c3c3c3'])
    expect(await tables()).toEqual(['hotfix', 'other', 'post', 'user'])
    expect((await tsdb('db', 'branches')).stdout).toBe(
      'a1a1a1a1a1a1 (branchpoint)\n             -> b2b2b2b2b2b2\n             -> c3c3c3c3c3c3 (head)\n\n',
    )
  })

  it('merge heads joins them, and upgrade moves the two rows to one', async () => {
    const merged = await tsdb('db', 'merge', 'heads', '-m', 'merge hotfix', '--rev-id', 'd4d4d4d4d4d4')
    expect(merged.code).toBe(0)
    const text = await readFile(join(versions, 'd4d4d4d4d4d4_merge_hotfix.ts'), 'utf8')
    expect(text).toContain("export const downRevision = ['a1a1ffffffff', 'c3c3c3c3c3c3']")
    const up = await tsdb('db', 'upgrade')
    expect(up.stderr).toContain('Running upgrade a1a1ffffffff, c3c3c3c3c3c3 -> d4d4d4d4d4d4, merge hotfix')
    expect(await versionRows()).toEqual(['d4d4d4d4d4d4'])
    expect((await tsdb('db', 'current')).stdout).toBe('d4d4d4d4d4d4 (head) (mergepoint)\n')
    // As in Alembic, -1 from a merge point is an ambiguous walk; the message says what to name.
    const ambiguous = await tsdb('db', 'downgrade', '-1')
    expect(ambiguous.code).toBe(1)
    expect(ambiguous.stderr).toContain('Ambiguous walk: from d4d4d4d4d4d4 the graph forks into a1a1ffffffff, c3c3c3c3c3c3')
    expect(await versionRows()).toEqual(['d4d4d4d4d4d4'])
  })

  it('branch labels and <label>@head; dependsOn applies the dependency first', async () => {
    const base = await tsdb('db', 'revision', '-m', 'audit base', '--head', 'base', '--branch-label', 'audit', '--rev-id', 'e5e5e5e5e5e5')
    expect(base.code).toBe(0)
    await write('e5e5e5e5e5e5_audit_base.ts', revisionFileText({ id: 'e5e5e5e5e5e5', message: 'audit base', branchLabels: 'audit', ...createTableBody('audit') }))
    await write('f6f6f6f6f6f6_audit_users.ts', revisionFileText({ id: 'f6f6f6f6f6f6', message: 'audit users', down: 'e5e5e5e5e5e5', dependsOn: 'a1a1a1a1a1a1', ...createTableBody('audit_user') }))
    const history = await tsdb('db', 'history', '-r', 'audit@base:audit@head')
    // Alembic carries a branch label to the revisions descending from the labelled one.
    // The range includes what audit@head depends on (a1a1), as Alembic's walk does.
    expect(history.stdout).toBe(
      'e5e5e5e5e5e5 (a1a1a1a1a1a1) -> f6f6f6f6f6f6 (audit) (head), audit users\n' +
        '<base> -> e5e5e5e5e5e5 (audit), audit base\n' +
        '<base> -> a1a1a1a1a1a1 (branchpoint), users table\n',
    )
    const one = await tsdb('db', 'upgrade', 'audit@+1')
    expect(one.code).toBe(0)
    expect(await versionRows()).toEqual(['d4d4d4d4d4d4', 'e5e5e5e5e5e5'])
    expect((await tsdb('db', 'upgrade', 'audit@head')).code).toBe(0)
    expect(await versionRows()).toEqual(['d4d4d4d4d4d4', 'f6f6f6f6f6f6'])
    expect(await tables()).toContain('audit_user')
    expect((await tsdb('db', 'downgrade', 'audit@base')).code).toBe(0)
    expect(await versionRows()).toEqual(['d4d4d4d4d4d4'])
    expect(await tables()).not.toContain('audit')
  })

  it('downgrade base reverts everything; the version table is left empty', async () => {
    const result = await tsdb('db', 'downgrade', 'base')
    expect(result.code).toBe(0)
    expect(await tables()).toEqual([])
    expect(await versionRows()).toEqual([])
    expect((await tsdb('db', 'current')).stdout).toBe('')
  })

  it('usage errors exit 2 with no stack trace', async () => {
    const unknown = await tsdb('db', 'upgradee')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('Unknown')
    const flag = await tsdb('db', 'upgrade', '--nope')
    expect(flag.code).toBe(2)
    const range = await tsdb('db', 'history', '-r', 'abc')
    expect(range.code).toBe(2)
    expect(range.stderr).toContain('History range requires [start]:[end], [start]:, or :[end]')
    for (const result of [unknown, flag, range]) expect(result.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('cli without a database', () => {
  it('--help lists every db command with defaults shown', async () => {
    const project = await createProject()
    const help = await runTsdb(['db', '--help'], { cwd: project })
    expect(help.code).toBe(0)
    for (const command of ['init', 'list-templates', 'revision', 'merge', 'edit', 'upgrade', 'downgrade', 'stamp', 'current', 'history', 'heads', 'branches', 'show']) {
      expect(help.stdout).toContain(`tsdb db ${command}`)
    }
    const upgradeHelp = await runTsdb(['db', 'upgrade', '--help'], { cwd: project })
    expect(upgradeHelp.stdout).toContain('[default: "head"]')
    const downgradeHelp = await runTsdb(['db', 'downgrade', '--help'], { cwd: project })
    expect(downgradeHelp.stdout).toContain('[default: "-1"]')
  })
})
