import { describe, expect, test } from 'vitest'
import { diffSchemas } from '../../../src/diff/diff-schemas.js'
import type { SchemaOp } from '../../../src/diff/schema-op.js'
import { renderOps } from '../../../src/render/render-ops.js'
import { col, index, model, table, tutorialModel, userTable } from '../../integration/autogenerate/model-builders.js'

const t = { schema: 'public', name: 'user' }

describe('renderOps', () => {
  test('the tutorial schema renders as Kysely schema-builder code, and down drops in reverse', () => {
    const rendered = renderOps(diffSchemas(model([]), tutorialModel).ops)
    expect(rendered.usesSql).toBe(true)
    expect(rendered.up).toMatchInlineSnapshot(`
      "await db.schema
        .createTable('user')
        .addColumn('id', 'serial', (col) => col.primaryKey())
        .addColumn('username', 'varchar(64)', (col) => col.notNull())
        .addColumn('email', 'varchar(120)', (col) => col.notNull())
        .addColumn('password_hash', 'varchar(256)')
        .execute()

      await db.schema.createIndex('ix_user_email').on('user').column('email').unique().execute()
      await db.schema.createIndex('ix_user_username').on('user').column('username').unique().execute()

      await db.schema
        .createTable('post')
        .addColumn('id', 'serial', (col) => col.primaryKey())
        .addColumn('body', 'varchar(140)', (col) => col.notNull())
        .addColumn('timestamp', 'timestamp', (col) => col.notNull().defaultTo(sql\`now()\`))
        .addColumn('user_id', 'integer', (col) => col.notNull().references('user.id'))
        .execute()

      await db.schema.createIndex('ix_post_timestamp').on('post').column('timestamp').execute()
      await db.schema.createIndex('ix_post_user_id').on('post').column('user_id').execute()"
    `)
    expect(rendered.down).toMatchInlineSnapshot(`
      "// WARNING: data loss — drops table "post" and all its rows
      await db.schema.dropTable('post').execute()
      // WARNING: data loss — drops table "user" and all its rows
      await db.schema.dropTable('user').execute()"
    `)
  })

  test('raw sql only where the builder cannot say it, with identifiers and literals escaped', () => {
    const ops: SchemaOp[] = [
      { kind: 'setTableComment', table: t, from: null, to: "it's `here` ${x}" },
      { kind: 'addEnumValue', enum: { schema: 'app', name: 'mood', values: ['a'] }, value: 'b', before: 'a', uses: [] },
      {
        kind: 'alterColumn',
        table: t,
        from: col('age', 'text', { default: "'1'::text" }),
        to: col('age', 'integer', { nullable: false, default: '1' }),
        dataLoss: 'x',
      },
    ]
    expect(renderOps(ops).up).toMatchInlineSnapshot(`
      "await sql\`COMMENT ON TABLE \${sql.id('user')} IS \${sql.lit('it\\'s \`here\` \${x}')}\`.execute(db)
      await sql\`ALTER TYPE \${sql.id('app', 'mood')} ADD VALUE \${sql.lit('b')} BEFORE \${sql.lit('a')}\`.execute(db)
      // WARNING: data loss — x
      await db.schema.alterTable('user').alterColumn('age', (col) => col.dropDefault()).execute()
      await sql\`ALTER TABLE \${sql.id('user')} ALTER COLUMN \${sql.id('age')} TYPE integer USING \${sql.id('age')}::integer\`.execute(db)

      await db.schema
        .alterTable('user')
        .alterColumn('age', (col) => col.setDefault(sql\`1\`))
        .alterColumn('age', (col) => col.setNotNull())
        .execute()"
    `)
  })

  test('constraints, indexes and foreign keys outside createTable', () => {
    const ops: SchemaOp[] = [
      { kind: 'addUnique', table: t, unique: { name: 'uq_user_email', columns: ['email', 'username'], nullsNotDistinct: true } },
      { kind: 'addCheck', table: t, check: { name: 'user_email_check', definition: "CHECK ((email <> ''::text))" } },
      {
        kind: 'createIndex',
        table: t,
        index: { name: 'ix_user_lower_email', unique: false, keys: [{ kind: 'expression', sql: 'lower(email)' }], using: 'hash', where: 'email IS NOT NULL', definition: '' },
      },
      {
        kind: 'addForeignKey',
        table: { schema: 'public', name: 'post' },
        foreignKey: { name: 'fk_post_user', columns: ['user_id'], references: { schema: 'app', name: 'user' }, referencedColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' },
      },
      { kind: 'renameIndex', table: t, from: 'a', to: 'b' },
    ]
    expect(renderOps(ops).up).toMatchInlineSnapshot(`
      "await db.schema
        .alterTable('user')
        .addUniqueConstraint('uq_user_email', ['email', 'username'], (uc) => uc.nullsNotDistinct())
        .execute()

      await db.schema
        .alterTable('user')
        .addCheckConstraint('user_email_check', sql\`((email <> ''::text))\`)
        .execute()

      await db.schema
        .createIndex('ix_user_lower_email')
        .on('user')
        .expression(sql\`lower(email)\`)
        .using('hash')
        .where(sql<boolean>\`email IS NOT NULL\`)
        .execute()

      await db.schema
        .alterTable('post')
        .addForeignKeyConstraint('fk_post_user', ['user_id'], 'app.user', ['id'], (fk) => fk.onDelete('cascade'))
        .execute()

      await sql\`ALTER INDEX \${sql.id('a')} RENAME TO \${sql.id('b')}\`.execute(db)"
    `)
  })

  test('a deferrable foreign key through the builder; MATCH FULL, which Kysely cannot say, in SQL', () => {
    const post = { schema: 'public', name: 'post' }
    const fk = { name: 'post_user_id_fkey', columns: ['user_id'], references: t, referencedColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' } as const
    const ops: SchemaOp[] = [
      { kind: 'addForeignKey', table: post, foreignKey: { ...fk, deferrable: 'initiallyDeferred' } },
      { kind: 'addForeignKey', table: post, foreignKey: { ...fk, name: 'fk_full', columns: ['a', 'b'], referencedColumns: ['id', 'b'], match: 'full', deferrable: 'initiallyImmediate' } },
      { kind: 'createTable', table: table('pet', [col('user_id', 'integer')], { foreignKeys: [{ ...fk, name: 'pet_user_id_fkey', match: 'full' }] }) },
    ]
    expect(renderOps(ops).up).toMatchInlineSnapshot(`
      "await db.schema
        .alterTable('post')
        .addForeignKeyConstraint('post_user_id_fkey', ['user_id'], 'user', ['id'], (fk) => fk.onDelete('cascade').deferrable().initiallyDeferred())
        .execute()

      await sql\`ALTER TABLE \${sql.id('post')} ADD CONSTRAINT \${sql.id('fk_full')} FOREIGN KEY (\${sql.id('a')}, \${sql.id('b')}) REFERENCES \${sql.id('user')} (\${sql.id('id')}, \${sql.id('b')}) MATCH FULL ON DELETE CASCADE DEFERRABLE\`.execute(db)
      await db.schema.createTable('pet').addColumn('user_id', 'integer').execute()
      await sql\`ALTER TABLE \${sql.id('pet')} ADD CONSTRAINT \${sql.id('pet_user_id_fkey')} FOREIGN KEY (\${sql.id('user_id')}) REFERENCES \${sql.id('user')} (\${sql.id('id')}) MATCH FULL ON DELETE CASCADE\`.execute(db)"
    `)
  })

  test('index keys with options through the builder; INCLUDE and WITH (...), which Kysely cannot say, in SQL', () => {
    const ops: SchemaOp[] = [
      {
        kind: 'createIndex',
        table: t,
        index: index('ix_user_keys', [], {
          keys: [{ kind: 'column', name: 'email', opclass: 'text_pattern_ops' }, { kind: 'expression', sql: 'lower(name)', descending: true, nulls: 'last' }, { kind: 'column', name: 'id' }],
        }),
      },
      {
        kind: 'createIndex',
        table: { schema: 'app', name: 'user' },
        index: index('ix_user_cover', ['email'], { unique: true, include: ['id', 'name'], storageParameters: ['deduplicate_items=off', 'fillfactor=70'], where: 'id > 0' }),
      },
    ]
    expect(renderOps(ops).up).toMatchInlineSnapshot(`
      "await db.schema
        .createIndex('ix_user_keys')
        .on('user')
        .expression(sql\`\${sql.id('email')} text_pattern_ops\`)
        .expression(sql\`lower(name) DESC NULLS LAST\`)
        .column('id')
        .execute()

      await sql\`CREATE UNIQUE INDEX \${sql.id('ix_user_cover')} ON \${sql.id('app', 'user')} (\${sql.id('email')}) INCLUDE (\${sql.id('id')}, \${sql.id('name')}) WITH (deduplicate_items = off, fillfactor = 70) WHERE id > 0\`.execute(db)"
    `)
  })

  test("an identity's START and INCREMENT: in the column's clause, added with the identity, and altered in place", () => {
    const identity = (options?: { start?: string; increment?: string }) =>
      col('seq', 'bigint', { nullable: false, identity: 'always', ...(options && { identityOptions: options }) })
    const ops: SchemaOp[] = [
      { kind: 'addColumn', table: t, column: identity({ start: '1000' }) },
      { kind: 'alterColumn', table: t, from: col('seq', 'bigint', { nullable: false }), to: identity({ increment: '5' }) },
      { kind: 'alterColumn', table: t, from: identity({ start: '100' }), to: identity({ start: '200', increment: '5' }) },
      { kind: 'alterColumn', table: t, from: identity(), to: identity({ start: '-10', increment: '-2' }) },
    ]
    expect(renderOps(ops).up).toMatchInlineSnapshot(`
      "await db.schema
        .alterTable('user')
        .addColumn('seq', 'bigint', (col) => col.modifyFront(sql\`GENERATED ALWAYS AS IDENTITY (START WITH 1000)\`))
        .execute()

      await sql\`ALTER TABLE \${sql.id('user')} ALTER COLUMN \${sql.id('seq')} ADD GENERATED ALWAYS AS IDENTITY (INCREMENT BY 5)\`.execute(db)
      await sql\`ALTER TABLE \${sql.id('user')} ALTER COLUMN \${sql.id('seq')} SET INCREMENT BY 5 SET START WITH 200\`.execute(db)
      await sql\`ALTER TABLE \${sql.id('user')} ALTER COLUMN \${sql.id('seq')} SET INCREMENT BY -2 SET NO MINVALUE SET NO MAXVALUE SET START WITH -10 RESTART\`.execute(db)"
    `)
  })

  test('a collation after the type, kept when the type changes, and changed in place', () => {
    const ops: SchemaOp[] = [
      { kind: 'addColumn', table: t, column: col('code', 'text', { collation: 'C' }) },
      { kind: 'alterColumn', table: t, from: col('code', 'character varying(10)', { collation: 'C' }), to: col('code', 'character varying(20)', { collation: 'C' }) },
      { kind: 'alterColumn', table: t, from: col('name', 'text', { collation: 'C' }), to: col('name', 'text') },
    ]
    expect(renderOps(ops).up).toMatchInlineSnapshot(`
      "await db.schema
        .alterTable('user')
        .addColumn('code', 'text', (col) => col.modifyFront(sql\`COLLATE \${sql.id('C')}\`))
        .execute()

      await db.schema
        .alterTable('user')
        .alterColumn('code', (col) => col.setDataType(sql\`character varying(20) COLLATE \${sql.id('C')}\`))
        .execute()

      await db.schema.alterTable('user').alterColumn('name', (col) => col.setDataType('text')).execute()"
    `)
  })

  test('a standalone sequence: CREATE with the options given, ALTER with all of them, DROP', () => {
    const declared = { schema: 'app', name: 'n', type: 'integer', start: '10', increment: null, minValue: null, maxValue: null, cycle: false }
    const canonical = { ...declared, increment: '-1', minValue: '-2147483648', maxValue: '10', cycle: true }
    const rendered = renderOps([
      { kind: 'createSequence', sequence: declared },
      { kind: 'alterSequence', from: declared, to: canonical },
    ])
    expect(rendered.up).toMatchInlineSnapshot(`
      "await sql\`CREATE SEQUENCE \${sql.id('app', 'n')} AS integer START WITH 10 NO CYCLE\`.execute(db)
      await sql\`ALTER SEQUENCE \${sql.id('app', 'n')} AS integer INCREMENT BY -1 MINVALUE -2147483648 MAXVALUE 10 START WITH 10 CYCLE\`.execute(db)"
    `)
    expect(rendered.down).toMatchInlineSnapshot(`
      "await sql\`ALTER SEQUENCE \${sql.id('app', 'n')} AS integer INCREMENT BY 1 NO MINVALUE NO MAXVALUE START WITH 10 NO CYCLE\`.execute(db)
      await sql\`DROP SEQUENCE \${sql.id('app', 'n')}\`.execute(db)"
    `)
  })

  test('down is the exact inverse', () => {
    const ops = diffSchemas(model([userTable]), model([{ ...userTable, columns: [...userTable.columns, col('about', 'text')] }])).ops
    const rendered = renderOps(ops)
    expect(rendered.up).toBe("await db.schema.alterTable('user').addColumn('about', 'text').execute()")
    expect(rendered.down).toBe(
      '// WARNING: data loss — drops column "user"."about"\n' + "await db.schema.alterTable('user').dropColumn('about').execute()",
    )
    expect(rendered.usesSql).toBe(false)
  })
})
