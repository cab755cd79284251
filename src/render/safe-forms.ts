import type { SchemaOp } from '../diff/schema-op.js'
import { tableKey, type CheckModel, type QualifiedName } from '../model/schema-model.js'
import { makeObjectName } from '../schema/pg-names.js'
import { id, sqlStatement, text, type SqlPart, type Statement } from './code.js'
import { checkExpression, CONCURRENT_INDEX, createIndexSql, foreignKeyClause, ids, renderOpStatements } from './render-op.js'

/**
 * The forms of an op that keep a live table readable and writable, for a table that already
 * exists (a table created in the same revision is empty and seen by no one: the plain form is
 * fine there). Each needs statements that commit apart (CONCURRENTLY refuses a transaction; a
 * VALIDATE in the transaction of its ADD keeps the ADD's lock), so a revision that uses one runs
 * outside a transaction, each statement committing on its own (`transactional = false`).
 */
interface SafeStatements {
  readonly statements: readonly Statement[]
  /** Whether a statement must commit apart from the others: the revision then runs outside a transaction. */
  readonly needsAutocommit: boolean
}

/** Renders the ops of one direction, the safe form where one exists. */
export function renderSafeStatements(ops: readonly SchemaOp[]): SafeStatements {
  const created = new Set(ops.flatMap((op) => (op.kind === 'createTable' ? [tableKey(op.table)] : [])))
  const isNew = (table: QualifiedName) => created.has(tableKey(table))
  let needsAutocommit = false
  const statements = ops.flatMap((op) => {
    const safe = safeForm(op, isNew)
    if (safe === null) return renderOpStatements(op)
    needsAutocommit = true
    return safe
  })
  return { statements, needsAutocommit }
}

/**
 * A revision that runs outside a transaction gets upgrade's `lock_timeout` itself (upgrade sets it
 * only in the transactions it opens), so that a statement waiting for a lock fails fast instead of
 * queueing the table's traffic behind it; but none around CREATE INDEX CONCURRENTLY, which waits
 * for older transactions by design, with a lock that blocks neither reads nor writes: cut short,
 * it would leave an INVALID index behind.
 */
export function withLockTimeout(statements: readonly Statement[], timeoutMs: number): readonly Statement[] {
  if (timeoutMs <= 0) return statements
  const set = (value: string) => sqlStatement(text(`SET lock_timeout = ${value}`))
  const out: Statement[] = []
  let comments: Statement[] = []
  let current = '0'
  for (const statement of statements) {
    // A comment stays next to the statement it is about.
    if (statement.kind === 'comment') {
      comments.push(statement)
      continue
    }
    const wanted = isConcurrentIndex(statement) ? '0' : `'${Math.round(timeoutMs)}ms'`
    if (wanted !== current) out.push(set(wanted))
    current = wanted
    out.push(...comments, statement)
    comments = []
  }
  return [...out, ...comments, ...(current === '0' ? [] : [sqlStatement(text('RESET lock_timeout'))])]
}

const isConcurrentIndex = (statement: Statement): boolean =>
  statement.kind === 'sql' && statement.parts[0]?.kind === 'text' && statement.parts[0].text.endsWith(CONCURRENT_INDEX)

function safeForm(op: SchemaOp, isNew: (table: QualifiedName) => boolean): readonly Statement[] | null {
  if (!('table' in op) || isNew(op.table)) return null
  switch (op.kind) {
    case 'createIndex':
      return [createIndexSql(op.table, op.index, true)]
    case 'addForeignKey':
      return addNotValid(op.table, op.foreignKey.name, foreignKeyClause(op.foreignKey))
    case 'addCheck':
      return addNotValid(op.table, op.check.name, checkClause(op.check))
    case 'alterColumn': {
      // A column becoming identity needs its NOT NULL first, in the same ALTER: the plain form.
      if (!op.from.nullable || op.to.nullable || op.from.identity !== op.to.identity) return null
      // Everything else the op changes, then the NOT NULL through a validated check.
      const rest = renderOpStatements({ ...op, to: { ...op.to, nullable: true } })
      return [...rest, ...setNotNullThroughCheck(op.table, op.to.name)]
    }
    default:
      return null
  }
}

const alterTable = (table: QualifiedName, ...parts: readonly SqlPart[]): Statement => sqlStatement(text('ALTER TABLE '), ids(table), text(' '), ...parts)

const checkClause = (check: CheckModel): readonly SqlPart[] => [text(`CHECK ${checkExpression(check)}`)]

/** New rows are checked from the ADD on; the old ones by VALIDATE, which lets reads and writes go on. */
const addNotValid = (table: QualifiedName, name: string, clause: readonly SqlPart[]): readonly Statement[] => [
  alterTable(table, text('ADD CONSTRAINT '), id(name), text(' '), ...clause, text(' NOT VALID')),
  alterTable(table, text('VALIDATE CONSTRAINT '), id(name)),
]

/** PostgreSQL skips SET NOT NULL's scan when a validated CHECK (col IS NOT NULL) proves it. */
function setNotNullThroughCheck(table: QualifiedName, column: string): readonly Statement[] {
  const check = makeObjectName(table.name, column, 'not_null')
  return [
    ...addNotValid(table, check, [text('CHECK ('), id(column), text(' IS NOT NULL)')]),
    alterTable(table, text('ALTER COLUMN '), id(column), text(' SET NOT NULL')),
    alterTable(table, text('DROP CONSTRAINT '), id(check)),
  ]
}
