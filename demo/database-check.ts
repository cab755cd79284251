// Before the demo runs on a server (DATABASE_URL), make sure it would not collide with tables already there.
import { sql, type Kysely } from 'kysely'
import { loadConfig, withDatabase } from 'tsdb-migrate'

/** The demo's tables (and a non-empty version table) that already exist in the configured database. */
export async function tsdbTablesIn(cwd: string): Promise<string[]> {
  const config = await loadConfig({ cwd })
  return withDatabase(config, async (db: Kysely<any>) => {
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_name in ('user', 'post', 'alembic_version')
      order by table_name`.execute(db)
    const found: string[] = []
    for (const { name } of tables.rows) {
      if (name !== 'alembic_version') {
        found.push(`a table "${name}"`)
        continue
      }
      const rows = await sql<{ n: number }>`select count(*)::int as n from alembic_version`.execute(db)
      if ((rows.rows[0]?.n ?? 0) > 0) found.push('revisions in alembic_version')
    }
    return found
  })
}
