import type { EnumModel, QualifiedName, SchemaModel } from '../model/schema-model.js'
import { quoteIdentifierIfNeeded } from '../model/identifier.js'
import { pairByName, sameList } from './pair-by-name.js'
import { recreateEnumOp, type EnumColumnUse, type SchemaOp } from './schema-op.js'

/** The text `format_type` prints for an enum, seen from a `public` search path. */
function enumTypeText(name: QualifiedName): string {
  const base = quoteIdentifierIfNeeded(name.name)
  return name.schema === 'public' ? base : `${quoteIdentifierIfNeeded(name.schema)}.${base}`
}

/** Columns of `model` whose type is the enum or an array of it (`format_type` prints any array as `mood[]`). */
function enumUses(model: SchemaModel, name: QualifiedName): readonly EnumColumnUse[] {
  const type = enumTypeText(name)
  return model.tables.flatMap((table) =>
    table.columns
      .filter((column) => column.type === type || column.type === `${type}[]`)
      .map((column) => ({
        table: { schema: table.schema, name: table.name },
        column: column.name,
        default: column.default,
        isArray: column.type !== type,
      })),
  )
}

/**
 * Added enums, removed enums, and changed values. Values only inserted (the old order kept) become
 * `ALTER TYPE ... ADD VALUE`, cheap and safe; anything else recreates the type.
 */
export function diffEnums(from: SchemaModel, to: SchemaModel): readonly SchemaOp[] {
  const { matched, removed } = pairByName(from.enums, to.enums)
  const ops: SchemaOp[] = []
  for (const [previous, next] of matched) {
    if (previous === undefined) ops.push({ kind: 'createEnum', enum: next })
    else if (!sameList(previous.values, next.values)) ops.push(...changeEnum(previous, next, from, to))
  }
  for (const previous of removed) ops.push({ kind: 'dropEnum', enum: previous })
  return ops
}

function changeEnum(previous: EnumModel, next: EnumModel, from: SchemaModel, to: SchemaModel): readonly SchemaOp[] {
  if (!isSubsequence(previous.values, next.values)) return [recreateEnumOp(previous, next, enumUses(to, next))]
  const ops: SchemaOp[] = []
  let values = previous.values
  next.values.forEach((value, index) => {
    if (values.includes(value)) return
    const before = next.values.slice(index + 1).find((v) => values.includes(v)) ?? null
    ops.push({ kind: 'addEnumValue', enum: { ...previous, values }, value, before, uses: enumUses(from, previous) })
    const at = before === null ? values.length : values.indexOf(before)
    values = [...values.slice(0, at), value, ...values.slice(at)]
  })
  return ops
}

function isSubsequence(short: readonly string[], long: readonly string[]): boolean {
  let at = 0
  for (const value of long) if (value === short[at]) at++
  return at === short.length
}
