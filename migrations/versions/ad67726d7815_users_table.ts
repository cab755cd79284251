/**
 * users table
 *
 * Revision ID: ad67726d7815
 * Revises:
 * Create Date: 2026-11-21 19:15:17.134000
 */
import type { Kysely } from 'kysely'

export const revision = 'ad67726d7815'
export const downRevision = null
export const branchLabels = null
export const dependsOn = null

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('user')
    .addColumn('id', 'serial', (col) => col.primaryKey())
    .addColumn('username', 'varchar(64)', (col) => col.notNull())
    .addColumn('email', 'varchar(120)', (col) => col.notNull())
    .addColumn('password_hash', 'varchar(256)')
    .execute()

  await db.schema.createIndex('ix_user_email').on('user').column('email').unique().execute()
  await db.schema.createIndex('ix_user_username').on('user').column('username').unique().execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // WARNING: data loss — drops table "user" and all its rows
  await db.schema.dropTable('user').execute()
}
