import { sql, type Kysely, type RawBuilder } from 'kysely'
import { assertNever } from '../errors.js'
import type { Call, CodeValue, SqlPart, Statement } from '../render/code.js'

/** The `sql` template a rendered `sql\`...\`` stands for, built the way the tag itself would be called. */
function toRawSql(parts: readonly SqlPart[]): RawBuilder<unknown> {
  const strings: string[] = ['']
  const values: unknown[] = []
  for (const part of parts) {
    if (part.kind === 'text') strings[strings.length - 1] += part.text
    else {
      values.push(part.kind === 'id' ? sql.id(...part.names) : sql.lit(part.value))
      strings.push('')
    }
  }
  // A tagged template receives a frozen string array with a `raw` copy; this builds the same value.
  const template = Object.assign([...strings], { raw: [...strings] }) as unknown as TemplateStringsArray
  return sql(template, ...values)
}

function toValue(value: CodeValue): unknown {
  switch (value.kind) {
    case 'string':
      return value.value
    case 'array':
      return value.items.map(toValue)
    case 'sql':
      return toRawSql(value.parts)
    case 'callback':
      return (target: unknown) => applyCalls(target, value.calls)
    default:
      return assertNever(value)
  }
}

function applyCalls(target: unknown, calls: readonly Call[]): unknown {
  return calls.reduce((receiver, c) => {
    // The call tree names Kysely builder methods by string: look them up dynamically.
    const method = (receiver as Record<string, unknown>)[c.method]
    if (typeof method !== 'function') throw new TypeError(`Kysely's builder has no method '${c.method}'`)
    return (method as (...args: unknown[]) => unknown).apply(receiver, c.args.map(toValue))
  }, target)
}

/** Runs rendered statements exactly as the printed revision file would. */
export async function applyStatement(db: Kysely<any>, statement: Statement): Promise<void> {
  switch (statement.kind) {
    case 'comment':
      return
    case 'sql':
      await toRawSql(statement.parts).execute(db)
      return
    case 'schema':
      await (applyCalls(db.schema, statement.calls) as { execute(): Promise<unknown> }).execute()
      return
    default:
      assertNever(statement)
  }
}

/**
 * The SQL `applyStatement` would send, without sending it; null for a comment, and null when
 * the statement needs bound parameters (it then cannot join a multi-statement batch).
 */
export function compileStatement(db: Kysely<any>, statement: Statement): string | null {
  switch (statement.kind) {
    case 'comment':
      return null
    case 'sql': {
      const compiled = toRawSql(statement.parts).compile(db)
      return compiled.parameters.length === 0 ? compiled.sql : null
    }
    case 'schema': {
      const compiled = (applyCalls(db.schema, statement.calls) as Compilable).compile()
      return compiled.parameters.length === 0 ? compiled.sql : null
    }
    default:
      return assertNever(statement)
  }
}

type Compilable = { compile(): { readonly sql: string; readonly parameters: readonly unknown[] } }

/**
 * Sends the statements as one multi-statement query (one round trip instead of one per
 * statement), inside a savepoint. False when it did not apply them (a statement needs bound
 * parameters, there are fewer than two, or the batch failed; PGlite takes one command a query):
 * the caller then applies them one by one, which also names the statement that failed.
 */
export async function applyInOneBatch(
  // DDL only; no table types are involved.
  db: Kysely<any>,
  statements: readonly Statement[],
): Promise<boolean> {
  const texts: string[] = []
  for (const statement of statements) {
    if (statement.kind === 'comment') continue
    const text = compileStatement(db, statement)
    if (text === null) return false
    texts.push(text)
  }
  if (texts.length < 2) return false
  await sql`savepoint tsdb_batch`.execute(db)
  try {
    await sql.raw(texts.join(';\n')).execute(db)
  } catch {
    await sql`rollback to savepoint tsdb_batch`.execute(db)
    return false
  }
  await sql`release savepoint tsdb_batch`.execute(db)
  return true
}
