import type { SchemaOp, SchemaOpKind } from './schema-op.js'

/**
 * The phase of each kind. Renames come first so that every later op can use the new names;
 * removals of dependents (foreign keys, indexes, constraints) come before what they depend on;
 * additions come in the opposite order, foreign keys last. Mirrored phases keep `reverseOps` valid:
 * reversing the list puts each inverse in the phase its kind needs.
 */
const PHASE: { readonly [K in SchemaOpKind]: number } = {
  createSchema: 0,
  createEnum: 1,
  // A column default may take its values from a sequence (`nextval`): it exists first and goes last.
  createSequence: 1.5,
  alterSequence: 1.5,
  addEnumValue: 2,
  // Views are dropped before the tables they read change, and created after.
  dropView: 2.5,
  renameTable: 3,
  renameColumn: 4,
  renameConstraint: 5,
  renameIndex: 5,
  dropForeignKey: 6,
  dropIndex: 7,
  dropCheck: 8,
  dropUnique: 8,
  dropExclusion: 8,
  dropPrimaryKey: 9,
  dropTable: 10,
  createTable: 11,
  dropColumn: 12,
  addColumn: 13,
  alterColumn: 14,
  recreateEnum: 15,
  addPrimaryKey: 16,
  addUnique: 17,
  addCheck: 17,
  addExclusion: 17,
  createIndex: 18,
  addForeignKey: 19,
  setTableComment: 20,
  replaceView: 20.5,
  createView: 20.5,
  dropEnum: 21,
  dropSequence: 21.5,
  dropSchema: 22,
}

/** Stable: within a phase, ops keep the order the diff produced them in. */
export function orderOps(ops: readonly SchemaOp[]): readonly SchemaOp[] {
  return ops
    .map((op, index) => ({ op, index }))
    .toSorted((a, b) => PHASE[a.op.kind] - PHASE[b.op.kind] || a.index - b.index)
    .map(({ op }) => op)
}
