/** A PostgreSQL enum type (`CREATE TYPE name AS ENUM (...)`), used by columns through `t.enum(type)`. */
export interface EnumType<V extends string = string> {
  readonly kind: 'enum'
  readonly name: string
  /** The PostgreSQL schema the type lives in; `public` unless declared otherwise. */
  readonly schema: string
  /** In declaration order, which is the enum's sort order in PostgreSQL. */
  readonly values: readonly V[]
}

export interface EnumTypeOptions {
  /** Default is `public`. */
  readonly schema?: string
}

/**
 * Declares an enum type. Columns that use it bring it into the schema; an enum no column uses
 * yet goes in `defineSchema`'s `enums` option.
 *
 * @example
 * const mood = enumType('mood', ['sad', 'ok', 'happy'])
 * // in a table: feeling: t.enum(mood).notNull()   -> 'sad' | 'ok' | 'happy'
 */
export function enumType<const V extends readonly string[]>(
  name: string,
  values: V,
  options: EnumTypeOptions = {},
): EnumType<V[number]> {
  return Object.freeze({ kind: 'enum', name, schema: options.schema ?? 'public', values: Object.freeze([...values]) })
}
