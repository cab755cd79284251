import { readFile, rm } from 'node:fs/promises'
import { beforeAll, expect, it, vi } from 'vitest'
import { describeEachDatabase } from '../../helpers/databases.js'
import { createProject, runTsdb, type CliResult } from '../../helpers/run-cli.js'
import { query, readColumns, writeSchema } from './project.js'


// Each test spawns the CLI a few times; on PGlite each run opens the embedded database (about
// 1 s of CPU), which a loaded machine stretches well past the default timeout.
vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 })

/**
 * Renames on the real CLI: never guessed (drop + add with a warning), and made a rename by
 * `--rename` or `renamedFrom`, which keeps the rows; data loss is printed and marked in the file.
 */
describeEachDatabase('renames and data loss through migrate', (ctx) => {
  let project: string
  const tsdb = (...args: string[]): Promise<CliResult> => runTsdb(args, { cwd: project, env: { DATABASE_URL: ctx.url } })
  const generatedPath = (result: CliResult): string => {
    const match = /^Generating (\S+) \.\.\. {2}done\n$/.exec(result.stdout)
    expect(match, result.stdout + result.stderr).not.toBeNull()
    return match![1]!
  }
  const rows = (table: string) => query(ctx, (db) => db.selectFrom(table).selectAll().orderBy('id').execute())
  const columnsOf = async (table: string) =>
    (await query(ctx, readColumns)).filter((column) => column.table === table).map((column) => column.column)

  const withMail = `  user: table({
    id: t.serial().primaryKey(),
    mail: t.varchar(120).notNull(),
  }),`
  const withEmail = `  user: table({
    id: t.serial().primaryKey(),
    email: t.varchar(120).notNull(),
  }),`
  const account = withEmail.replace('user: table({', 'account: table({')

  beforeAll(async () => {
    project = await createProject()
    expect((await tsdb('db', 'init')).code).toBe(0)
    await writeSchema(project, withMail)
    expect((await tsdb('db', 'migrate', '-m', 'users')).code).toBe(0)
    expect((await tsdb('db', 'upgrade')).code).toBe(0)
    await query(ctx, (db) => db.insertInto('user').values({ mail: 'john@example.com' }).execute())
  })

  it('without a hint, a renamed column is a drop and an add, with warnings and a marked file', async () => {
    await writeSchema(project, withEmail)
    const result = await tsdb('db', 'migrate', '-m', 'email')
    expect(result.code).toBe(0)
    expect(result.stderr).toBe(
      "Detected removed column 'user.mail'\n" +
        "Detected added column 'user.email'\n" +
        "Warning: Column 'user.mail' was dropped and 'user.email' added; if this is a rename, use --rename user.mail:email or renamedFrom\n" +
        'Warning: Data loss: drops column "user"."mail"\n',
    )
    const path = generatedPath(result)
    const text = await readFile(path, 'utf8')
    expect(text).toContain('// WARNING: data loss — drops column "user"."mail"')
    expect(text).toContain(".dropColumn('mail')")
    expect(text).not.toContain('renameColumn')
    await rm(path)
  })

  it('--rename user.mail:email makes it a rename that keeps the rows, and downgrade renames back', async () => {
    const result = await tsdb('db', 'migrate', '-m', 'email', '--rename', 'user.mail:email')
    expect(result.code).toBe(0)
    expect(result.stderr).toBe("Detected renamed column 'user.mail' to 'email'\n")
    const path = generatedPath(result)
    const text = await readFile(path, 'utf8')
    expect(text).toContain(".renameColumn('mail', 'email')")
    expect(text).not.toContain('WARNING')
    expect((await tsdb('db', 'upgrade')).code).toBe(0)
    expect(await rows('user')).toEqual([{ id: 1, email: 'john@example.com' }])
    expect((await tsdb('db', 'downgrade')).code).toBe(0)
    expect(await rows('user')).toEqual([{ id: 1, mail: 'john@example.com' }])
    await rm(path)
  })

  it('a malformed --rename is a usage error', async () => {
    const result = await tsdb('db', 'migrate', '--rename', 'user.mail')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("Invalid --rename 'user.mail'")
  })

  it("renamedFrom('mail') in the declaration does the same", async () => {
    await writeSchema(project, withEmail.replace('t.varchar(120).notNull()', "t.varchar(120).notNull().renamedFrom('mail')"))
    const result = await tsdb('db', 'migrate', '-m', 'email')
    expect(result.code).toBe(0)
    expect(result.stderr).toBe("Detected renamed column 'user.mail' to 'email'\n")
    expect((await tsdb('db', 'upgrade')).code).toBe(0)
    expect(await rows('user')).toEqual([{ id: 1, email: 'john@example.com' }])
    // The hint stays in the declaration; once applied it matches nothing and changes nothing.
    expect(await tsdb('db', 'check')).toEqual({ code: 0, stdout: 'No new upgrade operations detected.\n', stderr: '' })
  })

  it('without a hint, a renamed table is a drop and a create, with warnings', async () => {
    await writeSchema(project, account)
    const unhinted = await tsdb('db', 'migrate', '-m', 'account')
    expect(unhinted.code).toBe(0)
    expect(unhinted.stderr).toContain(
      "Warning: Table 'user' was dropped and 'account' added; if this is a rename, use --rename user:account or renamedFrom\n",
    )
    expect(unhinted.stderr).toContain('Warning: Data loss: drops table "user" and all its rows\n')
    await rm(generatedPath(unhinted))
  })

  it('--rename user:account renames the table and keeps its rows', async () => {
    const result = await tsdb('db', 'migrate', '-m', 'account', '--rename', 'user:account')
    expect(result.code).toBe(0)
    // The primary key's index and the serial's sequence are renamed with the table, so a second
    // migrate finds nothing and the catalog is the one a fresh build of 'account' has.
    expect(result.stderr).toBe(
      "Detected renamed table 'user' to 'account'\nDetected renamed constraint 'user_pkey' to 'account_pkey' on 'account'\n" +
        "Detected renamed sequence 'user_id_seq' to 'account_id_seq' on column 'account.id'\n",
    )
    const path = generatedPath(result)
    expect(await readFile(path, 'utf8')).toContain("await db.schema.alterTable('user').renameTo('account').execute()")
    expect((await tsdb('db', 'upgrade')).code).toBe(0)
    expect(await rows('account')).toEqual([{ id: 1, email: 'john@example.com' }])
    expect((await tsdb('db', 'downgrade')).code).toBe(0)
    await rm(path)
  })

  it('renamedFrom on the table does the same', async () => {
    await writeSchema(project, account.replace('}),', "}, { renamedFrom: 'user' }),"))
    const hinted = await tsdb('db', 'migrate', '-m', 'account')
    expect(hinted.stderr).toBe(
      "Detected renamed table 'user' to 'account'\nDetected renamed constraint 'user_pkey' to 'account_pkey' on 'account'\n" +
        "Detected renamed sequence 'user_id_seq' to 'account_id_seq' on column 'account.id'\n",
    )
    expect((await tsdb('db', 'upgrade')).code).toBe(0)
    expect(await rows('account')).toEqual([{ id: 1, email: 'john@example.com' }])
  })

  it('a column added to the renamed table (its renamedFrom now matches nothing)', async () => {
    await writeSchema(project, `  account: table({ id: t.serial().primaryKey(), email: t.varchar(120).notNull(), note: t.text() }, { renamedFrom: 'user' }),`)
    expect((await tsdb('db', 'migrate', '-m', 'note')).code).toBe(0)
    expect((await tsdb('db', 'upgrade')).code).toBe(0)
    expect(await columnsOf('account')).toEqual(['id', 'email', 'note'])
  })

  it('dropping a column warns and marks the file', async () => {
    await writeSchema(project, `  account: table({ id: t.serial().primaryKey(), email: t.varchar(120).notNull() }),`)
    const column = await tsdb('db', 'migrate', '-m', 'drop note')
    expect(column.code).toBe(0)
    expect(column.stderr).toBe("Detected removed column 'account.note'\nWarning: Data loss: drops column \"account\".\"note\"\n")
    const columnText = await readFile(generatedPath(column), 'utf8')
    expect(columnText).toMatch(
      /\/\/ WARNING: data loss — drops column "account"\."note"\n\s+\/\/ lock: ACCESS EXCLUSIVE on account \(blocks reads and writes\); no scan, no rewrite; account: ~\d+ rows, \d+ kB\n\s+await db\.schema\.alterTable\('account'\)\.dropColumn\('note'\)/,
    )
    expect((await tsdb('db', 'upgrade')).code).toBe(0)
  })

  it('dropping a table warns and marks the file', async () => {
    await writeSchema(project, '')
    const table = await tsdb('db', 'migrate', '-m', 'drop account')
    expect(table.code).toBe(0)
    expect(table.stderr).toBe("Detected removed table 'account'\nWarning: Data loss: drops table \"account\" and all its rows\n")
    const tableText = await readFile(generatedPath(table), 'utf8')
    expect(tableText).toMatch(
      /\/\/ WARNING: data loss — drops table "account" and all its rows\n\s+\/\/ lock: ACCESS EXCLUSIVE on account \(blocks reads and writes\); no scan, no rewrite; account: ~\d+ rows, \d+ kB\n\s+await db\.schema\.dropTable\('account'\)/,
    )
    expect((await tsdb('db', 'upgrade')).code).toBe(0)
    expect(await query(ctx, readColumns)).toEqual([])
  })
})
