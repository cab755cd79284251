import { execFile, execFileSync } from 'node:child_process'
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { openPostgres } from '../../helpers/databases.js'
import { revisionFileText, repoRoot } from '../../helpers/run-cli.js'

/** The Flask-Migrate fixture: the Mega-Tutorial's chapter 4 run with Flask-Migrate 4.0.4 (see generate.sh). */
export const fixture = join(repoRoot, 'test', 'fixtures', 'flask-migrate')

/**
 * The fixture's two Alembic revisions, ported to tsdb by hand with their ids kept, and the
 * declaration of DESIGN §1 (the same tables) in `src/schema.ts`.
 */
export async function writePortedProject(project: string): Promise<void> {
  const versions = join(project, 'migrations', 'versions')
  await mkdir(versions, { recursive: true })
  await mkdir(join(project, 'src'), { recursive: true })
  await writeFile(join(versions, 'f2b4b53feeb1_users_table.ts'), revisionFileText({
    id: 'f2b4b53feeb1', message: 'users table',
    up: `await db.schema.createTable('user')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('username', 'varchar(64)', (c) => c.notNull())
    .addColumn('email', 'varchar(120)', (c) => c.notNull())
    .addColumn('password_hash', 'varchar(256)').execute()
  await db.schema.createIndex('ix_user_email').on('user').column('email').unique().execute()
  await db.schema.createIndex('ix_user_username').on('user').column('username').unique().execute()`,
    down_: `await db.schema.dropTable('user').execute()`,
  }))
  await writeFile(join(versions, '935acf0391fb_posts_table.ts'), revisionFileText({
    id: '935acf0391fb', message: 'posts table', down: 'f2b4b53feeb1',
    up: `await db.schema.createTable('post')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('body', 'varchar(140)', (c) => c.notNull())
    .addColumn('timestamp', 'timestamp', (c) => c.notNull().defaultTo(sql\`now()\`))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('user.id')).execute()
  await db.schema.createIndex('ix_post_timestamp').on('post').column('timestamp').execute()
  await db.schema.createIndex('ix_post_user_id').on('post').column('user_id').execute()`,
    down_: `await db.schema.dropTable('post').execute()`,
  }))
  await writeFile(join(project, 'src', 'schema.ts'), await readFile(join(repoRoot, 'demo', 'schema.ts'), 'utf8'))
}

/** Debian's python, where `apt-get install python3-flask-migrate` puts Flask-Migrate (not a pyenv one). */
const PYTHON = '/usr/bin/python3'
export const FLASK_APT_PACKAGES = 'python3-flask-migrate python3-flask-sqlalchemy python3-psycopg2'

export function hasFlaskMigrate(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import flask_migrate, flask_sqlalchemy, psycopg2'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export interface FlaskResult {
  readonly code: number
  /** stdout and stderr together: Alembic logs to stderr, Flask-Migrate's commands print to stdout. */
  readonly output: string
}

/** Runs `flask db ...` in `dir` with the fixture's app (its models at `STAGE`) on `url`. */
export function flaskDb(dir: string, url: string, args: readonly string[], stage = '2'): Promise<FlaskResult> {
  return new Promise((done) => {
    execFile(
      PYTHON,
      ['-m', 'flask', 'db', ...args],
      {
        cwd: dir,
        env: { ...process.env, FLASK_APP: 'app.py', PYTHONDONTWRITEBYTECODE: '1', STAGE: stage, DATABASE_URL: url.replace(/^postgres:/, 'postgresql:') },
      },
      (error, stdout, stderr) => done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: `${stdout}${stderr}` }),
    )
  })
}

/**
 * A Flask project as the fixture's was made: `flask db init`, then the fixture's revision files.
 * STAGE=3 of its app adds `user.about_me`.
 */
export async function createFlaskProject(dir: string): Promise<void> {
  const app = (await readFile(join(fixture, 'app.py'), 'utf8')).replace(
    '    password_hash = db.Column(db.String(256))\n',
    '    password_hash = db.Column(db.String(256))\n    if os.environ.get("STAGE") == "3":\n        about_me = db.Column(db.String(140))\n',
  )
  await writeFile(join(dir, 'app.py'), app.replace('os.environ.get("STAGE") == "2"', 'os.environ.get("STAGE") in ("2", "3")'))
  const init = await flaskDb(dir, 'postgresql://unused/unused', ['init'])
  if (init.code !== 0) throw new Error(`flask db init failed:\n${init.output}`)
  await cp(join(fixture, 'versions'), join(dir, 'migrations', 'versions'), { recursive: true })
}

/** The rows of alembic_version on the database at `url`, sorted. */
export async function readVersionRows(url: string): Promise<string[]> {
  const db = openPostgres(url, 1)
  try {
    return (await sql<{ v: string }>`select version_num as v from alembic_version order by 1`.execute(db)).rows.map((r) => r.v)
  } finally {
    await db.destroy()
  }
}
