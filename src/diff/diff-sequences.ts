import type { SchemaModel, StandaloneSequenceModel } from '../model/schema-model.js'
import { pairByName } from './pair-by-name.js'
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
  const { matched, removed } = pairByName(from.sequences, to.sequences)
  const ops: SchemaOp[] = []
  for (const [previous, next] of matched) {
    if (previous === undefined) ops.push({ kind: 'createSequence', sequence: next })
    else if (!sameSequence(previous, next)) ops.push({ kind: 'alterSequence', from: previous, to: next })
  }
  for (const previous of removed) ops.push({ kind: 'dropSequence', sequence: previous })
  return ops
}
