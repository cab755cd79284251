import type { Kysely } from 'kysely'
import type { ResolvedConfig } from '../config/config.js'
import { UnknownRevisionError } from '../errors.js'
import type { RevisionGraph } from '../revision/revision-graph.js'
import { buildMissingVersionsDirError } from '../revision/resolve-target.js'
import { createPgVersionStore } from '../version/pg-version-store.js'

/** The database's current heads, read without creating or changing anything. */
export async function readCurrentHeads(db: Kysely<any>, config: ResolvedConfig): Promise<readonly string[]> {
  return createPgVersionStore(db, { table: config.versionTable, schema: config.versionTableSchema }).readHeads()
}

/**
 * Fails when the version table names a revision no file defines (a file deleted, or a database
 * migrated from another branch of the code), with the way out, instead of a bare
 * "Can't locate revision" from deep inside planning.
 */
export function assertHeadsKnown(graph: RevisionGraph, heads: readonly string[], config: ResolvedConfig): void {
  const id = heads.find((head) => !graph.byId.has(head))
  if (id === undefined) return
  if (graph.missingVersionsDir !== null) throw buildMissingVersionsDirError(id, graph.missingVersionsDir)
  throw new UnknownRevisionError(
    id,
    `Can't locate revision identified by '${id}': the database's ${config.versionTable} table names a ` +
      'revision no file in the migrations folder defines; restore the file, or run ' +
      '`tsdb db stamp --purge <revision>` to record where the database really is',
  )
}
