import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, expect, it } from 'vitest'
import { describeEachDatabase } from '../../helpers/databases.js'
import { runTsdb } from '../../helpers/run-cli.js'
import { createInitializedProject, execute, expectCleanError, resetDatabase, runAgainst, tableRevision, writeFiles } from './catalogue.js'

/**
 * Bad states of the database and failing migrations, on PostgreSQL and on PGlite: a revision
 * whose `up` throws, one without `down`, a version table naming an unknown revision or shaped
 * unlike Alembic's, and schema declarations `migrate` cannot use. Each leaves the database as
 * it was.
 */
const V = 'migrations/versions'
const THROWING_UP = "throw new Error('payment provider unreachable')"

describeEachDatabase('bad input: database state', (ctx) => {
  // Every case on PostgreSQL; on PGlite (a few seconds per open) the ones whose path differs.
  const pgOnly = (name: string, fn: () => Promise<void>) => {
    if (ctx.backend === 'postgres') it(name, fn)
  }
  let project: string
  const upgradeTo = async (target: string) => {
    await ctx.closeAll()
    const result = await runTsdb(['db', 'upgrade', target], { cwd: project, env: { DATABASE_URL: ctx.url } })
    expect(result.code, result.stderr).toBe(0)
  }

  beforeEach(async () => {
    await resetDatabase(ctx)
    project = await createInitializedProject()
    await writeFiles(project, { [`${V}/aaaa1111_a.ts`]: tableRevision('aaaa1111', null, 'a') })
    await upgradeTo('aaaa1111')
  })

  it("a revision whose up throws: the error names the revision, its file and the cause; nothing of it stays", async () => {
    await writeFiles(project, { [`${V}/bbbb2222_b.ts`]: tableRevision('bbbb2222', 'aaaa1111', 'b', { up: THROWING_UP }) })
    const line = expectCleanError(await runAgainst(ctx, project, ['db', 'upgrade', '-q']), {
      exit: 1,
      what: /Running upgrade aaaa1111 -> bbbb2222 failed in .*bbbb2222_b\.ts: payment provider unreachable/,
      todo: /Fix the revision file and run the command again; `tsdb db current` shows where the database is/,
    })
    expect(line).not.toContain(ctx.url)
  })

  pgOnly('a revision whose SQL fails: the error shows the statement and the database error', async () => {
    await writeFiles(project, {
      [`${V}/bbbb2222_b.ts`]: tableRevision('bbbb2222', 'aaaa1111', 'b', { up: "await db.schema.alterTable('missing').addColumn('x', 'integer').execute()" }),
    })
    expectCleanError(await runAgainst(ctx, project, ['db', 'upgrade', '-q']), {
      exit: 1,
      what: /Running upgrade aaaa1111 -> bbbb2222 failed in .*bbbb2222_b\.ts: relation "missing" does not exist \(statement: alter table "missing"/,
      todo: /Fix the revision file and run the command again/,
    })
  })

  pgOnly('a revision whose up throws in the middle of a multi-revision run rolls back the whole run', async () => {
    await writeFiles(project, {
      [`${V}/bbbb2222_b.ts`]: tableRevision('bbbb2222', 'aaaa1111', 'b'),
      [`${V}/cccc3333_c.ts`]: tableRevision('cccc3333', 'bbbb2222', 'c', { up: THROWING_UP }),
    })
    expectCleanError(await runAgainst(ctx, project, ['db', 'upgrade', '-q']), {
      exit: 1,
      what: /Running upgrade bbbb2222 -> cccc3333 failed in .*cccc3333_c\.ts: payment provider unreachable/,
      todo: /run the command again/,
    })
  })

  it('a down that is missing: downgrade refuses before it changes anything', async () => {
    await writeFiles(project, { [`${V}/bbbb2222_b.ts`]: tableRevision('bbbb2222', 'aaaa1111', 'b', { down: null }) })
    await upgradeTo('head')
    expectCleanError(await runAgainst(ctx, project, ['db', 'downgrade', '-q']), {
      exit: 1,
      what: /revision bbbb2222 \(.*bbbb2222_b\.ts\) has no down\(\); it cannot be downgraded/,
      todo: /Fix the revision file and run the command again/,
    })
    // base goes through bbbb2222 first: the same refusal, and aaaa1111 is not reverted either.
    expectCleanError(await runAgainst(ctx, project, ['db', 'downgrade', 'base', '-q']), {
      exit: 1,
      what: /revision bbbb2222 .* has no down\(\)/,
      todo: /run the command again/,
    })
  })

  pgOnly('a down that throws: the revision stays applied', async () => {
    await writeFiles(project, { [`${V}/bbbb2222_b.ts`]: tableRevision('bbbb2222', 'aaaa1111', 'b', { down: THROWING_UP }) })
    await upgradeTo('head')
    expectCleanError(await runAgainst(ctx, project, ['db', 'downgrade', '-q']), {
      exit: 1,
      what: /Running downgrade bbbb2222 -> aaaa1111 failed in .*bbbb2222_b\.ts: payment provider unreachable/,
      todo: /run the command again/,
    })
  })

  const UNKNOWN_ROW = {
    exit: 1,
    what: /Can't locate revision identified by 'ffff9999': the database's alembic_version table names a revision no file in the migrations folder defines/,
    todo: /restore the file, or run `tsdb db stamp --purge <revision>`/,
  } as const

  for (const args of [['upgrade'], ['downgrade'], ['stamp', 'head'], ['current'], ['upgrade', '+1'], ['downgrade', 'base']]) {
    ;(args.length === 1 && (args[0] === 'upgrade' || args[0] === 'current') ? it : pgOnly)(`a version table naming an unknown revision: ${args.join(' ')}`, async () => {
      await execute(ctx, "update alembic_version set version_num = 'ffff9999'")
      expectCleanError(await runAgainst(ctx, project, ['db', ...args, '-q']), UNKNOWN_ROW)
    })
  }

  const NO_VERSIONS_FOLDER = (id: string) =>
    ({
      exit: 1,
      what: new RegExp(`Can't locate revision identified by '${id}': the versions folder migrations/versions does not exist, so there are no revision files`),
      todo: /restore it with its files, point -d\/--directory at the migrations folder that has them, or create it \(`tsdb db init` makes a new migrations folder with it; `tsdb db revision` creates it with the first revision\)/,
    }) as const

  for (const args of [['current'], ['upgrade'], ['downgrade', 'base'], ['stamp', 'head'], ['upgrade', 'aaaa1111'], ['show', 'aaaa1111']]) {
    ;(args[0] === 'current' ? it : pgOnly)(`a missing versions folder is named, not the revision: ${args.join(' ')}`, async () => {
      await rm(join(project, V), { recursive: true })
      const wanted = args[0] === 'show' || args[0] === 'stamp' ? args[1] ?? '' : 'aaaa1111'
      expectCleanError(await runAgainst(ctx, project, ['db', ...args, '-q']), NO_VERSIONS_FOLDER(wanted === 'head' ? 'aaaa1111' : wanted))
    })
  }

  it('a version table naming an unknown revision is repaired by stamp --purge (the advice works)', async () => {
    await execute(ctx, "update alembic_version set version_num = 'ffff9999'")
    await ctx.closeAll()
    const result = await runTsdb(['db', 'stamp', '--purge', 'aaaa1111'], { cwd: project, env: { DATABASE_URL: ctx.url } })
    expect(result.code, result.stderr).toBe(0)
    const current = await runTsdb(['db', 'current'], { cwd: project, env: { DATABASE_URL: ctx.url } })
    expect(current.stdout.trim()).toBe('aaaa1111 (head)')
  })

  for (const args of [['upgrade'], ['current'], ['stamp', 'head'], ['downgrade']]) {
    ;(args[0] === 'upgrade' ? it : pgOnly)(`a version table without a version_num column: ${args.join(' ')}`, async () => {
      await execute(ctx, 'alter table alembic_version rename column version_num to revision')
      expectCleanError(await runAgainst(ctx, project, ['db', ...args, '-q']), {
        exit: 1,
        what: /Table 'alembic_version' exists but has no version_num column \(found columns revision\)/,
        todo: /Rename or drop that table, or set versionTable in the tsdb config to another name/,
      })
    })
  }

  pgOnly('migrate on a database that is not at head', async () => {
    await writeFiles(project, {
      [`${V}/bbbb2222_b.ts`]: tableRevision('bbbb2222', 'aaaa1111', 'b'),
      'src/schema.ts': "import { defineSchema } from 'tsdb-migrate'\nexport const schema = defineSchema({})\n",
    })
    expectCleanError(await runAgainst(ctx, project, ['db', 'migrate', '-m', 'x']), {
      exit: 1,
      what: /Target database is not up to date\. It is at aaaa1111/,
      todo: /run `tsdb db upgrade` first/,
    })
  })

  for (const [name, schema, expected] of [
    ['a schema module that does not exist', null, { what: /No schema declaration at .*src\/schema\.ts/, todo: /create it \(export const schema = defineSchema/ }],
    ['a schema module that throws', "throw new Error('env missing')\n", { what: /Could not load the schema declaration .*schema\.ts: env missing/, todo: /fix the file/ }],
    ['a schema module with a syntax error', 'export const schema = defineSchema({\n', { what: /Could not load the schema declaration .*: .*\(line \d+, column \d+\)/, todo: /fix the file/ }],
    ['a schema module that exports nothing', 'export const other = 1\n', { what: /schema\.ts exports no schema/, todo: /add `export const schema = defineSchema/ }],
    ['a schema module exporting something else', 'export const schema = { tables: [] }\n', { what: /the exported schema is not a schema declaration/, todo: /build it with defineSchema/ }],
    [
      'a schema declaration referencing an unknown table',
      "import { defineSchema, table, t } from 'tsdb-migrate'\nexport const schema = defineSchema({ post: table({ user_id: t.integer().references('nobody.id') }) })\n",
      { what: /Invalid schema declaration.*nobody/, todo: /nobody/ },
    ],
    [
      'an enum named with a dot',
      "import { defineSchema, enumType, table, t } from 'tsdb-migrate'\nexport const schema = defineSchema({ person: table({ mood: t.enum(enumType('my.mood', ['ok'])) }) })\n",
      { what: /Invalid schema declaration: enum 'my\.mood': an enum name cannot contain '\.'/, todo: /put the type in a schema with the schema option/ },
    ],
  ] as const) {
    ;(name === 'a schema module that throws' ? it : pgOnly)(`migrate with ${name}`, async () => {
      if (schema !== null) await writeFiles(project, { 'src/schema.ts': schema })
      const args = ['db', 'migrate', '-m', 'next']
      const before = await readdir(join(project, V))
      expectCleanError(await runAgainst(ctx, project, args), { exit: 1, ...expected })
      expect(await readdir(join(project, V))).toEqual(before)
    })
  }
})
