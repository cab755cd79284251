import type { SchemaModel, StandaloneSequenceModel } from '../model/schema-model.js'
import { compareText, tableKey } from '../model/schema-model.js'
import type { SchemaOp } from './schema-op.js'

const sameSequence = (a: StandaloneSequenceModel, b: StandaloneSequenceModel): boolean =>
  a.type === b.type &&
  a.start === b.start &&
  a.increment === b.increment &&
  a.minValue === b.minValue &&
  a.maxValue === b.maxValue &&
  a.cycle === b.cycle

/** Added, removed and changed standalone sequences (a change is one `ALTER SEQUENCE`). */
export function diffSequences(from: SchemaModel, to: SchemaModel): readonly SchemaOp[] {
  const before = new Map(from.sequences.map((item) => [tableKey(item), item]))
  const after = new Map(to.sequences.map((item) => [tableKey(item), item]))
  const ops: SchemaOp[] = []
  for (const [key, next] of [...after].toSorted(([a], [b]) => compareText(a, b))) {
    const previous = before.get(key)
    if (previous === undefined) ops.push({ kind: 'createSequence', sequence: next })
    else if (!sameSequence(previous, next)) ops.push({ kind: 'alterSequence', from: previous, to: next })
  }
  for (const [key, previous] of [...before].toSorted(([a], [b]) => compareText(a, b))) {
    if (!after.has(key)) ops.push({ kind: 'dropSequence', sequence: previous })
  }
  return ops
}
