import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, openPostgres, type TestDatabase } from '../../helpers/databases.js'
import { createProject, revisionFileText, runTsdb } from '../../helpers/run-cli.js'
import { createFlaskProject, FLASK_APT_PACKAGES, flaskDb, hasFlaskMigrate, readVersionRows, writePortedProject } from './microblog.js'

/**
 * tsdb and the real Flask-Migrate (Debian's python3-flask-migrate: Flask-Migrate 4.0.4, Alembic
 * 1.8.1) on one database. Nothing tsdb keeps for itself may show up in Alembic's autogenerate,
 * and either tool moves the database where the other one reads it.
 *
 * CI must run this (.ci/run installs the packages): there a missing Flask-Migrate fails the file.
 * Elsewhere it is skipped, and the skip names the packages to install.
 */
const present = hasFlaskMigrate()
if (!present && process.env.CI) {
  throw new Error(`CI runs the Flask-Migrate tests: apt-get install -y ${FLASK_APT_PACKAGES} (.ci/run does)`)
}
const title = (name: string) => (present ? name : `${name} (skipped: /usr/bin/python3 has no Flask-Migrate; apt-get install ${FLASK_APT_PACKAGES})`)

const ABOUT_ME_PY = `"""about me

Revision ID: c0ffee000001
Revises: 935acf0391fb
Create Date: 2026-12-07 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = 'c0ffee000001'
down_revision = '935acf0391fb'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('user', sa.Column('about_me', sa.String(length=140), nullable=True))


def downgrade():
    op.drop_column('user', 'about_me')
`

describe.skipIf(!present)(title('tsdb beside Flask-Migrate on one database'), () => {
  let database: TestDatabase
  let project: string
  let flaskDir: string
  const tsdb = (...args: string[]) => runTsdb(['db', ...args], { cwd: project, env: { DATABASE_URL: database.url } })
  const flask = (args: readonly string[], stage?: string) => flaskDb(flaskDir, database.url, args, stage)
  const flaskVersions = async () => (await readdir(join(flaskDir, 'migrations', 'versions'))).filter((f) => f.endsWith('.py')).sort()
  const expectNoChanges = async (stage?: string) => {
    const before = await flaskVersions()
    const migrate = await flask(['migrate', '-m', 'anything?'], stage)
    expect(migrate.output).not.toMatch(/autogenerate\.compare\] Detected/)
    expect(migrate.output).toMatch(/No changes in schema detected\./)
    expect(migrate.code, migrate.output).toBe(0)
    expect(await flaskVersions()).toEqual(before)
  }
  const versionRows = () => readVersionRows(database.url)

  beforeAll(async () => {
    project = await createProject()
    await writePortedProject(project)
    flaskDir = await mkdtemp(join(tmpdir(), 'tsdb-flask-'))
    await createFlaskProject(flaskDir)
  })
  afterAll(async () => {
    await database?.drop()
  })

  describe('a database tsdb upgraded', () => {
    beforeAll(async () => {
      database = await createTestDatabase()
    })
    afterAll(async () => {
      await database.drop()
    })

    it('flask db migrate finds no changes: tsdb\'s own tables are not in the schema Alembic compares', async () => {
      const upgrade = await tsdb('upgrade')
      expect(upgrade.code, upgrade.stderr).toBe(0)
      // tsdb did keep its log: not in public, where Alembic would see it.
      const db = openPostgres(database.url, 1)
      try {
        const { rows } = await sql<{ name: string }>`
          select table_schema || '.' || table_name as name from information_schema.tables
          where table_name like 'tsdb\\_%' order by 1`.execute(db)
        expect(rows.map((row) => row.name)).toEqual(['tsdb_meta.tsdb_revision_log'])
      } finally {
        await db.destroy()
      }
      await expectNoChanges()
      expect((await flask(['current'])).output).toContain('935acf0391fb (head)')
    })
  })

  describe('a database Flask-Migrate created', () => {
    beforeAll(async () => {
      database = await createTestDatabase()
    })

    it('keeps working with both tools, whichever moves it', async () => {
      const created = await flask(['upgrade'])
      expect(created.code, created.output).toBe(0)
      expect((await tsdb('current')).stdout).toBe('935acf0391fb (head)\n')

      // One new revision, written for each tool with the same id; tsdb applies it.
      await writeFile(join(flaskDir, 'migrations', 'versions', 'c0ffee000001_about_me.py'), ABOUT_ME_PY)
      await writeFile(join(project, 'migrations', 'versions', 'c0ffee000001_about_me.ts'), revisionFileText({
        id: 'c0ffee000001', message: 'about me', down: '935acf0391fb',
        up: `await db.schema.alterTable('user').addColumn('about_me', 'varchar(140)').execute()`,
        down_: `await db.schema.alterTable('user').dropColumn('about_me').execute()`,
      }))
      const upgrade = await tsdb('upgrade')
      expect(upgrade.stderr).toBe('Running upgrade 935acf0391fb -> c0ffee000001, about me\n')
      expect((await flask(['current'])).output).toContain('c0ffee000001 (head)')
      await expectNoChanges('3')

      // Flask-Migrate takes it back down and up again; tsdb follows.
      const down = await flask(['downgrade'], '3')
      expect(down.code, down.output).toBe(0)
      expect(await versionRows()).toEqual(['935acf0391fb'])
      expect((await tsdb('current')).stdout).toBe('935acf0391fb\n')
      const up = await flask(['upgrade'], '3')
      expect(up.code, up.output).toBe(0)
      expect((await tsdb('current')).stdout).toBe('c0ffee000001 (head)\n')
      const tsdbDown = await tsdb('downgrade', '935acf0391fb')
      expect(tsdbDown.code, tsdbDown.stderr).toBe(0)
      expect((await flask(['current'])).output).toMatch(/^935acf0391fb$/m)
      expect((await flask(['upgrade'], '3')).code).toBe(0)
      await expectNoChanges('3')
    })
  })
})
