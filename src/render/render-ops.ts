import { reverseOps, type SchemaOp } from '../diff/schema-op.js'
import type { Statement } from './code.js'
import { printStatements, usesSqlTag } from './print-code.js'
import { renderOpStatements } from './render-op.js'

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
  const up = renderStatements(ops)
  const down = renderStatements(reverseOps(ops))
  return { up: printStatements(up, ''), down: printStatements(down, ''), usesSql: usesSqlTag(up) || usesSqlTag(down) }
}
