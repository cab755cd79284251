import { readFile, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { beforeAll, expect, it, vi } from 'vitest'
import { describeEachDatabase } from '../../helpers/databases.js'
import { createProject, runTsdb, type CliResult } from '../../helpers/run-cli.js'
import {
  POST_TABLE,
  USER_TABLE,
  query,
  readColumns,
  readConstraints,
  readIndexes,
  readVersion,
  revisionFiles,
  writeSchema,
} from './project.js'


// Each test spawns the CLI a few times; on PGlite each run opens the embedded database (about
// 1 s of CPU), which a loaded machine stretches well past the default timeout.
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 })

/**
 * The Flask Mega-Tutorial's chapter 4 on the real CLI (DESIGN §1): `migrate` writes the users
 * and posts revisions, `upgrade` applies them, and the catalog ends up as Flask-Migrate leaves
 * it. Then `check`, the refusal when the database is behind, `--json`, `revision --autogenerate`
 * and `postWrite`.
 */
describeEachDatabase('the Mega-Tutorial through migrate', (ctx) => {
  let project: string
  let usersRevision = ''
  const tsdb = (...args: string[]): Promise<CliResult> => runTsdb(args, { cwd: project, env: { DATABASE_URL: ctx.url } })
  const generated = (result: CliResult, slug: string): string => {
    const match = /^Generating (\S+) \.\.\. {2}done\n$/.exec(result.stdout)
    expect(match, result.stdout + result.stderr).not.toBeNull()
    const path = match![1]!
    expect(basename(path)).toMatch(new RegExp(`^[0-9a-f]{12}_${slug}\\.ts$`))
    return path
  }

  beforeAll(async () => {
    project = await createProject()
    expect((await tsdb('db', 'init')).code).toBe(0)
  })

  it('migrate -m "users table" writes the users revision and logs what it detected', async () => {
    await writeSchema(project, USER_TABLE)
    const result = await tsdb('db', 'migrate', '-m', 'users table')
    expect(result.code).toBe(0)
    expect(result.stderr).toBe(
      "Detected added table 'user'\n" +
        "Detected added index 'ix_user_email' on '('email',)'\n" +
        "Detected added index 'ix_user_username' on '('username',)'\n",
    )
    const path = generated(result, 'users_table')
    usersRevision = basename(path).slice(0, 12)
    const text = await readFile(path, 'utf8')
    expect(text).toContain("export const downRevision = null")
    expect(text).toContain(".createTable('user')")
    expect(text).toContain("await db.schema.dropTable('user').execute()")
    // migrate writes a file; the database gets only the empty version table, as Alembic leaves it.
    expect((await query(ctx, (db) => db.introspection.getTables())).map((table) => table.name)).toEqual(['alembic_version'])
    expect(await query(ctx, (db) => db.selectFrom('alembic_version').selectAll().execute())).toEqual([])
  })

  it('upgrade applies it; a second migrate detects nothing and writes no file', async () => {
    const up = await tsdb('db', 'upgrade')
    expect(up.code).toBe(0)
    expect(up.stderr).toMatch(/^Running upgrade {2}-> [0-9a-f]{12}, users table\n$/)
    const again = await tsdb('db', 'migrate', '-m', 'nothing')
    expect(again).toEqual({ code: 0, stdout: '', stderr: 'No changes in schema detected.\n' })
    expect(await revisionFiles(project)).toHaveLength(1)
  })

  it('check at head with nothing to do exits 0', async () => {
    expect(await tsdb('db', 'check')).toEqual({ code: 0, stdout: 'No new upgrade operations detected.\n', stderr: '' })
  })

  it('migrate -m "posts table" and upgrade give the schema Flask-Migrate gives the tutorial', async () => {
    await writeSchema(project, `${USER_TABLE}\n${POST_TABLE}`)
    const result = await tsdb('db', 'migrate', '-m', 'posts table')
    expect(result.code).toBe(0)
    expect(result.stderr).toBe(
      "Detected added table 'post'\n" +
        "Detected added index 'ix_post_timestamp' on '('timestamp',)'\n" +
        "Detected added index 'ix_post_user_id' on '('user_id',)'\n",
    )
    const path = generated(result, 'posts_table')
    expect(await readFile(path, 'utf8')).toContain(`export const downRevision = '${usersRevision}'`)

    const up = await tsdb('db', 'upgrade')
    expect(up.code).toBe(0)
    expect(up.stderr).toContain(`-> ${basename(path).slice(0, 12)}, posts table`)

    const catalog = await query(ctx, async (db) => ({
      columns: await readColumns(db),
      indexes: await readIndexes(db),
      constraints: await readConstraints(db),
      version: await readVersion(db),
    }))
    expect(catalog.columns).toEqual([
      { table: 'post', column: 'id', type: 'integer', notNull: true, default: "nextval('post_id_seq'::regclass)" },
      { table: 'post', column: 'body', type: 'character varying(140)', notNull: true, default: null },
      { table: 'post', column: 'timestamp', type: 'timestamp without time zone', notNull: true, default: 'now()' },
      { table: 'post', column: 'user_id', type: 'integer', notNull: true, default: null },
      { table: 'user', column: 'id', type: 'integer', notNull: true, default: "nextval('user_id_seq'::regclass)" },
      { table: 'user', column: 'username', type: 'character varying(64)', notNull: true, default: null },
      { table: 'user', column: 'email', type: 'character varying(120)', notNull: true, default: null },
      { table: 'user', column: 'password_hash', type: 'character varying(256)', notNull: false, default: null },
    ])
    expect(catalog.indexes).toEqual({
      ix_post_timestamp: 'CREATE INDEX ix_post_timestamp ON public.post USING btree ("timestamp")',
      ix_post_user_id: 'CREATE INDEX ix_post_user_id ON public.post USING btree (user_id)',
      ix_user_email: 'CREATE UNIQUE INDEX ix_user_email ON public."user" USING btree (email)',
      ix_user_username: 'CREATE UNIQUE INDEX ix_user_username ON public."user" USING btree (username)',
      post_pkey: 'CREATE UNIQUE INDEX post_pkey ON public.post USING btree (id)',
      user_pkey: 'CREATE UNIQUE INDEX user_pkey ON public."user" USING btree (id)',
    })
    expect(catalog.constraints).toEqual({
      'post.post_pkey': 'PRIMARY KEY (id)',
      'post.post_user_id_fkey': 'FOREIGN KEY (user_id) REFERENCES "user"(id)',
      'user.user_pkey': 'PRIMARY KEY (id)',
    })
    expect(catalog.version).toEqual([basename(path).slice(0, 12)])
    expect(await tsdb('db', 'migrate')).toEqual({ code: 0, stdout: '', stderr: 'No changes in schema detected.\n' })
  })

  it('check lists the operations and exits 1 when the declaration changed', async () => {
    await writeSchema(project, `${USER_TABLE.replace('password_hash', 'about_me: t.varchar(140),\n    password_hash')}\n${POST_TABLE}`)
    const result = await tsdb('db', 'check')
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe("Error: New upgrade operations detected:\n  Detected added column 'user.about_me'\n")
    const json = await tsdb('db', 'check', '--json')
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toMatchObject({
      error: { code: 'DRIFT', category: 'drift' },
      detected: ["Detected added column 'user.about_me'"],
    })
  })

  it('migrate --json describes the new revision', async () => {
    const result = await tsdb('db', 'migrate', '-m', 'about me', '--json')
    expect(result.code).toBe(0)
    const document = JSON.parse(result.stdout) as { created: { id: string; path: string }; detected: string[]; warnings: string[] }
    expect(document).toMatchObject({ detected: ["Detected added column 'user.about_me'"], warnings: [] })
    expect(document.created.path).toMatch(new RegExp(`${document.created.id}_about_me\\.ts$`))
    expect(await revisionFiles(project)).toHaveLength(3)
  })

  it('migrate and check refuse while the database is behind head, and write nothing', async () => {
    const behind = await tsdb('db', 'migrate', '-m', 'too early')
    expect(behind.code).toBe(1)
    expect(behind.stdout).toBe('')
    expect(behind.stderr).toMatch(/^Error: Target database is not up to date\./)
    expect(await revisionFiles(project)).toHaveLength(3)
    const checkBehind = await tsdb('db', 'check')
    expect(checkBehind.code).toBe(1)
    expect(checkBehind.stderr).toMatch(/^Error: Target database is not up to date\./)
  })

  it('after upgrade, check --json and migrate --json report nothing to do', async () => {
    expect((await tsdb('db', 'upgrade')).code).toBe(0)
    const clean = await tsdb('db', 'check', '--json')
    expect(clean.code).toBe(0)
    expect(JSON.parse(clean.stdout)).toEqual({ detected: [] })
    const nothing = await tsdb('db', 'migrate', '--json')
    expect(nothing.code).toBe(0)
    expect(JSON.parse(nothing.stdout)).toEqual({ created: null, detected: [], warnings: [], risks: [] })
  })

  it('revision --autogenerate is migrate', async () => {
    await writeSchema(project, `${USER_TABLE.replace('password_hash', 'about_me: t.varchar(140),\n    password_hash')}\n${POST_TABLE.replace('body:', 'title: t.text(),\n    body:')}`)
    const result = await tsdb('db', 'revision', '--autogenerate', '-m', 'post title')
    expect(result.code).toBe(0)
    expect(result.stderr).toBe("Detected added column 'post.title'\n")
    const text = await readFile(generated(result, 'post_title'), 'utf8')
    expect(text).toContain("await db.schema.alterTable('post').addColumn('title', 'text').execute()")
    expect(text).toContain("await db.schema.alterTable('post').dropColumn('title').execute()")
    expect((await tsdb('db', 'upgrade')).code).toBe(0)
    const again = await tsdb('db', 'revision', '--autogenerate', '-m', 'again')
    expect(again).toEqual({ code: 0, stdout: '', stderr: 'No changes in schema detected.\n' })
  })

  it('postWrite commands from the config run on the new file', async () => {
    await writeFile(
      join(project, 'mark.mjs'),
      "import { appendFileSync } from 'node:fs'\nappendFileSync(process.argv[2], '// formatted by mark.mjs\\n')\n",
    )
    await writeFile(
      join(project, 'tsdb.config.ts'),
      "import { defineConfig } from 'tsdb-migrate'\n\nexport default defineConfig({ postWrite: ['node mark.mjs {file}'] })\n",
    )
    await writeSchema(project, `${USER_TABLE.replace('password_hash', 'about_me: t.varchar(140),\n    password_hash')}\n${POST_TABLE.replace('body:', 'title: t.text(),\n    body:')}\n  tag: table({ id: t.serial().primaryKey() }),`)
    const result = await tsdb('db', 'migrate', '-m', 'tags')
    expect(result.code).toBe(0)
    const text = await readFile(generated(result, 'tags'), 'utf8')
    expect(text.endsWith('// formatted by mark.mjs\n')).toBe(true)
    expect(text).toContain(".createTable('tag')")
  })
})
