import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { SchemaDeclarationError } from '../../../src/errors.js'
import { declarationToModel, defineSchema, enumType, sequence, t, table, type SchemaDeclaration } from '../../../src/schema/index.js'

/** The error declarationToModel raises, so that its fields can be asserted. */
function errorOf(schema: SchemaDeclaration): SchemaDeclarationError {
  try {
    declarationToModel(schema)
  } catch (error) {
    if (error instanceof SchemaDeclarationError) return error
    throw error
  }
  throw new Error('expected a SchemaDeclarationError')
}

const user = table({ id: t.serial().primaryKey(), email: t.text().unique(), name: t.text() })

describe('SchemaDeclarationError', () => {
  it('carries the table, the column and the reason, in a one-line message', () => {
    const error = errorOf(defineSchema({ user, post: table({ user_id: t.integer().references('users.id') }) }))
    expect(error).toMatchObject({
      code: 'SCHEMA_DECLARATION',
      category: 'config',
      table: 'post',
      column: 'user_id',
      reason: "references unknown table 'users'",
    })
    expect(error.message).toBe(`Invalid schema declaration, table "post", column "user_id": references unknown table 'users'`)
    expect(error.message).not.toContain('\n')
  })
})

describe('declarationToModel rejects', () => {
  const cases: readonly [string, () => SchemaDeclaration, Partial<SchemaDeclarationError>][] = [
    ['an unknown referenced column', () => defineSchema({ user, post: table({ user_id: t.integer().references('user.nope') }) }), {
      column: 'user_id',
      reason: "the foreign key's reference to 'user' names unknown column 'nope'",
    }],
    ['a reference in the wrong schema', () => defineSchema({ user, post: table({ user_id: t.integer().references('auth.user.id') }) }), {
      reason: "references unknown table 'auth.user'",
    }],
    ['a malformed reference', () => defineSchema({ user, post: table({ user_id: t.integer().references('user') }) }), {
      column: 'user_id',
      reason: "the reference 'user' is not of the form 'table.column' or 'schema.table.column'",
    }],
    ['a reference to columns that are not unique', () => defineSchema({ user, post: table({ author: t.text().references('user.name') }) }), {
      table: 'post',
      reason: "foreign key 'post_author_fkey' references (name) of 'user', which is neither its primary key nor unique",
    }],
    ['onDelete without references', () => defineSchema({ post: table({ user_id: t.integer().onDelete('cascade') }) }), {
      column: 'user_id',
      reason: 'onDelete() needs references()',
    }],
    ['onUpdate without references', () => defineSchema({ post: table({ user_id: t.integer().onUpdate('cascade') }) }), {
      reason: 'onUpdate() needs references()',
    }],
    ['deferrable without references', () => defineSchema({ post: table({ user_id: t.integer().initiallyDeferred() }) }), {
      reason: 'deferrable() and initiallyDeferred() need references()',
    }],
    ['matchFull without references', () => defineSchema({ post: table({ user_id: t.integer().matchFull() }) }), {
      reason: 'matchFull() needs references()',
    }],
    ['an unknown foreign key match', () =>
      defineSchema({
        user,
        post: table({ user_id: t.integer() }, {
          foreignKeys: [{ columns: ['user_id'], references: 'user', referencedColumns: ['id'], match: 'partial' as 'full' }],
        }),
      }), { reason: "unknown foreign key match 'partial'; use simple or full" }],
    ['an index expression that carries its order', () =>
      defineSchema({ item: table({ code: t.text() }, { indexes: [{ expressions: [sql`code DESC`] }] }) }), {
      table: 'item',
      reason: 'an index expression ends in ASC, DESC or NULLS: declare it as { expression, order, nulls } (or { column, order, nulls })',
    }],
    ["an index's include naming an unknown column", () =>
      defineSchema({ item: table({ code: t.text() }, { indexes: [{ columns: ['code'], include: ['nope' as 'code'] }] }) }), {
      reason: "an index's include names unknown column 'nope'",
    }],
    ['a storage parameter that is not a name', () =>
      defineSchema({ item: table({ code: t.text() }, { indexes: [{ columns: ['code'], with: { 'fill factor': 1 } }] }) }), {
      reason: "'fill factor' is not a storage parameter name",
    }],
    ['an unknown referential action', () =>
      defineSchema({
        user,
        // A plain-JavaScript caller can pass any string; the type forbids it.
        post: table({ user_id: t.integer().references('user.id').onDelete('explode' as 'cascade') }),
      }), { reason: "unknown referential action 'explode'; use one of no action, restrict, cascade, set null, set default" }],
    ['a foreign key whose column counts differ', () =>
      defineSchema({
        user,
        post: table({ a: t.integer(), b: t.integer() }, { foreignKeys: [{ columns: ['a', 'b'], references: 'user', referencedColumns: ['id'] }] }),
      }), { table: 'post', reason: 'a foreign key on 2 column(s) references 1 column(s)' }],
    ['a table foreign key to an unknown table', () =>
      defineSchema({ post: table({ a: t.integer() }, { foreignKeys: [{ columns: ['a'], references: 'nope', referencedColumns: ['id'] }] }) }),
      { reason: "references unknown table 'nope'" }],
    ['an unknown column in the primary key option', () =>
      defineSchema({ post: table({ a: t.integer() }, { primaryKey: ['a', 'b' as 'a'] }) }), { reason: "the primary key names unknown column 'b'" }],
    ['a primary key on columns and in options', () =>
      defineSchema({ post: table({ a: t.integer().primaryKey() }, { primaryKey: ['a'] }) }), {
      reason: 'declare the primary key either on columns or in the primaryKey option, not both',
    }],
    ['a column named twice in a unique constraint', () =>
      defineSchema({ post: table({ a: t.integer() }, { uniques: [{ columns: ['a', 'a'] }] }) }), { reason: "a unique constraint names column 'a' twice" }],
    ['a unique constraint without columns', () =>
      defineSchema({ post: table({ a: t.integer() }, { uniques: [{ columns: [] }] }) }), { reason: 'a unique constraint has no columns' }],
    ['an index without keys', () => defineSchema({ post: table({ a: t.integer() }, { indexes: [{}] }) }), {
      reason: 'an index needs columns or expressions',
    }],
    ['an index on an unknown column', () => defineSchema({ post: table({ a: t.integer() }, { indexes: [{ columns: ['b' as 'a'] }] }) }), {
      reason: "an index names unknown column 'b'",
    }],
    ['an empty access method', () => defineSchema({ post: table({ a: t.integer() }, { indexes: [{ columns: ['a'], using: ' ' }] }) }), {
      reason: 'an index access method (using) is empty',
    }],
    ['an index name used twice in a schema', () =>
      defineSchema({
        a: table({ x: t.integer() }, { indexes: [{ columns: ['x'], name: 'ix' }] }),
        b: table({ x: t.integer() }, { indexes: [{ columns: ['x'], name: 'ix' }] }),
      }), { table: 'b', reason: "the name 'ix' is already used by another table, index or sequence in schema 'public'" }],
    ['an index named like a table', () => defineSchema({ a: table({ x: t.integer() }, { indexes: [{ columns: ['x'], name: 'a' }] }) }), {
      reason: "the name 'a' is already used by another table, index or sequence in schema 'public'",
    }],
    ['a constraint name used twice in a table', () =>
      defineSchema({
        a: table({ x: t.integer() }, { checks: [{ name: 'c', expression: sql`x > 0` }, { name: 'c', expression: sql`x < 9` }] }),
      }), { reason: "the constraint name 'c' is used twice" }],
    ['a name longer than 63 bytes', () => defineSchema({ a: table({ ['x'.repeat(64)]: t.integer() }) }), {
      column: 'x'.repeat(64),
      reason: `the column name '${'x'.repeat(64)}' is longer than PostgreSQL's 63 bytes (it would be cut to '${'x'.repeat(63)}')`,
    }],
    ['an empty table name', () => defineSchema({ '': table({ x: t.integer() }) }), { reason: 'the table name is empty' }],
    ['a dotted table name', () => defineSchema({ 'a.b': table({ x: t.integer() }) }), {
      reason: "a table name cannot contain '.'; put the table in a schema with the schema option",
    }],
    ['an empty schema name', () => defineSchema({ a: table({ x: t.integer() }, { schema: '' }) }), { reason: 'the schema name is empty' }],
    ['a dotted enum name', () => defineSchema({ a: table({ m: t.enum(enumType('my.mood', ['ok'])) }) }), {
      reason: "enum 'my.mood': an enum name cannot contain '.'; put the type in a schema with the schema option (enumType(name, values, { schema }))",
    }],
    ['an enum with a repeated value', () => defineSchema({ a: table({ m: t.enum(enumType('mood', ['ok', 'ok'])) }) }), {
      reason: "enum 'mood' lists the value 'ok' twice",
    }],
    ['an enum value longer than 63 bytes', () => defineSchema({}, { enums: [enumType('mood', ['é'.repeat(32)])] }), {
      reason: `enum 'mood': the value '${'é'.repeat(32)}' is longer than PostgreSQL's 63 bytes`,
    }],
    ['one enum declared with two lists of values', () =>
      defineSchema({ a: table({ m: t.enum(enumType('mood', ['ok'])) }) }, { enums: [enumType('mood', ['ok', 'sad'])] }), {
      reason: "enum 'mood' is declared twice with different values: [ok, sad] and [ok]",
    }],
    ['an enum named like a table', () => defineSchema({ mood: table({ m: t.enum(enumType('mood', ['ok'])) }) }), {
      reason: "enum 'mood' has the name of a table (a table is also a type)",
    }],
    ['a sequence bound that is not an integer', () => defineSchema({}, { sequences: [sequence('n', { start: 1.5 })] }), {
      reason: "sequence 'n': start must be an integer, not 1.5",
    }],
    ['a sequence named like a table', () => defineSchema({ n: table({ x: t.integer() }) }, { sequences: [sequence('n')] }), {
      reason: "sequence 'n' has the name of a table",
    }],
    ['one sequence declared with two sets of options', () =>
      defineSchema({}, { sequences: [sequence('n'), sequence('n', { cycle: true })] }), {
      reason: "sequence 'n' is declared twice with different options",
    }],
    ['an exclusion operator that is not an operator', () =>
      defineSchema({ a: table({ r: t.type('tsrange') }, { exclusions: [{ elements: [{ column: 'r', operator: '&&; drop table a' }] }] }) }), {
      reason: "'&&; drop table a' is not an operator (write it as PostgreSQL does, e.g. '=' or '&&')",
    }],
    ['a serial column with a default', () => defineSchema({ a: table({ id: t.serial().defaultTo(1) }) }), {
      reason: 'a serial column cannot have a default',
    }],
    ['a serial array', () => defineSchema({ a: table({ id: t.serial().array() }) }), { reason: 'a serial column cannot be an array' }],
    ['an identity column with a default', () => defineSchema({ a: table({ id: t.integer().defaultTo(1).generatedAlwaysAsIdentity() }) }), {
      reason: 'an identity column cannot have a default',
    }],
    ['an identity column of a non-integer type', () => defineSchema({ a: table({ id: t.text().generatedByDefaultAsIdentity() }) }), {
      reason: 'an identity column must be smallint, integer or bigint',
    }],
    ['an identity that steps by 0', () => defineSchema({ a: table({ id: t.integer().generatedAlwaysAsIdentity({ increment: 0 }) }) }), {
      reason: "an identity's increment cannot be 0",
    }],
    ['an identity that starts at a fraction', () => defineSchema({ a: table({ id: t.integer().generatedAlwaysAsIdentity({ start: 1.5 }) }) }), {
      reason: "an identity's start and increment must be whole numbers",
    }],
    ['a serial identity column', () => defineSchema({ a: table({ id: t.serial().generatedAlwaysAsIdentity() }) }), {
      reason: 'a serial column cannot also be an identity column',
    }],
    ['a generated identity column', () => defineSchema({ a: table({ id: t.integer().generatedAlwaysAs(sql`1`).generatedAlwaysAsIdentity() }) }), {
      reason: 'an identity column cannot also be generated',
    }],
    ['a generated column with a default', () => defineSchema({ a: table({ x: t.integer().defaultTo(1).generatedAlwaysAs(sql`2`) }) }), {
      reason: 'a generated column cannot have a default',
    }],
    ['a default with no SQL literal', () => defineSchema({ a: table({ x: t.type<object>('point').defaultTo({ x: 1 }) }) }), {
      column: 'x',
      reason: 'cannot write a plain object as a SQL literal; use a sql`...` fragment',
    }],
    ['a column renamed from a column still declared', () => defineSchema({ a: table({ x: t.integer(), y: t.integer().renamedFrom('x') }) }), {
      column: 'y',
      reason: "renamedFrom('x') names a column that is still declared",
    }],
    ['two columns renamed from one', () =>
      defineSchema({ a: table({ x: t.integer().renamedFrom('old'), y: t.integer().renamedFrom('old') }) }), {
      reason: "two columns are renamed from 'old'",
    }],
    ['a table renamed from a table still declared', () =>
      defineSchema({ a: table({ x: t.integer() }), b: table({ x: t.integer() }, { renamedFrom: 'a' }) }), {
      table: 'b',
      reason: "renamedFrom 'a' names a table that is still declared",
    }],
    ['two tables renamed from one', () =>
      defineSchema({ a: table({ x: t.integer() }, { renamedFrom: 'old' }), b: table({ x: t.integer() }, { renamedFrom: 'old' }) }), {
      reason: "two tables are renamed from 'old'",
    }],
  ]

  it.each(cases)('%s', (_name, build, expected) => {
    expect(errorOf(build())).toMatchObject(expected)
  })

  it('accepts a reference to a unique index or a unique constraint', () => {
    const model = declarationToModel(
      defineSchema({
        user: table({ id: t.serial().primaryKey(), email: t.text().unique().index(), name: t.text().unique() }),
        post: table({ by_email: t.text().references('user.email'), by_name: t.text().references('user.name') }),
      }),
    )
    expect(model.tables.find((table) => table.name === 'post')?.foreignKeys.map((fk) => fk.referencedColumns)).toEqual([['email'], ['name']])
  })
})
