/**
 * `tsdb db lint` as a user runs it: which revisions and transactions a range means, the exit
 * code, `--json`, and silencing per statement (lintAllow, a comment) and per project (config).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProject, revisionFileText, runTsdb, type CliResult } from '../../helpers/run-cli.js'

let project: string
const versions = () => join(project, 'migrations', 'versions')

async function writeRevision(id: string, down: string | null, up: string, options: { transactional?: boolean; imports?: string } = {}) {
  const text = revisionFileText({ id, message: id, down, up, ...(options.transactional === false && { transactional: false }) })
  await writeFile(join(versions(), `${id}_${id}.ts`), options.imports === undefined ? text : text.replace("from 'kysely'\n", `from 'kysely'\n${options.imports}\n`))
}

const lint = (...args: string[]): Promise<CliResult> => runTsdb(['db', 'lint', ...args], { cwd: project })
const rulesOf = (result: CliResult): string[] => {
  const doc = JSON.parse(result.stdout) as { findings?: { rule: string }[]; lint?: { findings: { rule: string }[] } }
  return (doc.findings ?? doc.lint?.findings ?? []).map((f) => f.rule)
}

beforeAll(async () => {
  project = await createProject()
  await mkdir(versions(), { recursive: true })
  await writeRevision('a00000000001', null, "await sql`create table account (id serial primary key, email text, balance integer)`.execute(db)")
  await writeRevision('a00000000002', 'a00000000001', "await sql`alter table account add constraint ck_balance check (balance >= 0) not valid`.execute(db)")
  await writeRevision('a00000000003', 'a00000000002', "await sql`alter table account validate constraint ck_balance`.execute(db)")
})

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

describe('tsdb db lint', () => {
  it('checks each revision alone by default, and a range as the one transaction upgrade runs it in', async () => {
    const alone = await lint('--json')
    expect(alone.code, alone.stderr).toBe(0)
    expect(rulesOf(alone)).not.toContain('validate-in-add-transaction')
    expect(JSON.parse(alone.stdout).revisions).toBe(3)

    const range = await lint('a00000000001:a00000000003', '--json')
    expect(range.code).toBe(1)
    expect(rulesOf(range)).toEqual(['strong-lock', 'validate-in-add-transaction'])
    expect(range.stderr).toContain('Error: tsdb db lint: 1 error-level finding.')

    // Committed apart, the VALIDATE no longer runs under the ADD's lock.
    await writeFile(join(project, '.tsdbrc.json'), JSON.stringify({ transactionPerMigration: true }))
    try {
      const perMigration = await lint('a00000000001:a00000000003', '--json')
      expect(perMigration.code, perMigration.stdout).toBe(0)
      expect(rulesOf(perMigration)).toEqual(['strong-lock'])
    } finally {
      await rm(join(project, '.tsdbrc.json'))
    }
  })

  it('prints each finding with its statement, lock, why and safe rewrite, and exits 1 on an error', async () => {
    await writeRevision('a00000000004', 'a00000000003', "await db.schema.createIndex('ix_account_email').on('account').column('email').execute()")
    try {
      const result = await lint('a00000000004')
      expect(result.code).toBe(1)
      expect(result.stdout.split('\n')).toEqual([
        'migrations/versions/a00000000004_a00000000004.ts (a00000000004)',
        '  error create-index-blocks-writes: create index "ix_account_email" on "account" ("email")',
        '    lock: SHARE on account',
        '    why: builds the index by reading all of account while holding SHARE on it: every INSERT, UPDATE and DELETE on account waits until the build ends',
        '    safe: CREATE INDEX CONCURRENTLY, in a revision of its own with `export const transactional = false` (it cannot run inside a transaction)',
        '1 revision checked: 1 error, 0 warnings',
        '',
      ])
    } finally {
      await rm(join(versions(), 'a00000000004_a00000000004.ts'))
    }
  })

  it('silences a statement through lintAllow or a comment, with a reason, and the project through the config', async () => {
    await writeRevision(
      'a00000000005',
      'a00000000003',
      [
        "await lintAllow(db, 'create-index-blocks-writes', 'account has 12 rows').schema.createIndex('ix_account_email').on('account').column('email').execute()",
        "await sql`/* tsdb-lint allow add-constraint-scans: checked by hand */ alter table account add constraint ck_email check (email <> '')`.execute(db)",
        'await sql`/* tsdb-lint allow drop-column */ alter table account drop column balance`.execute(db)',
      ].join('\n  '),
      { imports: "import { lintAllow } from 'tsdb-migrate'" },
    )
    try {
      const result = await lint('a00000000005', '--json')
      expect(result.code, result.stdout).toBe(0)
      const findings = (JSON.parse(result.stdout) as { findings: { rule: string; allowed?: { reason: string; by: string } }[] }).findings
      const byRule = Object.fromEntries(findings.filter((f) => f.rule !== 'strong-lock').map((f) => [f.rule, f.allowed ?? null]))
      expect(byRule).toEqual({
        'create-index-blocks-writes': { reason: 'account has 12 rows', by: 'statement' },
        'add-constraint-scans': { reason: 'checked by hand', by: 'statement' },
        // A comment without a reason silences nothing, and says so.
        'lint-allow-invalid': null,
        'drop-column': null,
      })
      await writeFile(join(project, '.tsdbrc.json'), JSON.stringify({ lint: { allow: { 'drop-column': 'the app stopped reading balance' } } }))
      const configured = await lint('a00000000005', '--json')
      const dropColumn = (JSON.parse(configured.stdout) as { findings: { rule: string; allowed?: unknown }[] }).findings.find((f) => f.rule === 'drop-column')
      expect(dropColumn?.allowed).toEqual({ reason: 'the app stopped reading balance', by: 'config' })
      // Without the allowances, the same revision fails.
      await writeFile(join(versions(), 'a00000000005_a00000000005.ts'), (await import('node:fs')).readFileSync(join(versions(), 'a00000000005_a00000000005.ts'), 'utf8').replace(/lintAllow\(db, [^)]*\)/, 'db').replaceAll('/* tsdb-lint allow add-constraint-scans: checked by hand */', ''))
      const bare = await lint('a00000000005', '--json')
      expect(bare.code).toBe(1)
      expect(rulesOf(bare)).toEqual(expect.arrayContaining(['create-index-blocks-writes', 'add-constraint-scans']))
    } finally {
      await rm(join(project, '.tsdbrc.json'), { force: true })
      await rm(join(versions(), 'a00000000005_a00000000005.ts'))
    }
  })

  it('names the revision whose up() cannot run without a database', async () => {
    await writeRevision('a00000000006', 'a00000000003', 'const { rows } = await sql<{ id: number }>`select id from account limit 1`.execute(db)\n  await sql`delete from account where id = ${rows[0]!.id}`.execute(db)')
    try {
      const result = await lint('a00000000006')
      expect(result.code).toBe(1)
      expect(result.stderr.trim()).toMatch(/^Error: Could not lint migrations\/versions\/a00000000006_a00000000006.ts: its up\(\) failed on the recording executor \(.+\)\. lint runs up\(\) without a database, as upgrade --sql does, so a revision whose code needs the rows a query returns cannot be linted; fix the error, or lint a range without it$/)
    } finally {
      await rm(join(versions(), 'a00000000006_a00000000006.ts'))
    }
  })

  it('refuses an unknown rule in the config with one line', async () => {
    await writeFile(join(project, '.tsdbrc.json'), JSON.stringify({ lint: { allow: { 'drop-colum': 'typo' } } }))
    try {
      const result = await lint()
      expect(result.code).toBe(1)
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
      expect(result.stderr).toContain("lint.allow: unknown rule 'drop-colum' (known rules: add-column-rewrite,")
    } finally {
      await rm(join(project, '.tsdbrc.json'))
    }
  })
})
