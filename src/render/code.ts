/**
 * A small tree of Kysely calls. Renderers build it, `printStatements` turns it into the text of
 * a revision file, and the autogenerate shell runs the very same tree against a scratch schema,
 * so what canonicalises the declaration is what the migration will run.
 */

/** A piece of a `sql` template: literal text, `${sql.id(...)}` or `${sql.lit(...)}`. */
export type SqlPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'id'; readonly names: readonly string[] }
  | { readonly kind: 'lit'; readonly value: string }

export type CodeValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'array'; readonly items: readonly CodeValue[] }
  /** `type` prints as `sql<type>`, where the builder's parameter type asks for one (a WHERE is `SqlBool`). */
  | { readonly kind: 'sql'; readonly parts: readonly SqlPart[]; readonly type?: string }
  /** `(param) => param.call1().call2()` */
  | { readonly kind: 'callback'; readonly param: string; readonly calls: readonly Call[] }

export interface Call {
  readonly method: string
  readonly args: readonly CodeValue[]
}

export type Statement =
  /** `await db.schema.<calls>.execute()` */
  | { readonly kind: 'schema'; readonly calls: readonly Call[] }
  /** `await sql\`...\`.execute(db)` */
  | { readonly kind: 'sql'; readonly parts: readonly SqlPart[] }
  | { readonly kind: 'comment'; readonly text: string }

export const str = (value: string): CodeValue => ({ kind: 'string', value })
export const strs = (values: readonly string[]): CodeValue => ({ kind: 'array', items: values.map(str) })
export const call = (method: string, ...args: readonly CodeValue[]): Call => ({ method, args })
export const callback = (param: string, calls: readonly Call[]): CodeValue => ({ kind: 'callback', param, calls })
/** `.method(...args)`, with `(param) => param.<calls>` as a last argument when there are calls. */
export const callWith = (method: string, args: readonly CodeValue[], param: string, calls: readonly Call[]): Call =>
  calls.length === 0 ? call(method, ...args) : call(method, ...args, callback(param, calls))
export const text = (value: string): SqlPart => ({ kind: 'text', text: value })
export const id = (...names: readonly string[]): SqlPart => ({ kind: 'id', names })
export const lit = (value: string): SqlPart => ({ kind: 'lit', value })
/** A `sql` fragment of text that PostgreSQL produced or the user declared (a type, an expression). */
export const sqlText = (value: string): CodeValue => ({ kind: 'sql', parts: [text(value)] })
/** A boolean `sql` fragment, e.g. a partial index's predicate: `sql<boolean>` type-checks where Kysely wants `SqlBool`. */
export const sqlCondition = (value: string): CodeValue => ({ kind: 'sql', parts: [text(value)], type: 'boolean' })
export const schemaStatement = (...calls: readonly Call[]): Statement => ({ kind: 'schema', calls })
export const sqlStatement = (...parts: readonly SqlPart[]): Statement => ({ kind: 'sql', parts })
