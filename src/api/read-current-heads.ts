import type { Kysely } from 'kysely'
import type { ResolvedConfig } from '../config/config.js'
import { createPgVersionStore } from '../version/pg-version-store.js'

/** The database's current heads, read without creating or changing anything. */
export async function readCurrentHeads(db: Kysely<any>, config: ResolvedConfig): Promise<readonly string[]> {
  const store = createPgVersionStore(db, { table: config.versionTable, schema: config.versionTableSchema })
  return store.readHeads()
}
