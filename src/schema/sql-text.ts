import { createQueryId, PostgresQueryCompiler, RawNode, sql, type Expression } from 'kysely'
import { SchemaDeclarationError } from '../errors.js'

// The SQL text the declaration carries into the model: literal values and compiled `sql`
// fragments. Every literal goes through `renderLiteral`, the one place that knows the quoting.

export interface RenderLiteralOptions {
  /** The target is `json`/`jsonb`: any value is written as its JSON text. */
  readonly isJson?: boolean
}

/**
 * A JavaScript value as a PostgreSQL literal. Strings are standard-conforming (`''` doubles a
 * quote, a backslash is itself), which PostgreSQL has defaulted to since 9.1.
 */
export function renderLiteral(value: unknown, options: RenderLiteralOptions = {}): string {
  if (value === null) return 'NULL'
  if (options.isJson === true) return quoteString(renderJson(value))
  if (typeof value === 'string') return quoteString(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return quoteString(String(value))
    // A negative number is parenthesised so that `a-${n}` can never read as a `--` comment.
    return value < 0 ? `(${String(value)})` : String(value)
  }
  if (typeof value === 'bigint') return value < 0n ? `(${value.toString()})` : value.toString()
  if (value instanceof Date) return quoteString(dateText(value))
  if (value instanceof Uint8Array) return quoteString(byteaText(value))
  if (Array.isArray(value)) return quoteString(arrayText(value))
  throw new SchemaDeclarationError(`cannot write ${describe(value)} as a SQL literal; use a sql\`...\` fragment`)
}

function quoteString(text: string): string {
  if (text.includes('\0')) throw new SchemaDeclarationError('a PostgreSQL string cannot contain the character U+0000')
  return `'${text.replaceAll("'", "''")}'`
}

function renderJson(value: unknown): string {
  // bigint has no JSON form; its decimal text keeps every digit (as PGlite serialises it).
  const text = JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item))
  if (typeof text !== 'string') throw new SchemaDeclarationError(`cannot write ${describe(value)} as JSON`)
  return text
}

function dateText(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new SchemaDeclarationError('cannot write an invalid Date as a SQL literal')
  return value.toISOString()
}

function byteaText(value: Uint8Array): string {
  return `\\x${Array.from(value, (byte) => byte.toString(16).padStart(2, '0')).join('')}`
}

/** PostgreSQL's array input syntax, `{1,2,NULL}` / `{"a b","c\"d"}`. */
function arrayText(values: readonly unknown[]): string {
  return `{${values.map(arrayElementText).join(',')}}`
}

function arrayElementText(value: unknown): string {
  if (value === null) return 'NULL'
  if (Array.isArray(value)) return arrayText(value)
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  if (typeof value === 'string') return quoteArrayElement(value)
  if (value instanceof Date) return quoteArrayElement(dateText(value))
  if (value instanceof Uint8Array) return quoteArrayElement(byteaText(value))
  if (typeof value === 'object') return quoteArrayElement(renderJson(value))
  throw new SchemaDeclarationError(`cannot write ${describe(value)} as an element of a SQL array literal`)
}

function quoteArrayElement(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (value === null) return 'null'
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'symbol') return 'a symbol'
  if (typeof value === 'object') {
    const prototype: unknown = Object.getPrototypeOf(value)
    if (prototype === Object.prototype || prototype === null) return 'a plain object'
    return `an object of class ${(value.constructor as { readonly name?: string } | undefined)?.name ?? 'unknown'}`
  }
  return typeof value
}

/**
 * Kysely's PostgreSQL compiler with every value written in place: the model holds SQL text
 * that must mean the same thing on its own, so no `$1` placeholder may remain.
 */
class InlineValueCompiler extends PostgresQueryCompiler {
  protected override appendValue(value: unknown): void {
    this.append(renderLiteral(value))
  }

  protected override appendImmediateValue(value: unknown): void {
    this.append(renderLiteral(value))
  }
}

// One compiler for every fragment: `compileQuery` is synchronous and starts from a clean state.
// The id only names the query for plugins, and none run here.
const fragmentCompiler = new InlineValueCompiler()
const fragmentQueryId = createQueryId()

/** The SQL text of a `sql` fragment (or any Kysely expression), values inlined as literals. */
export function compileSqlFragment(expression: Expression<unknown>): string {
  // A `sql` fragment is already a raw query; any other expression is wrapped in one.
  const node = expression.toOperationNode()
  const root = RawNode.is(node) ? node : sql`${expression}`.toOperationNode()
  const compiled = fragmentCompiler.compileQuery(root, fragmentQueryId)
  if (compiled.parameters.length > 0) {
    throw new SchemaDeclarationError(`the fragment ${compiled.sql} kept ${compiled.parameters.length} parameter(s)`)
  }
  return compiled.sql
}
