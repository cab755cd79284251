import { compareText, tableKey, type QualifiedName } from '../model/schema-model.js'

export interface NamedPairs<T> {
  /** Each item of `to`, in name order, with the item of the same name in `from` (undefined when it is new). */
  readonly matched: readonly (readonly [previous: T | undefined, next: T])[]
  /** The items of `from` with no namesake in `to`, in name order. */
  readonly removed: readonly T[]
}

/** Schema-level objects (enums, sequences, views) of two models matched by qualified name. */
export function pairByName<T extends QualifiedName>(from: readonly T[], to: readonly T[]): NamedPairs<T> {
  const byName = (items: readonly T[]) => items.toSorted((a, b) => compareText(tableKey(a), tableKey(b)))
  const before = new Map(from.map((item) => [tableKey(item), item]))
  const after = new Set(to.map(tableKey))
  return {
    matched: byName(to).map((next) => [before.get(tableKey(next)), next] as const),
    removed: byName(from).filter((item) => !after.has(tableKey(item))),
  }
}

/** Whether two lists hold the same items in the same order. */
export const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((item, i) => item === b[i])
