import { reverseOps, type SchemaOp } from '../diff/schema-op.js'
import type { Statement } from './code.js'
import { printStatements, usesSqlTag } from './print-code.js'
import { renderOpStatements } from './render-op.js'
import { renderSafeStatements, withLockTimeout } from './safe-forms.js'

export interface RenderedOps {
  /** The body of `up`, unindented: the revision template indents it inside the function. */
  readonly up: string
  /** The body of `down`: the exact inverse (`reverseOps`), rendered the same way. */
  readonly down: string
  /** Whether either body uses Kysely's `sql` tag, so the file must import it. */
  readonly usesSql: boolean
}

export function renderStatements(ops: readonly SchemaOp[]): readonly Statement[] {
  return ops.flatMap(renderOpStatements)
}

export function renderOps(ops: readonly SchemaOp[]): RenderedOps {
  return printBodies(renderStatements(ops), renderStatements(reverseOps(ops)))
}

export function printBodies(up: readonly Statement[], down: readonly Statement[]): RenderedOps {
  return { up: printStatements(up, ''), down: printStatements(down, ''), usesSql: usesSqlTag(up) || usesSqlTag(down) }
}

interface RevisionStatements {
  readonly up: readonly Statement[]
  readonly down: readonly Statement[]
  /** False when a safe form needs its statements to commit apart: `transactional = false`. */
  readonly isTransactional: boolean
}

interface RevisionStatementOptions {
  /** Write the safe form of an op on an existing table (see safe-forms.ts). */
  readonly safeForms: boolean
  /** The `lock_timeout` a revision outside a transaction sets for itself; 0 sets none. */
  readonly lockTimeoutMs: number
}

/** The statements of `up` and `down` (the exact inverse, `reverseOps`), safe forms included when asked. */
export function planRevisionStatements(ops: readonly SchemaOp[], options: RevisionStatementOptions): RevisionStatements {
  const down = reverseOps(ops)
  if (!options.safeForms) return { up: renderStatements(ops), down: renderStatements(down), isTransactional: true }
  const safeUp = renderSafeStatements(ops)
  const safeDown = renderSafeStatements(down)
  if (!safeUp.needsAutocommit && !safeDown.needsAutocommit) return { up: safeUp.statements, down: safeDown.statements, isTransactional: true }
  return {
    up: withLockTimeout(safeUp.statements, options.lockTimeoutMs),
    down: withLockTimeout(safeDown.statements, options.lockTimeoutMs),
    isTransactional: false,
  }
}
