import type { Node, RangeVar, TypeName } from '@pgsql/types'

/**
 * Small readers over libpg-query's AST. A node is an object with one key, its type
 * (`{ AlterTableStmt: {...} }`); these take it apart without a cast at every use.
 */
export function nodeAs<T>(node: Node | undefined, tag: string): T | undefined {
  if (node === undefined || node === null || typeof node !== 'object' || !(tag in node)) return undefined
  // The key names the node's type; @pgsql/types pairs each key with its interface.
  return (node as unknown as Record<string, T>)[tag]
}

export function nodeTag(node: Node | undefined): string | undefined {
  return node === undefined || node === null || typeof node !== 'object' ? undefined : Object.keys(node)[0]
}

function stringValue(node: Node | undefined): string | undefined {
  return nodeAs<{ sval?: string }>(node, 'String')?.sval
}

export function stringList(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).map(stringValue).filter((value): value is string => value !== undefined)
}

/** The key under which a table's facts are kept: `schema.name`, or `name` when unqualified or public. */
export function tableKey(relation: RangeVar | undefined): string | undefined {
  if (relation?.relname === undefined) return undefined
  return relation.schemaname === undefined || relation.schemaname === 'public' ? relation.relname : `${relation.schemaname}.${relation.relname}`
}

/** `a.b` from a qualified name list (DROP TABLE's objects, DROP INDEX's). */
export function qualifiedKey(names: readonly string[]): string | undefined {
  const name = names.at(-1)
  if (name === undefined) return undefined
  const schema = names.length > 1 ? names.at(-2) : undefined
  return schema === undefined || schema === 'public' ? name : `${schema}.${name}`
}

/** A column type as written, as far as binary compatibility needs it. */
export interface ColumnType {
  /** The catalog's name: `int4` for integer, `varchar` for character varying. */
  readonly name: string
  readonly modifiers: readonly number[]
  readonly isArray: boolean
}

const SERIAL_TYPES: Readonly<Record<string, string>> = { smallserial: 'int2', serial2: 'int2', serial: 'int4', serial4: 'int4', bigserial: 'int8', serial8: 'int8' }

export function readColumnType(typeName: TypeName | undefined): ColumnType | null {
  const name = stringList(typeName?.names).at(-1)
  if (name === undefined) return null
  const modifiers = (typeName?.typmods ?? []).map((node) => nodeAs<{ ival?: { ival?: number } }>(node, 'A_Const')?.ival?.ival ?? 0)
  return { name: SERIAL_TYPES[name] ?? name, modifiers, isArray: (typeName?.arrayBounds?.length ?? 0) > 0 }
}

export function isSerialType(typeName: TypeName | undefined): boolean {
  const name = stringList(typeName?.names).at(-1)
  return name !== undefined && Object.hasOwn(SERIAL_TYPES, name)
}

export function renderColumnType(type: ColumnType): string {
  return `${type.name}${type.modifiers.length > 0 ? `(${type.modifiers.join(',')})` : ''}${type.isArray ? '[]' : ''}`
}

const LENGTH_TYPES = new Set(['varchar', 'varbit'])
const PRECISION_TYPES = new Set(['timestamp', 'timestamptz', 'time', 'timetz', 'interval'])

/**
 * Whether PostgreSQL changes the column's type without rewriting the table: the conversions it
 * treats as binary-compatible (no USING, or USING the column itself).
 */
export function isBinaryCompatible(from: ColumnType, to: ColumnType): boolean {
  if (from.isArray !== to.isArray) return false
  if (from.name === to.name) {
    if (to.modifiers.length === 0) return from.name !== 'bpchar'
    if (sameModifiers(from, to)) return true
    if (from.modifiers.length === 0) return false
    if (LENGTH_TYPES.has(from.name) || PRECISION_TYPES.has(from.name)) return (to.modifiers[0] ?? 0) >= (from.modifiers[0] ?? 0)
    if (from.name === 'numeric') return (to.modifiers[1] ?? 0) === (from.modifiers[1] ?? 0) && (to.modifiers[0] ?? 0) >= (from.modifiers[0] ?? 0)
    return false
  }
  if (from.name === 'varchar' && to.name === 'text') return true
  if (from.name === 'text' && to.name === 'varchar') return to.modifiers.length === 0
  if (from.name === 'cidr' && to.name === 'inet') return true
  return false
}

function sameModifiers(a: ColumnType, b: ColumnType): boolean {
  return a.modifiers.length === b.modifiers.length && a.modifiers.every((value, index) => value === b.modifiers[index])
}

/** Functions whose result changes from row to row: a default calling one is computed per row. */
const VOLATILE_FUNCTIONS = new Set([
  'random',
  'random_normal',
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'setseed',
])

/** Common functions that are STABLE or IMMUTABLE, so a default calling them is computed once. */
const NON_VOLATILE_FUNCTIONS = new Set([
  'now',
  'transaction_timestamp',
  'statement_timestamp',
  'current_setting',
  'lower',
  'upper',
  'btrim',
  'length',
  'concat',
  'abs',
  'round',
  'make_interval',
  'to_jsonb',
  'jsonb_build_object',
  'jsonb_build_array',
  'json_build_object',
  'json_build_array',
  'array_fill',
])

/** Whether an expression computes a value per row: `volatile`, `stable` or `unknown` (a function tsdb cannot place). */
export function classifyVolatility(node: Node | undefined): { readonly kind: 'volatile' | 'stable' | 'unknown'; readonly functions: readonly string[] } {
  const volatile: string[] = []
  const unknown: string[] = []
  walk(node, (tag, body) => {
    if (tag !== 'FuncCall') return
    const name = stringList((body as { funcname?: Node[] }).funcname).at(-1)
    if (name === undefined) return
    if (VOLATILE_FUNCTIONS.has(name)) volatile.push(name)
    else if (!NON_VOLATILE_FUNCTIONS.has(name)) unknown.push(name)
  })
  if (volatile.length > 0) return { kind: 'volatile', functions: volatile }
  if (unknown.length > 0) return { kind: 'unknown', functions: unknown }
  return { kind: 'stable', functions: [] }
}

/** Visits every node under `node`, depth first. */
function walk(node: unknown, visit: (tag: string, body: unknown) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit)
    return
  }
  if (node === null || typeof node !== 'object') return
  for (const [key, value] of Object.entries(node)) {
    if (/^[A-Z]/.test(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) visit(key, value)
    walk(value, visit)
  }
}
