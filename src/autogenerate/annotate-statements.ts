import type { Node } from '@pgsql/types'
import type { Kysely } from 'kysely'
import { describeStatement, type StatementEffect } from '../lint/describe-statement.js'
import { blocksWrites, describeLockEffect, lockRank } from '../lint/lock-modes.js'
import { loadSqlParser, type SqlParser } from '../lint/parse-sql.js'
import { SchemaFacts } from '../lint/schema-facts.js'
import { describeTableSize, readTableSizes, type TableSize } from '../lint/table-sizes.js'
import type { TableModel } from '../model/schema-model.js'
import type { Statement } from '../render/code.js'
import { renderOpStatements } from '../render/render-op.js'
import { compileStatement } from './apply-statements.js'

interface AnnotatedStatements {
  readonly up: readonly Statement[]
  readonly down: readonly Statement[]
  /** One line per statement that blocks reads or writes of an existing table while it scans or rewrites it. */
  readonly risks: readonly string[]
}

interface AnnotateOptions {
  /** The tables whose columns change type, as `up` finds them (the database's): what a type change converts from. */
  readonly before: readonly TableModel[]
  /** The same, as `down` finds them (the declaration's). */
  readonly after: readonly TableModel[]
}

/**
 * Puts before each statement of `up` and `down` a comment with what it does to a live database:
 * the lock it takes on each table (PostgreSQL's lock levels), the scan or rewrite it does, and the
 * table's size and estimated rows read from the database now. `tsdb db lint` reads the statements
 * the same way (PostgreSQL's parser, describeStatement), so the comment and the lint agree.
 */
export async function annotateStatements(
  // Reads pg_class only.
  db: Kysely<any>,
  statements: { readonly up: readonly Statement[]; readonly down: readonly Statement[] },
  options: AnnotateOptions,
): Promise<AnnotatedStatements> {
  const parse = await loadSqlParser()
  const up = describeAll(db, parse, statements.up, options.before)
  const down = describeAll(db, parse, statements.down, options.after)
  const tables = [...new Set([...up, ...down].flatMap((d) => (d === null ? [] : d.effect.locks.filter((l) => !d.isNew(l.table)).map((l) => l.table))))]
  const sizes = new Map((await readTableSizes(db, tables)).map((size) => [size.table, size]))
  const annotate = (list: readonly Statement[], described: readonly (Described | null)[]) =>
    list.flatMap((statement, i) => {
      const d = described[i]
      // Only a table that exists has traffic to block: a statement on new tables alone (or on none:
      // SET lock_timeout, COMMENT ON) gets no comment.
      const isSilent = d === null || d === undefined || d.effect.locks.every((l) => d.isNew(l.table))
      return isSilent ? [statement] : [{ kind: 'comment' as const, text: renderComment(d, sizes) }, statement]
    })
  const risks = [
    ...up.flatMap((d) => (d !== null && isRisky(d) ? [renderRisk('upgrade', d, sizes)] : [])),
    ...down.flatMap((d) => (d !== null && isRisky(d) ? [renderRisk('downgrade', d, sizes)] : [])),
  ]
  return { up: annotate(statements.up, up), down: annotate(statements.down, down), risks }
}

interface Described {
  readonly sql: string
  readonly effect: StatementEffect
  readonly isNew: (table: string) => boolean
}

/**
 * Each statement's effect, in order, from what the tables were before it: the facts start from
 * `tables` (their CREATE TABLE, read but not reported) and follow each statement. A comment, or a
 * statement that does not compile without parameters, gets null.
 */
function describeAll(db: Kysely<any>, parse: SqlParser, statements: readonly Statement[], tables: readonly TableModel[]): (Described | null)[] {
  const facts = new SchemaFacts()
  const none = () => false
  for (const parsed of parseAll(db, parse, tables.flatMap((table) => renderOpStatements({ kind: 'createTable', table })))) {
    if (parsed !== null) describeStatement(parsed.node, { facts, isNew: none })
  }
  const created = new Set<string>()
  // Created earlier in the revision: empty, whether or not another session can see it yet.
  const isNew = (table: string) => created.has(table)
  return parseAll(db, parse, statements).map((parsed) => {
    if (parsed === null) return null
    const effect = describeStatement(parsed.node, { facts, isNew })
    for (const table of effect.creates) created.add(table)
    const createdSoFar = new Set(created)
    return { sql: parsed.sql, effect, isNew: (table: string) => createdSoFar.has(table) }
  })
}

/** The statements' SQL and syntax trees, in order, from one call of the parser for all of them. */
function parseAll(db: Kysely<any>, parse: SqlParser, statements: readonly Statement[]): ({ readonly sql: string; readonly node: Node } | null)[] {
  const texts = statements.map((statement) => compileStatement(db, statement))
  const sqls = texts.filter((text): text is string => text !== null)
  if (sqls.length === 0) return texts.map(() => null)
  const parsed = parse(sqls.join(';\n'))
  const nodes = parsed.kind === 'parsed' && parsed.statements.length === sqls.length ? parsed.statements.map((statement) => statement.node) : null
  let next = 0
  return texts.map((sql) => {
    if (sql === null) return null
    const node = nodes === null ? parseOne(parse, sql) : nodes[next++]
    return node === undefined ? null : { sql, node }
  })
}

/** A statement the batch could not place (it did not parse alone either: left without a comment). */
function parseOne(parse: SqlParser, sql: string): Node | undefined {
  const parsed = parse(sql)
  return parsed.kind === 'parsed' && parsed.statements.length === 1 ? parsed.statements[0]!.node : undefined
}

/** Blocks writes (or reads) of a table that has rows, while it scans, rewrites or builds over it. */
const isRisky = (d: Described): boolean => d.effect.slowWork !== null && d.effect.locks.some((l) => blocksWrites(l.mode) && !d.isNew(l.table))

function renderWork(d: Described): string {
  if (d.effect.creates.length > 0) return `creates ${d.effect.creates.join(', ')}`
  if (d.effect.slowWork !== null) return d.effect.slowWork
  if (d.effect.isConcurrent) return 'reads the table without blocking reads or writes (CONCURRENTLY)'
  return 'no scan, no rewrite'
}

function renderComment(d: Described, sizes: ReadonlyMap<string, TableSize>): string {
  const locks = [...d.effect.locks].sort((a, b) => lockRank(b.mode) - lockRank(a.mode) || a.table.localeCompare(b.table))
  const lockText = `lock: ${locks.map((l) => `${l.mode} on ${l.table}${d.isNew(l.table) ? '' : ` (${describeLockEffect(l.mode)})`}`).join(', ')}`
  const sizeText = locks
    .filter((l) => !d.isNew(l.table) && sizes.has(l.table))
    .map((l) => `${l.table}: ${describeTableSize(sizes.get(l.table)!)}`)
  return [lockText, renderWork(d), ...sizeText].join('; ')
}

function renderRisk(direction: 'upgrade' | 'downgrade', d: Described, sizes: ReadonlyMap<string, TableSize>): string {
  const blocking = d.effect.locks.filter((l) => blocksWrites(l.mode) && !d.isNew(l.table))
  const what = blocking.map((l) => {
    const size = sizes.get(l.table)
    return `${l.mode} on ${l.table} (${describeLockEffect(l.mode)}${size === undefined ? '' : `; ${describeTableSize(size)}`})`
  })
  const sql = d.sql.replace(/\s+/g, ' ')
  return `${direction}: ${d.effect.slowWork} under ${what.join(', ')}: ${sql.length > 120 ? `${sql.slice(0, 117)}...` : sql}`
}
