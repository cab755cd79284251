import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, it } from 'vitest'
import { describeEachDatabase } from '../../helpers/databases.js'
import {
  createInitializedProject,
  execute,
  expectCleanError,
  rawRevision,
  resetDatabase,
  runAgainst,
  tableRevision,
  writeFiles,
  type ExpectedError,
} from './catalogue.js'

/**
 * Broken revision files and migrations folders. Each case is a fresh project whose files are
 * given; `upgrade` must refuse before it changes anything in the database, at base and after a
 * first revision was applied.
 */
interface Case {
  readonly name: string
  readonly files: Readonly<Record<string, string>>
  readonly args?: readonly string[]
  readonly expected: ExpectedError
  /** Delete the migrations folder (a project without `init`). */
  readonly withoutMigrations?: boolean
}

const V = 'migrations/versions'
const base = { [`${V}/aaaa1111_a.ts`]: tableRevision('aaaa1111', null, 'a') }
const header = (revision: string, downRevision = `'aaaa1111'`) =>
  `export const revision = ${revision}\nexport const downRevision = ${downRevision}`

const cases: readonly Case[] = [
  {
    name: 'a syntax error in the code',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision(header("'bbbb2222'"), 'export async function up( {\n') },
    expected: { exit: 1, what: /bbbb2222_b\.ts: the revision file failed to load: .*\(line \d+, column \d+\)/, todo: /fix the file and run the command again/ },
  },
  {
    name: 'a syntax error in the header (unterminated string)',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision("export const revision = 'bbbb2222\nexport const downRevision = 'aaaa1111'") },
    expected: { exit: 1, what: /bbbb2222_b\.ts:\d+: unterminated string/, todo: /fix the file/ },
  },
  {
    name: 'no revision export',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision("export const downRevision = 'aaaa1111'") },
    expected: { exit: 1, what: /bbbb2222_b\.ts: revision must be a string literal .*; it is missing/, todo: /export const revision = 'ae1027a6acf'/ },
  },
  {
    name: 'a revision that is a number',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision(header('12')) },
    expected: { exit: 1, what: /revision must be a string literal .*; got the number 12/, todo: /export const revision = 'ae1027a6acf'/ },
  },
  {
    name: 'a revision computed by an expression',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision(header("'bbbb' + '2222'")) },
    expected: { exit: 1, what: /revision must be a string literal .*got the expression/, todo: /only literals can be read/ },
  },
  {
    name: 'no downRevision export',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision("export const revision = 'bbbb2222'") },
    expected: { exit: 1, what: /downRevision must be null .*; it is missing/, todo: /null \(a first revision\), a revision id/ },
  },
  {
    name: 'a downRevision that is a number',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision(header("'bbbb2222'", '5')) },
    expected: { exit: 1, what: /downRevision must be null .*; got the number 5/, todo: /an array of them \(a merge\)/ },
  },
  {
    name: 'branchLabels of the wrong type',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision(`${header("'bbbb2222'")}\nexport const branchLabels = true`) },
    expected: { exit: 1, what: /branchLabels must be null, a label .*; got true/, todo: /or an array of labels/ },
  },
  {
    name: "a branch label with '@'",
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision(`${header("'bbbb2222'")}\nexport const branchLabels = 'a@b'`) },
    expected: { exit: 1, what: /branchLabels must be labels without '@'/, todo: /without '@'/ },
  },
  {
    name: 'transactional that is not a boolean',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision(`${header("'bbbb2222'")}\nexport const transactional = 'no'`) },
    expected: { exit: 1, what: /transactional must be true or false; got 'no'/, todo: /must be true or false/ },
  },
  {
    name: 'an export declared twice',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision(`${header("'bbbb2222'")}\nexport const revision = 'cccc3333'`) },
    expected: { exit: 1, what: /bbbb2222_b\.ts:\d+: .*revision/, todo: /fix the file/ },
  },
  {
    name: 'no up export',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision(header("'bbbb2222'"), 'export async function down() {}\n') },
    expected: { exit: 1, what: /bbbb2222_b\.ts: a revision must export/, todo: /export `async function up\(db: Kysely<any>\)`/ },
  },
  {
    name: 'an up that is not a function',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision(header("'bbbb2222'"), 'export const up = 42\n') },
    expected: { exit: 1, what: /bbbb2222_b\.ts: a revision must export/, todo: /export `async function up\(db: Kysely<any>\)`/ },
  },
  {
    name: 'a down that is not a function',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision(header("'bbbb2222'"), "export async function up() {}\nexport const down = 'drop'\n") },
    expected: { exit: 1, what: /bbbb2222_b\.ts: `down` must be a function like up/, todo: /export async function down\(db: Kysely<any>\)`\), or not exported at all/ },
  },
  {
    name: 'a file that throws when imported',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision(header("'bbbb2222'"), "throw new Error('not today')\nexport async function up() {}\n") },
    expected: { exit: 1, what: /bbbb2222_b\.ts: the revision file failed to load: not today/, todo: /fix the file and run the command again/ },
  },
  {
    name: 'a file importing a package that is not installed',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision(header("'bbbb2222'"), "import 'no-such-package-tsdb'\nexport async function up() {}\n") },
    expected: { exit: 1, what: /failed to load: Cannot find module 'no-such-package-tsdb'/, todo: /fix the file and run the command again/ },
  },
  {
    name: 'a duplicate revision id',
    files: { ...base, [`${V}/aaaa1111_again.ts`]: tableRevision('aaaa1111', null, 'again') },
    expected: { exit: 1, what: /Revision aaaa1111 is present more than once: in .*aaaa1111_a\.ts and in .*aaaa1111_again\.ts/, todo: /give one of them another revision id/ },
  },
  {
    name: 'a missing parent',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: tableRevision('bbbb2222', 'ffff0000', 'b') },
    expected: { exit: 1, what: /Revision ffff0000 referenced from bbbb2222 is not present/, todo: /fix its downRevision or restore the missing revision file/ },
  },
  {
    name: 'a cycle',
    files: {
      ...base,
      [`${V}/bbbb2222_b.ts`]: tableRevision('bbbb2222', 'cccc3333', 'b'),
      [`${V}/cccc3333_c.ts`]: tableRevision('cccc3333', 'bbbb2222', 'c'),
    },
    expected: { exit: 1, what: /Cycle is detected in revisions \(bbbb2222, cccc3333\)/, todo: /fix the downRevision of one of/ },
  },
  {
    name: 'a revision naming itself as its parent',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: tableRevision('bbbb2222', 'bbbb2222', 'b') },
    expected: { exit: 1, what: /Self-loop is detected in revisions \(bbbb2222\)/, todo: /fix its downRevision/ },
  },
  {
    name: 'an unknown dependsOn',
    files: { ...base, [`${V}/bbbb2222_b.ts`]: rawRevision(`${header("'bbbb2222'")}\nexport const dependsOn = 'nothere'`) },
    expected: { exit: 1, what: /depends on 'nothere', which is neither a revision nor a branch label/, todo: /fix its dependsOn/ },
  },
  {
    name: 'a branch label used twice',
    files: {
      ...base,
      [`${V}/bbbb2222_b.ts`]: rawRevision(`${header("'bbbb2222'")}\nexport const branchLabels = 'shop'`),
      [`${V}/cccc3333_c.ts`]: rawRevision(`${header("'cccc3333'")}\nexport const branchLabels = 'shop'`),
    },
    expected: { exit: 1, what: /Branch name 'shop' in revision .* already used by revision/, todo: /choose another branch label/ },
  },
  {
    name: 'a file name that does not start with the revision id',
    files: { ...base, [`${V}/add_users.ts`]: tableRevision('bbbb2222', 'aaaa1111', 'b') },
    expected: { exit: 1, what: /add_users\.ts: the file name must start with its revision id 'bbbb2222'/, todo: /e\.g\. bbbb2222_add_users\.ts/ },
  },
  {
    name: 'no migrations folder',
    files: {},
    withoutMigrations: true,
    expected: { exit: 1, what: /No migrations folder at .*migrations/, todo: /run `tsdb db init` to create it/ },
  },
  {
    name: 'a -d folder that does not exist',
    files: base,
    args: ['upgrade', '-d', 'no-such-folder'],
    expected: { exit: 1, what: /No migrations folder at .*no-such-folder/, todo: /run `tsdb db init`/ },
  },
]

/** The database as `upgrade aaaa1111` leaves it, written directly: the cases' graphs are broken. */
const AT_AAAA1111 =
  'create table alembic_version (version_num varchar(32) not null, constraint alembic_version_pkc primary key (version_num)); ' +
  "insert into alembic_version values ('aaaa1111'); create table a (id integer primary key)"

describeEachDatabase(
  'bad input: revision files',
  (ctx) => {
    beforeAll(() => execute(ctx, AT_AAAA1111))

    for (const testCase of cases) {
      it(`${testCase.name}: leaves the database at aaaa1111 as it was`, async () => {
        const project = await createInitializedProject()
        await writeFiles(project, testCase.files)
        if (testCase.withoutMigrations === true) await rm(join(project, 'migrations'), { recursive: true })
        const args = ['db', ...(testCase.args ?? ['upgrade'])]
        expectCleanError(await runAgainst(ctx, project, args), testCase.expected)
        if (testCase.withoutMigrations === true || testCase.args !== undefined) return
        // Offline, the same files fail the same way.
        expectCleanError(await runAgainst(ctx, project, ['db', 'upgrade', '--sql']), testCase.expected)
      })
    }

    // The runner plans and loads every module before it creates the version table, so a run
    // that fails on a broken file leaves a fresh database without an alembic_version.
    it('from base, a broken revision file leaves no version table behind', async () => {
      await resetDatabase(ctx)
      try {
        const project = await createInitializedProject()
        await writeFiles(project, cases[0]!.files)
        expectCleanError(await runAgainst(ctx, project, ['db', 'upgrade']), cases[0]!.expected)
      } finally {
        await resetDatabase(ctx)
        await execute(ctx, AT_AAAA1111)
      }
    })
  },
  ['postgres'],
)

// A few of the same cases on the embedded database, where a failed run must also release the folder.
describeEachDatabase(
  'bad input: revision files',
  (ctx) => {
    beforeAll(() => execute(ctx, AT_AAAA1111))
    for (const testCase of cases.filter((c) => /syntax error in the code|a cycle|no up export/.test(c.name))) {
      it(`${testCase.name}`, async () => {
        const project = await createInitializedProject()
        await writeFiles(project, testCase.files)
        expectCleanError(await runAgainst(ctx, project, ['db', 'upgrade']), testCase.expected)
        // The folder lock was released: a second run gets the same answer, not a lock timeout.
        expectCleanError(await runAgainst(ctx, project, ['db', 'upgrade']), testCase.expected)
      })
    }
  },
  ['pglite'],
)
