import type { SchemaOp } from './schema-op.js'

/**
 * Whether ops add an enum value and then use it: PostgreSQL refuses a value added in the
 * transaction that uses it ("unsafe use of new value") until the ADD VALUE has committed. A use
 * is any later op whose texts (a default, a check, a predicate) hold the value as a string
 * literal; a false positive only costs the revision its transaction.
 */
export function usesAddedEnumValues(ops: readonly SchemaOp[]): boolean {
  const added = ops.flatMap((op) => (op.kind === 'addEnumValue' ? [`'${op.value.replaceAll("'", "''")}'`] : []))
  if (added.length === 0) return false
  return ops.some((op) => {
    if (op.kind === 'addEnumValue' || op.kind === 'recreateEnum' || op.kind === 'createEnum' || op.kind === 'dropEnum') return false
    const texts = JSON.stringify(op)
    return added.some((literal) => texts.includes(literal))
  })
}
