/**
 * posts table
 *
 * Revision ID: 7dfca3e9fa37
 * Revises: ad67726d7815
 * Create Date: 2026-11-21 19:15:41.337000
 */
import { sql, type Kysely } from 'kysely'

export const revision = '7dfca3e9fa37'
export const downRevision = 'ad67726d7815'
export const branchLabels = null
export const dependsOn = null

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('post')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('body', 'varchar(140)', (col) => col.notNull())
    .addColumn('timestamp', 'timestamp', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('user.id'))
    .execute()

  await db.schema.createIndex('ix_post_timestamp').on('post').column('timestamp').execute()
  await db.schema.createIndex('ix_post_user_id').on('post').column('user_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // WARNING: data loss — drops table "post" and all its rows
  await db.schema.dropTable('post').execute()
}
