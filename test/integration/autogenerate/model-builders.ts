import type { ColumnModel, IndexModel, SchemaModel, TableModel } from '../../../src/model/schema-model.js'

/** Hand-built declared models (the DSL is tested elsewhere); defaults read like a plain column. */
export function col(name: string, type: string, overrides: Partial<ColumnModel> = {}): ColumnModel {
  return { name, type, nullable: true, default: null, serial: false, identity: null, generated: null, comment: null, ...overrides }
}

export function serialId(name = 'id'): ColumnModel {
  return col(name, 'integer', { serial: true, nullable: false })
}

export function table(name: string, columns: readonly ColumnModel[], overrides: Partial<TableModel> = {}): TableModel {
  const hasId = columns.some((c) => c.name === 'id')
  return {
    schema: 'public',
    name,
    columns,
    primaryKey: hasId ? { name: `${name}_pkey`, columns: ['id'] } : null,
    uniques: [],
    indexes: [],
    foreignKeys: [],
    checks: [],
    exclusions: [],
    comment: null,
    ...overrides,
  }
}

export function index(name: string, columns: readonly string[], overrides: Partial<IndexModel> = {}): IndexModel {
  return {
    name,
    unique: false,
    keys: columns.map((c) => ({ kind: 'column' as const, name: c })),
    using: 'btree',
    where: null,
    definition: '',
    ...overrides,
  }
}

export function model(tables: readonly TableModel[], overrides: Partial<SchemaModel> = {}): SchemaModel {
  return { schemas: [], enums: [], sequences: [], tables, views: [], ...overrides }
}

/** The Flask Mega-Tutorial's user/post schema (DESIGN §1), as the DSL declares it. */
export const userTable = table('user', [
  serialId(),
  col('username', 'character varying(64)', { nullable: false }),
  col('email', 'character varying(120)', { nullable: false }),
  col('password_hash', 'character varying(256)'),
], {
  indexes: [index('ix_user_email', ['email'], { unique: true }), index('ix_user_username', ['username'], { unique: true })],
})

export const postTable = table('post', [
  serialId(),
  col('body', 'character varying(140)', { nullable: false }),
  col('timestamp', 'timestamp without time zone', { nullable: false, default: 'now()' }),
  col('user_id', 'integer', { nullable: false }),
], {
  indexes: [index('ix_post_timestamp', ['timestamp']), index('ix_post_user_id', ['user_id'])],
  foreignKeys: [{
    name: 'post_user_id_fkey',
    columns: ['user_id'],
    references: { schema: 'public', name: 'user' },
    referencedColumns: ['id'],
    onDelete: 'no action',
    onUpdate: 'no action',
  }],
})

export const tutorialModel = model([userTable, postTable])
