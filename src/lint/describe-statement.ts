import type {
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  CreateStmt,
  DropStmt,
  IndexElem,
  IndexStmt,
  Node,
  RangeVar,
  RenameStmt,
  VariableSetStmt,
} from '@pgsql/types'
import type { LintRuleId } from './lint-rules.js'
import { LOCK_MODES, strongerLock, type LockMode, type TableLock } from './lock-modes.js'
import type { SchemaFacts } from './schema-facts.js'
import {
  classifyVolatility,
  isBinaryCompatible,
  isSerialType,
  nodeAs,
  nodeTag,
  qualifiedKey,
  readColumnType,
  renderColumnType,
  stringList,
  tableKey,
} from './sql-facts.js'

/** A rule broken by a statement, with what is specific to this statement. */
export interface StatementIssue {
  readonly rule: LintRuleId
  readonly message: string
}

/** What one statement does, as far as locks and slow work go. */
export interface StatementEffect {
  readonly locks: readonly TableLock[]
  readonly issues: readonly StatementIssue[]
  /** The slow work it does on an existing table (a rewrite, a scan, an index build, a backfill), or null. */
  readonly slowWork: string | null
  /** Tables it creates: no other session sees them before the transaction commits. */
  readonly creates: readonly string[]
  readonly setsLockTimeout: boolean
  readonly transactionControl: 'begin' | 'end' | null
  /** CONCURRENTLY, which PostgreSQL refuses inside a transaction block. */
  readonly isConcurrent: boolean
  /** Constraints it adds NOT VALID, as `table.constraint`. */
  readonly addsNotValid: readonly string[]
  /** Constraints it validates, as `table.constraint`. */
  readonly validates: readonly string[]
}

export interface DescribeContext {
  readonly facts: SchemaFacts
  /** Whether the table was created earlier in the same transaction (or does not exist yet). */
  readonly isNew: (table: string) => boolean
}

/**
 * Reads one statement's AST: the lock it takes on each table (PostgreSQL's lock levels, by
 * statement type and ALTER TABLE subcommand, as the manual's Explicit Locking chapter and
 * ALTER TABLE's reference page give them), the slow work it does, and the risks that makes.
 * Updates `ctx.facts` with what the statement changes.
 */
export function describeStatement(node: Node, ctx: DescribeContext): StatementEffect {
  const effect = new EffectBuilder()
  const tag = nodeTag(node)
  switch (tag) {
    case 'CreateStmt':
      describeCreateTable(nodeAs<CreateStmt>(node, tag)!, ctx, effect)
      break
    case 'AlterTableStmt':
      describeAlterTable(nodeAs<AlterTableStmt>(node, tag)!, ctx, effect)
      break
    case 'IndexStmt':
      describeCreateIndex(nodeAs<IndexStmt>(node, tag)!, ctx, effect)
      break
    case 'DropStmt':
      describeDrop(nodeAs<DropStmt>(node, tag)!, ctx, effect)
      break
    case 'RenameStmt':
      describeRename(nodeAs<RenameStmt>(node, tag)!, ctx, effect)
      break
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt': {
      const relation = nodeAs<{ relation?: RangeVar }>(node, tag)?.relation
      const table = tableKey(relation)
      if (table !== undefined) {
        effect.lock(table, 'ROW EXCLUSIVE')
        const isBackfill = tag !== 'InsertStmt' || nodeAs<{ selectStmt?: Node }>(node, tag)?.selectStmt !== undefined
        if (isBackfill && !ctx.isNew(table)) effect.slow(`${tag === 'InsertStmt' ? 'INSERT ... SELECT into' : tag.replace('Stmt', '').toUpperCase()} ${table}`)
      }
      break
    }
    case 'TruncateStmt':
    case 'LockStmt': {
      const lock = nodeAs<{ relations?: Node[]; mode?: number }>(node, tag)!
      // TRUNCATE, and LOCK without a mode, take ACCESS EXCLUSIVE.
      const mode = LOCK_MODES[(lock.mode ?? 8) - 1] ?? 'ACCESS EXCLUSIVE'
      for (const relation of lock.relations ?? []) {
        const table = tableKey(nodeAs<RangeVar>(relation, 'RangeVar'))
        if (table !== undefined) effect.lock(table, mode)
      }
      break
    }
    case 'VacuumStmt':
    case 'ClusterStmt':
      describeMaintenance(node, tag, ctx, effect)
      break
    case 'CreateTrigStmt': {
      const table = tableKey(nodeAs<{ relation?: RangeVar }>(node, tag)?.relation)
      if (table !== undefined) effect.lock(table, 'SHARE ROW EXCLUSIVE')
      break
    }
    case 'VariableSetStmt': {
      const set = nodeAs<VariableSetStmt>(node, tag)!
      if (set.name === 'lock_timeout' && set.kind === 'VAR_SET_VALUE') effect.setsLockTimeout = !isZeroSetting(set.args)
      break
    }
    case 'TransactionStmt': {
      const kind = nodeAs<{ kind?: string }>(node, tag)?.kind
      if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') effect.transactionControl = 'begin'
      if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK') effect.transactionControl = 'end'
      break
    }
    case 'ReindexStmt': {
      const reindex = nodeAs<{ relation?: RangeVar; kind?: string; params?: Node[] }>(node, tag)!
      const isConcurrent = (reindex.params ?? []).some((param) => nodeAs<{ defname?: string }>(param, 'DefElem')?.defname === 'concurrently')
      const table = tableKey(reindex.relation)
      if (isConcurrent) effect.isConcurrent = true
      if (table !== undefined && reindex.kind === 'REINDEX_OBJECT_TABLE') effect.lock(table, isConcurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE')
      break
    }
    default:
      break
  }
  return effect.build()
}

class EffectBuilder {
  readonly #locks = new Map<string, LockMode>()
  readonly issues: StatementIssue[] = []
  slowWork: string | null = null
  readonly creates: string[] = []
  setsLockTimeout = false
  transactionControl: 'begin' | 'end' | null = null
  isConcurrent = false
  readonly addsNotValid: string[] = []
  readonly validates: string[] = []

  lock(table: string, mode: LockMode): void {
    const held = this.#locks.get(table)
    this.#locks.set(table, held === undefined ? mode : strongerLock(held, mode))
  }
  issue(rule: LintRuleId, message: string): void {
    this.issues.push({ rule, message })
  }
  slow(work: string): void {
    this.slowWork ??= work
  }
  build(): StatementEffect {
    // The spread copies the public fields; the private lock map becomes the list.
    return { ...this, locks: [...this.#locks].map(([table, mode]) => ({ table, mode })) }
  }
}

function isZeroSetting(args: readonly Node[] | undefined): boolean {
  const value = nodeAs<{ ival?: { ival?: number }; sval?: { sval?: string } }>(args?.[0], 'A_Const')
  if (value === undefined) return false
  if (value.ival !== undefined) return (value.ival.ival ?? 0) === 0
  return /^\s*0\s*[a-z]*\s*$/i.test(value.sval?.sval ?? '')
}

function describeCreateTable(create: CreateStmt, ctx: DescribeContext, effect: EffectBuilder): void {
  const table = tableKey(create.relation)
  if (table === undefined) return
  effect.creates.push(table)
  ctx.facts.dropTable(table)
  for (const element of create.tableElts ?? []) {
    const column = nodeAs<ColumnDef>(element, 'ColumnDef')
    if (column !== undefined) recordColumn(table, column, ctx, effect)
    const constraint = nodeAs<Constraint>(element, 'Constraint')
    if (constraint !== undefined) recordTableConstraint(table, constraint, ctx, effect)
  }
}

/** Records a column of CREATE TABLE or ADD COLUMN (its type, NOT NULL, key indexes); returns its constraints. */
function recordColumn(table: string, column: ColumnDef, ctx: DescribeContext, effect: EffectBuilder): Constraint[] {
  const constraints = (column.constraints ?? []).flatMap((node) => nodeAs<Constraint>(node, 'Constraint') ?? [])
  const name = column.colname
  if (name === undefined) return constraints
  const facts = ctx.facts.ensureTable(table)
  facts.columns.set(name, readColumnType(column.typeName))
  if (column.is_not_null === true) facts.notNull.add(name)
  for (const constraint of constraints) {
    if (constraint.contype === 'CONSTR_NOTNULL' || constraint.contype === 'CONSTR_PRIMARY') facts.notNull.add(name)
    if (constraint.contype === 'CONSTR_PRIMARY' || constraint.contype === 'CONSTR_UNIQUE') {
      ctx.facts.addIndex(constraint.conname ?? implicitIndexName(table, [name], constraint), table, [name])
    }
    if (constraint.contype === 'CONSTR_FOREIGN') lockReferencedTable(constraint, effect)
  }
  return constraints
}

function implicitIndexName(table: string, columns: readonly string[], constraint: Constraint): string {
  const bare = table.split('.').at(-1) ?? table
  return constraint.contype === 'CONSTR_PRIMARY' ? `${bare}_pkey` : `${bare}_${columns.join('_')}_key`
}

function recordTableConstraint(table: string, constraint: Constraint, ctx: DescribeContext, effect: EffectBuilder): void {
  const keys = stringList(constraint.keys)
  if ((constraint.contype === 'CONSTR_PRIMARY' || constraint.contype === 'CONSTR_UNIQUE') && keys.length > 0) {
    ctx.facts.addIndex(constraint.indexname ?? constraint.conname ?? implicitIndexName(table, keys, constraint), table, keys)
    if (constraint.contype === 'CONSTR_PRIMARY') for (const key of keys) ctx.facts.ensureTable(table).notNull.add(key)
  }
  if (constraint.contype === 'CONSTR_FOREIGN') lockReferencedTable(constraint, effect)
  const notNullColumn = notNullCheckColumn(constraint)
  if (notNullColumn !== undefined && constraint.conname !== undefined) {
    ctx.facts.ensureTable(table).notNullChecks.set(constraint.conname, { column: notNullColumn, isValidated: constraint.skip_validation !== true })
  }
}

/** A foreign key adds triggers on the table it references: SHARE ROW EXCLUSIVE there. */
function lockReferencedTable(constraint: Constraint, effect: EffectBuilder): void {
  const referenced = tableKey(constraint.pktable)
  if (referenced !== undefined) effect.lock(referenced, 'SHARE ROW EXCLUSIVE')
}

/** The column of `CHECK (col IS NOT NULL)`, which lets SET NOT NULL skip its scan once validated. */
function notNullCheckColumn(constraint: Constraint): string | undefined {
  if (constraint.contype !== 'CONSTR_CHECK') return undefined
  const test = nodeAs<{ arg?: Node; nulltesttype?: string }>(constraint.raw_expr, 'NullTest')
  if (test?.nulltesttype !== 'IS_NOT_NULL') return undefined
  const fields = stringList(nodeAs<{ fields?: Node[] }>(test.arg, 'ColumnRef')?.fields)
  return fields.length === 1 ? fields[0] : undefined
}

function describeCreateIndex(index: IndexStmt, ctx: DescribeContext, effect: EffectBuilder): void {
  const table = tableKey(index.relation)
  if (table === undefined) return
  const columns = (index.indexParams ?? [])
    .map((param) => nodeAs<IndexElem>(param, 'IndexElem')?.name)
    .filter((name): name is string => name !== undefined)
  if (index.idxname !== undefined) ctx.facts.addIndex(index.idxname, table, columns)
  if (index.concurrent === true) {
    effect.isConcurrent = true
    effect.lock(table, 'SHARE UPDATE EXCLUSIVE')
    return
  }
  effect.lock(table, 'SHARE')
  if (ctx.isNew(table)) return
  effect.slow(`building index ${index.idxname ?? ''} on ${table}`.replace('  ', ' '))
  effect.issue(
    'create-index-blocks-writes',
    `builds the index by reading all of ${table} while holding SHARE on it: every INSERT, UPDATE and DELETE on ${table} waits until the build ends`,
  )
}

function describeDrop(drop: DropStmt, ctx: DescribeContext, effect: EffectBuilder): void {
  for (const object of drop.objects ?? []) {
    const key = qualifiedKey(stringList(nodeAs<{ items?: Node[] }>(object, 'List')?.items))
    if (key === undefined) continue
    if (drop.removeType === 'OBJECT_TABLE') {
      effect.lock(key, 'ACCESS EXCLUSIVE')
      const isNew = ctx.isNew(key)
      ctx.facts.dropTable(key)
      if (!isNew) effect.issue('drop-table', `drops ${key} and its rows: application code still running against ${key} fails from this moment`)
    } else if (drop.removeType === 'OBJECT_INDEX') {
      if (drop.concurrent === true) effect.isConcurrent = true
      ctx.facts.dropIndex(key.split('.').at(-1) ?? key)
    }
  }
}

function describeRename(rename: RenameStmt, ctx: DescribeContext, effect: EffectBuilder): void {
  const table = tableKey(rename.relation)
  if (table === undefined) return
  if (rename.renameType === 'OBJECT_TABLE' && rename.newname !== undefined) {
    effect.lock(table, 'ACCESS EXCLUSIVE')
    const schema = table.includes('.') ? `${table.split('.')[0]}.` : ''
    ctx.facts.renameTable(table, `${schema}${rename.newname}`)
  } else if (rename.renameType === 'OBJECT_COLUMN' && rename.subname !== undefined && rename.newname !== undefined) {
    effect.lock(table, 'ACCESS EXCLUSIVE')
    ctx.facts.renameColumn(table, rename.subname, rename.newname)
  } else if (rename.renameType === 'OBJECT_TABCONSTRAINT') {
    effect.lock(table, 'ACCESS EXCLUSIVE')
  }
}

function describeMaintenance(node: Node, tag: string, ctx: DescribeContext, effect: EffectBuilder): void {
  if (tag === 'ClusterStmt') {
    const table = tableKey(nodeAs<{ relation?: RangeVar }>(node, tag)?.relation)
    if (table === undefined) return
    effect.lock(table, 'ACCESS EXCLUSIVE')
    if (!ctx.isNew(table)) {
      effect.slow(`CLUSTER rewriting ${table}`)
      effect.issue('table-rewrite', `CLUSTER rewrites all of ${table} under ACCESS EXCLUSIVE: reads and writes wait until it ends`)
    }
    return
  }
  const vacuum = nodeAs<{ options?: Node[]; rels?: Node[]; is_vacuumcmd?: boolean }>(node, tag)!
  const isFull = (vacuum.options ?? []).some((option) => nodeAs<{ defname?: string }>(option, 'DefElem')?.defname === 'full')
  for (const rel of vacuum.rels ?? []) {
    const table = tableKey(nodeAs<{ relation?: RangeVar }>(rel, 'VacuumRelation')?.relation)
    if (table === undefined) continue
    effect.lock(table, isFull ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE')
    if (isFull && !ctx.isNew(table)) {
      effect.slow(`VACUUM FULL rewriting ${table}`)
      effect.issue('table-rewrite', `VACUUM FULL rewrites all of ${table} under ACCESS EXCLUSIVE: reads and writes wait until it ends`)
    }
  }
}

function describeAlterTable(alter: AlterTableStmt, ctx: DescribeContext, effect: EffectBuilder): void {
  const table = tableKey(alter.relation)
  if (table === undefined || (alter.objtype !== undefined && alter.objtype !== 'OBJECT_TABLE')) return
  const isNew = ctx.isNew(table)
  for (const node of alter.cmds ?? []) {
    const cmd = nodeAs<AlterTableCmd>(node, 'AlterTableCmd')
    if (cmd !== undefined) describeAlterTableCmd(table, isNew, cmd, ctx, effect)
  }
}

// ALTER TABLE takes the strongest lock any of its subcommands needs (AlterTableGetLockLevel);
// a subcommand in neither list takes ACCESS EXCLUSIVE.
const SHARE_UPDATE_EXCLUSIVE_SUBCOMMANDS = new Set([
  'AT_SetStatistics', 'AT_SetOptions', 'AT_ResetOptions', 'AT_ValidateConstraint', 'AT_ClusterOn',
  'AT_DropCluster', 'AT_SetRelOptions', 'AT_ResetRelOptions', 'AT_AttachPartition',
])
const SHARE_ROW_EXCLUSIVE_SUBCOMMANDS = new Set([
  'AT_EnableTrig', 'AT_EnableAlwaysTrig', 'AT_EnableReplicaTrig', 'AT_DisableTrig', 'AT_EnableTrigAll',
  'AT_DisableTrigAll', 'AT_EnableTrigUser', 'AT_DisableTrigUser', 'AT_AlterConstraint',
])

function alterTableLock(cmd: AlterTableCmd): LockMode {
  const subtype = cmd.subtype ?? ''
  if (SHARE_UPDATE_EXCLUSIVE_SUBCOMMANDS.has(subtype)) return 'SHARE UPDATE EXCLUSIVE'
  const isForeignKey = subtype === 'AT_AddConstraint' && nodeAs<Constraint>(cmd.def, 'Constraint')?.contype === 'CONSTR_FOREIGN'
  return SHARE_ROW_EXCLUSIVE_SUBCOMMANDS.has(subtype) || isForeignKey ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE'
}

function describeAlterTableCmd(table: string, isNew: boolean, cmd: AlterTableCmd, ctx: DescribeContext, effect: EffectBuilder): void {
  effect.lock(table, alterTableLock(cmd))
  const facts = ctx.facts.ensureTable(table)
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const column = nodeAs<ColumnDef>(cmd.def, 'ColumnDef')
      if (column?.colname === undefined) return
      const constraints = recordColumn(table, column, ctx, effect)
      if (!isNew) describeAddColumnRewrite(table, column, constraints, effect)
      return
    }
    case 'AT_DropColumn':
      if (cmd.name === undefined) return
      ctx.facts.dropColumn(table, cmd.name)
      if (!isNew) effect.issue('drop-column', `drops ${table}.${cmd.name} and its data: application code still reading or writing it fails from this moment`)
      return
    case 'AT_AlterColumnType':
      describeTypeChange(table, isNew, cmd, ctx, effect)
      return
    case 'AT_SetNotNull': {
      if (cmd.name === undefined) return
      const isProven = facts.notNull.has(cmd.name) || [...facts.notNullChecks.values()].some((check) => check.column === cmd.name && check.isValidated)
      facts.notNull.add(cmd.name)
      if (isNew || isProven) return
      effect.slow(`scanning ${table} for NULLs in ${cmd.name}`)
      effect.issue(
        'set-not-null-scans',
        `reads all of ${table} to check ${cmd.name} for NULLs while holding ACCESS EXCLUSIVE: reads and writes wait until the scan ends`,
      )
      return
    }
    case 'AT_DropNotNull':
      if (cmd.name !== undefined) facts.notNull.delete(cmd.name)
      return
    case 'AT_AddConstraint': {
      const constraint = nodeAs<Constraint>(cmd.def, 'Constraint')
      if (constraint === undefined) return
      recordTableConstraint(table, constraint, ctx, effect)
      if (constraint.skip_validation === true && constraint.conname !== undefined) effect.addsNotValid.push(`${table}.${constraint.conname}`)
      if (isNew) return
      describeAddConstraint(table, constraint, effect)
      return
    }
    case 'AT_ValidateConstraint': {
      if (cmd.name === undefined) return
      const check = facts.notNullChecks.get(cmd.name)
      if (check !== undefined) check.isValidated = true
      effect.validates.push(`${table}.${cmd.name}`)
      if (!isNew) effect.slow(`validating ${cmd.name} over all of ${table}`)
      return
    }
    case 'AT_DropConstraint':
      if (cmd.name !== undefined) {
        facts.notNullChecks.delete(cmd.name)
        ctx.facts.dropIndex(cmd.name)
      }
      return
    case 'AT_SetLogged':
    case 'AT_SetUnLogged':
    case 'AT_SetAccessMethod':
    case 'AT_SetTableSpace':
      if (isNew) return
      effect.slow(`rewriting ${table}`)
      effect.issue('table-rewrite', `rewrites (or copies) all of ${table} under ACCESS EXCLUSIVE: reads and writes wait until it ends`)
      return
    default:
      return
  }
}

function describeAddColumnRewrite(table: string, column: ColumnDef, constraints: readonly Constraint[], effect: EffectBuilder): void {
  const name = `${table}.${column.colname ?? ''}`
  const rewrite = (what: string, isCertain = true) => {
    if (isCertain) effect.slow(`rewriting ${table}`)
    effect.issue(
      'add-column-rewrite',
      `${what}, so PostgreSQL rewrites all of ${table} to fill it in, under ACCESS EXCLUSIVE: reads and writes wait until the rewrite ends`,
    )
  }
  if (isSerialType(column.typeName)) return rewrite(`${name} is a serial column (its default calls nextval(), once per row)`)
  for (const constraint of constraints) {
    if (constraint.contype === 'CONSTR_IDENTITY') return rewrite(`${name} is an identity column (a sequence value per row)`)
    if (constraint.contype === 'CONSTR_GENERATED' && constraint.generated_when !== undefined) {
      return rewrite(`${name} is a stored generated column (computed per row)`)
    }
    if (constraint.contype !== 'CONSTR_DEFAULT') continue
    const volatility = classifyVolatility(constraint.raw_expr)
    const calls = volatility.functions.join(', ')
    if (volatility.kind === 'volatile') return rewrite(`the default of ${name} calls ${calls}(), which is volatile (a value per row)`)
    if (volatility.kind === 'unknown') {
      return rewrite(`the default of ${name} calls ${calls}(); unless that is STABLE or IMMUTABLE it is computed per row`, false)
    }
  }
}

function describeTypeChange(table: string, isNew: boolean, cmd: AlterTableCmd, ctx: DescribeContext, effect: EffectBuilder): void {
  const columnName = cmd.name
  const def = nodeAs<ColumnDef>(cmd.def, 'ColumnDef')
  if (columnName === undefined || def === undefined) return
  const facts = ctx.facts.ensureTable(table)
  const from = facts.columns.get(columnName) ?? null
  const to = readColumnType(def.typeName)
  facts.columns.set(columnName, to)
  if (isNew || to === null) return
  const usingSelf = def.raw_default === undefined || isPlainColumnRef(def.raw_default, columnName)
  const indexes = ctx.facts.indexesOn(table, columnName)
  const indexNote = indexes.length > 0 ? `, and rebuilds its ${indexes.length === 1 ? 'index' : 'indexes'} ${indexes.join(', ')}` : ''
  if (from !== null && usingSelf && isBinaryCompatible(from, to)) return
  effect.slow(`rewriting ${table}`)
  if (from === null) {
    effect.issue(
      'column-type-may-rewrite',
      `tsdb does not know the current type of ${table}.${columnName}; unless ${renderColumnType(to)} is binary-compatible with it, PostgreSQL rewrites all of ${table} under ACCESS EXCLUSIVE${indexNote}`,
    )
    return
  }
  const reason = usingSelf ? `${renderColumnType(from)} to ${renderColumnType(to)} is not binary-compatible` : 'the USING expression computes a new value per row'
  effect.issue(
    'column-type-rewrite',
    `${reason}: PostgreSQL rewrites all of ${table} under ACCESS EXCLUSIVE${indexNote}; reads and writes wait until it ends`,
  )
}

function isPlainColumnRef(node: Node, column: string): boolean {
  let target: Node | undefined = node
  // `USING col::newtype` converts the same way as no USING at all.
  const cast = nodeAs<{ arg?: Node }>(target, 'TypeCast')
  if (cast !== undefined) target = cast.arg
  const fields = stringList(nodeAs<{ fields?: Node[] }>(target, 'ColumnRef')?.fields)
  return fields.length === 1 && fields[0] === column
}

function describeAddConstraint(table: string, constraint: Constraint, effect: EffectBuilder): void {
  const name = constraint.conname ?? '(unnamed)'
  switch (constraint.contype) {
    case 'CONSTR_CHECK':
    case 'CONSTR_FOREIGN': {
      if (constraint.skip_validation === true) return
      const isForeign = constraint.contype === 'CONSTR_FOREIGN'
      const lock = isForeign ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE'
      const referenced = isForeign ? tableKey(constraint.pktable) : undefined
      effect.slow(`validating ${name} over all of ${table}`)
      effect.issue(
        'add-constraint-scans',
        `validates ${name} against every row of ${table} while holding ${lock} on it${referenced === undefined ? '' : ` (and SHARE ROW EXCLUSIVE on ${referenced})`}: ${isForeign ? 'writes' : 'reads and writes'} wait until the check ends`,
      )
      return
    }
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE':
    case 'CONSTR_EXCLUSION':
      if (constraint.indexname !== undefined) return
      effect.slow(`building the index of ${name} on ${table}`)
      effect.issue('add-unique-builds-index', `builds the index of ${name} by reading all of ${table} under ACCESS EXCLUSIVE: reads and writes wait until the build ends`)
      return
    default:
      return
  }
}
