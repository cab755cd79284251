import { describe, expect, test } from 'vitest'
import { diffSchemas } from '../../../src/diff/diff-schemas.js'
import type { SchemaOp } from '../../../src/diff/schema-op.js'
import { renderOps } from '../../../src/render/render-ops.js'
import { col, model, tutorialModel, userTable } from '../../integration/autogenerate/model-builders.js'

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
