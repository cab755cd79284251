// The benchmark's projects, one per tool and case, doing the same work:
// - a linear chain of N revisions, each creating one small table `t_<i>` (id serial primary
//   key, name varchar(64)): tsdb revision files, Alembic files in a `flask db init` folder, and
//   Kysely migrations for kysely-ctl; the revision ids are the same for tsdb and Alembic;
// - a declaration of N tables `m_<i>` (6 columns, an index on `email`, a foreign key to the
//   previous table) as a tsdb schema and as Flask-SQLAlchemy models.
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCommand } from './measure.js'

export interface Paths {
  readonly repoRoot: string
  readonly work: string
  /** node_modules of bench/tools/kysely-ctl (kysely-ctl, its kysely and pg). */
  readonly kyselyCtlModules: string
  readonly python: string
}

export const revisionId = (index: number): string =>
  createHash('sha1').update(`tsdb-bench-${index}`).digest('hex').slice(0, 12)

const CREATE_DATE = '2026-11-21 18:24:31.081132'

/** A tsdb project: package.json, tsdb and kysely linked to this checkout, `tsdb db init`. */
async function tsdbProject(paths: Paths, dir: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'node_modules'), { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-app', private: true, type: 'module' }))
  symlinkSync(paths.repoRoot, join(dir, 'node_modules', 'tsdb-migrate'), 'dir')
  symlinkSync(join(paths.repoRoot, 'node_modules', 'kysely'), join(dir, 'node_modules', 'kysely'), 'dir')
  await runCommand({ file: process.execPath, args: [join(paths.repoRoot, 'bin', 'tsdb.js'), 'db', 'init'], cwd: dir })
}

const FLASK_APP = `import os

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config['SQLALCHEMY_DATABASE_URI'] = os.environ.get('DATABASE_URL', 'postgresql://127.0.0.1/unused')
app.config['SQLALCHEMY_TRACK_MODIFICATIONS'] = False
db = SQLAlchemy(app)
migrate = Migrate(app, db)

if os.path.exists(os.path.join(os.path.dirname(__file__), 'models.py')):
    import models  # noqa: F401

if os.environ.get('TSDB_BENCH_COUNT_QUERIES') == '1':
    # Counts the statements autogenerate sends (reported once, outside the timed runs).
    import atexit
    import re
    import sys

    from sqlalchemy import event

    counts = {'total': 0, 'catalog': 0}
    catalog = re.compile(r'pg_catalog|pg_class|pg_namespace|pg_attribute|pg_index|pg_constraint|information_schema', re.I)

    with app.app_context():
        @event.listens_for(db.engine, 'before_cursor_execute')
        def _count(conn, cursor, statement, parameters, context, executemany):
            counts['total'] += 1
            if catalog.search(statement):
                counts['catalog'] += 1

    atexit.register(lambda: print(f"bench-queries total={counts['total']} catalog={counts['catalog']}", file=sys.stderr))
`

/** A Flask project: app.py and a migrations folder made once by `flask db init`, then copied. */
async function flaskProject(paths: Paths, dir: string): Promise<void> {
  const template = join(paths.work, 'flask-init-template')
  if (!existsSync(join(template, 'migrations', 'env.py'))) {
    rmSync(template, { recursive: true, force: true })
    mkdirSync(template, { recursive: true })
    writeFileSync(join(template, 'app.py'), FLASK_APP)
    await runCommand({ file: paths.python, args: ['-m', 'flask', 'db', 'init'], cwd: template, env: { FLASK_APP: 'app' } })
  }
  rmSync(dir, { recursive: true, force: true })
  cpSync(join(template, 'migrations'), join(dir, 'migrations'), { recursive: true })
  writeFileSync(join(dir, 'app.py'), FLASK_APP)
}

/** A kysely-ctl project: kysely.config.ts on PostgresDialect, modules from bench/tools/kysely-ctl. */
function kyselyProject(paths: Paths, dir: string): void {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'migrations'), { recursive: true })
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-kysely', private: true, type: 'module' }))
  symlinkSync(paths.kyselyCtlModules, join(dir, 'node_modules'), 'dir')
  writeFileSync(
    join(dir, 'kysely.config.ts'),
    `import { PostgresDialect } from 'kysely'
import pg from 'pg'

export default {
  dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 }) }),
  migrations: { migrationFolder: 'migrations' },
}
`,
  )
}

const kyselyUp = (index: number) =>
  `await db.schema.createTable('t_${index}').addColumn('id', 'serial', (col) => col.primaryKey()).addColumn('name', 'varchar(64)').execute()`
const kyselyDown = (index: number) => `await db.schema.dropTable('t_${index}').execute()`

function tsdbRevision(index: number): string {
  const id = revisionId(index)
  const parent = index === 0 ? null : revisionId(index - 1)
  return `/**
 * table ${index}
 *
 * Revision ID: ${id}
 * Revises: ${parent ?? ''}
 * Create Date: ${CREATE_DATE}
 */
import type { Kysely } from 'kysely'

export const revision = '${id}'
export const downRevision = ${parent === null ? 'null' : `'${parent}'`}
export const branchLabels = null
export const dependsOn = null

export async function up(db: Kysely<any>): Promise<void> {
  ${kyselyUp(index)}
}

export async function down(db: Kysely<any>): Promise<void> {
  ${kyselyDown(index)}
}
`
}

function alembicRevision(index: number): string {
  const id = revisionId(index)
  const parent = index === 0 ? null : revisionId(index - 1)
  return `"""table ${index}

Revision ID: ${id}
Revises: ${parent ?? ''}
Create Date: ${CREATE_DATE}

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '${id}'
down_revision = ${parent === null ? 'None' : `'${parent}'`}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('t_${index}',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade():
    op.drop_table('t_${index}')
`
}

function kyselyMigration(index: number): string {
  return `import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  ${kyselyUp(index)}
}

export async function down(db: Kysely<any>): Promise<void> {
  ${kyselyDown(index)}
}
`
}

/** A tsdb project alone with a chain of N one-table revisions: the embedded database's cases need no other tool. */
export async function tsdbLinearProject(paths: Paths, n: number): Promise<string> {
  const dir = join(paths.work, `tsdb-linear-${n}`)
  await tsdbProject(paths, dir)
  for (let index = 0; index < n; index++) {
    writeFileSync(join(dir, 'migrations', 'versions', `${revisionId(index)}_table_${index}.ts`), tsdbRevision(index))
  }
  return dir
}

export interface LinearFixture {
  readonly n: number
  readonly tsdb: string
  readonly flask: string
  readonly kysely: string
}

export async function linearFixture(paths: Paths, n: number): Promise<LinearFixture> {
  const root = join(paths.work, `linear-${n}`)
  const fixture = { n, tsdb: join(root, 'tsdb'), flask: join(root, 'flask'), kysely: join(root, 'kysely') }
  await tsdbProject(paths, fixture.tsdb)
  await flaskProject(paths, fixture.flask)
  kyselyProject(paths, fixture.kysely)
  for (let index = 0; index < n; index++) {
    const id = revisionId(index)
    writeFileSync(join(fixture.tsdb, 'migrations', 'versions', `${id}_table_${index}.ts`), tsdbRevision(index))
    writeFileSync(join(fixture.flask, 'migrations', 'versions', `${id}_table_${index}.py`), alembicRevision(index))
    writeFileSync(join(fixture.kysely, 'migrations', `${String(index).padStart(5, '0')}_table_${index}.ts`), kyselyMigration(index))
  }
  return fixture
}

function tsdbSchema(n: number): string {
  const tables = Array.from(
    { length: n },
    (_, i) => `  m_${i}: table({
    id: t.serial().primaryKey(),
    name: t.varchar(64).notNull(),
    email: t.varchar(120).index(),
    score: t.integer(),
    created_at: t.timestamp().notNull().defaultTo(sql\`now()\`),
    parent_id: t.integer().references('m_${Math.max(0, i - 1)}.id'),
  }),`,
  )
  return `import { sql } from 'kysely'
import { defineSchema, table, t } from 'tsdb-migrate'

export const schema = defineSchema({
${tables.join('\n')}
})
export default schema
`
}

function flaskModels(n: number): string {
  const models = Array.from(
    { length: n },
    (_, i) => `class M${i}(db.Model):
    __tablename__ = 'm_${i}'
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(64), nullable=False)
    email = db.Column(db.String(120), index=True)
    score = db.Column(db.Integer)
    created_at = db.Column(db.DateTime, nullable=False, server_default=db.text('now()'))
    parent_id = db.Column(db.Integer, db.ForeignKey('m_${Math.max(0, i - 1)}.id'))
`,
  )
  return `from app import db


${models.join('\n\n')}`
}

export interface DeclarationFixture {
  readonly n: number
  readonly tsdbEmpty: string
  readonly tsdbMatching: string
  readonly flaskEmpty: string
  readonly flaskMatching: string
}

/** Projects with N declared tables; the `matching` ones get their database brought to it by the caller. */
export async function declarationFixture(paths: Paths, n: number): Promise<DeclarationFixture> {
  const root = join(paths.work, `declaration-${n}`)
  const fixture = {
    n,
    tsdbEmpty: join(root, 'tsdb-empty'),
    tsdbMatching: join(root, 'tsdb-matching'),
    flaskEmpty: join(root, 'flask-empty'),
    flaskMatching: join(root, 'flask-matching'),
  }
  for (const dir of [fixture.tsdbEmpty, fixture.tsdbMatching]) {
    await tsdbProject(paths, dir)
    mkdirSync(join(dir, 'src'), { recursive: true })
    writeFileSync(join(dir, 'src', 'schema.ts'), tsdbSchema(n))
  }
  for (const dir of [fixture.flaskEmpty, fixture.flaskMatching]) {
    await flaskProject(paths, dir)
    writeFileSync(join(dir, 'models.py'), flaskModels(n))
  }
  return fixture
}
