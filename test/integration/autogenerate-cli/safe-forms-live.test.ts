import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { downgrade, migrate, resolveConfig, upgrade, type ResolvedConfig } from '../../../dist/index.js'
import { createTestDatabase, type TestDatabase } from '../../helpers/databases.js'
import { SLOW_ID_FUNCTION, SMALL_BOUND_MS, slowestQueriesWhile } from '../../helpers/live-sessions.js'
import { schemaModuleText } from './declaration-cases.js'
import { createApiProject } from './project.js'

const ROWS = 500

interface ItemChange {
  readonly name?: string
  readonly ownerId?: string
  readonly options?: string
}

const declaration = (item: ItemChange, other = '') => ({
  tables: `  owner: table({ id: t.serial().primaryKey() }),
  item: table({
    id: t.serial().primaryKey(),
    n: t.integer().notNull(),
    name: ${item.name ?? 't.text()'},
    owner_id: ${item.ownerId ?? 't.integer()'},
  }${item.options === undefined ? '' : `, ${item.options}`}),
  other: table({ id: t.serial().primaryKey(), n: t.integer() }${other === '' ? '' : `, ${other}`}),`,
})

/** A revision after the change that works slowly on another table: what `upgrade` commits with it. */
const SLOW_ELSEWHERE = "{ checks: [{ name: 'ck_other_slow', expression: sql`slow_id(n) > 0` }] }"

interface LiveCase {
  readonly name: string
  readonly change: ItemChange
  /** Whether the change is slow itself; otherwise a second revision, slow, follows it in the same upgrade. */
  readonly isSlow: boolean
  /** What the unsafe form blocks. */
  readonly blocks: readonly ('read' | 'write' | 'writeOwner')[]
}

const CASES: readonly LiveCase[] = [
  {
    name: 'an index on an existing table: CREATE INDEX blocks writes, CONCURRENTLY does not',
    change: { options: "{ indexes: [{ name: 'ix_item_slow', expressions: [sql`slow_id(n)`] }] }" },
    isSlow: true,
    blocks: ['write'],
  },
  {
    name: 'a check: validating under ACCESS EXCLUSIVE blocks reads and writes, NOT VALID then VALIDATE does not',
    change: { options: "{ checks: [{ name: 'ck_item_slow', expression: sql`slow_id(n) > 0` }] }" },
    isSlow: true,
    blocks: ['read', 'write'],
  },
  {
    name: 'a foreign key: its locks on both tables last until the transaction commits, NOT VALID commits at once',
    change: { ownerId: "t.integer().references('owner.id')" },
    isSlow: false,
    blocks: ['write', 'writeOwner'],
  },
  {
    name: 'SET NOT NULL: ACCESS EXCLUSIVE until the transaction commits, through a validated check it is brief',
    change: { name: 't.text().notNull()' },
    isSlow: false,
    blocks: ['read', 'write'],
  },
]

/**
 * Each safe form that autogenerate writes, run by `upgrade` on a table with rows, keeps a second
 * connection's reads and writes running; the plain form (`safeForms: false`) blocks them.
 */
describe('safe forms keep a live table readable and writable during upgrade [postgres]', () => {
  let database: TestDatabase
  let project: string
  let admin: pg.Client
  const configs: Record<'safe' | 'plain', ResolvedConfig> = {} as Record<'safe' | 'plain', ResolvedConfig>
  const declare = (d: { tables: string }) => writeFile(join(project, 'src', 'schema.ts'), schemaModuleText(d))

  beforeAll(async () => {
    database = await createTestDatabase()
    project = await createApiProject()
    for (const kind of ['safe', 'plain'] as const) {
      configs[kind] = resolveConfig({ safeForms: kind === 'safe' }, { cwd: project, env: { DATABASE_URL: database.url }, configPath: null })
    }
    admin = new pg.Client({ connectionString: database.url })
    await admin.connect()
    await admin.query(SLOW_ID_FUNCTION)
    await declare(declaration({}))
    await migrate(configs.safe, { message: 'tables' })
    await upgrade(configs.safe)
    await admin.query('insert into owner default values')
    await admin.query(`insert into item (n, name, owner_id) select g, 'x', 1 from generate_series(1, ${ROWS}) g`)
    await admin.query(`insert into other (n) select g from generate_series(1, ${ROWS}) g`)
    await admin.query('analyze')
  })

  afterAll(async () => {
    await admin?.end()
    await database?.drop()
  })

  /** The slowest of each probe's queries while `upgrade` applies the change (and the slow revision after it). */
  async function upgradeUnderTraffic(c: LiveCase, kind: 'safe' | 'plain') {
    const config = configs[kind]
    await declare(declaration(c.change))
    const created = [(await migrate(config, { message: c.name.slice(0, 20) })).created!.path]
    if (!c.isSlow) {
      await upgrade(config)
      await declare(declaration(c.change, SLOW_ELSEWHERE))
      created.push((await migrate(config, { message: 'slow elsewhere' })).created!.path)
      await downgrade(config)
    }
    const slowest = await slowestQueriesWhile(
      database.url,
      {
        read: 'select count(*) from item',
        write: "insert into item (n, name, owner_id) values (1, 'w', 1)",
        writeOwner: 'insert into owner default values',
      },
      () => upgrade(config),
    )
    await downgrade(config, { target: created.length === 1 ? '-1' : '-2' })
    await declare(declaration({}))
    for (const path of created) await rm(path)
    return slowest
  }

  for (const c of CASES) {
    it(c.name, async () => {
      const plain = await upgradeUnderTraffic(c, 'plain')
      const safe = await upgradeUnderTraffic(c, 'safe')
      for (const probe of ['read', 'write', 'writeOwner'] as const) {
        if (c.blocks.includes(probe)) expect(plain[probe], `plain form, ${probe}`).toBeGreaterThan(SMALL_BOUND_MS)
        expect(safe[probe], `safe form, ${probe}`).toBeLessThan(SMALL_BOUND_MS)
      }
    })
  }
})
