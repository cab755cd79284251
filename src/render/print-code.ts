import { assertNever } from '../errors.js'
import type { Call, CodeValue, SqlPart, Statement } from './code.js'

const INDENT = '  '
const LINE_WIDTH = 100

const quote = (value: string): string =>
  `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n').replaceAll('\r', '\\r')}'`

const templateText = (value: string): string =>
  value.replaceAll('\\', '\\\\').replaceAll('`', '\\`').replaceAll('${', '\\${')

function printSqlPart(part: SqlPart): string {
  switch (part.kind) {
    case 'text':
      return templateText(part.text)
    case 'id':
      return `\${sql.id(${part.names.map(quote).join(', ')})}`
    case 'lit':
      return `\${sql.lit(${quote(part.value)})}`
    default:
      return assertNever(part)
  }
}

function printSql(parts: readonly SqlPart[], type?: string): string {
  return `sql${type === undefined ? '' : `<${type}>`}\`${parts.map(printSqlPart).join('')}\``
}

function printValue(value: CodeValue): string {
  switch (value.kind) {
    case 'string':
      return quote(value.value)
    case 'array':
      return `[${value.items.map(printValue).join(', ')}]`
    case 'sql':
      return printSql(value.parts, value.type)
    case 'callback':
      return `(${value.param}) => ${value.param}${value.calls.map(printCall).join('')}`
    default:
      return assertNever(value)
  }
}

const printCall = (c: Call): string => `.${c.method}(${c.args.map(printValue).join(', ')})`

/**
 * One statement as a person would write it: a short chain on one line, a longer one with a call
 * per line. Every line starts with `indent` (the function body's indentation).
 */
function printStatement(statement: Statement, indent: string = INDENT): string {
  switch (statement.kind) {
    case 'comment':
      return statement.text
        .split('\n')
        .map((line) => `${indent}// ${line}`)
        .join('\n')
    case 'sql':
      return `${indent}await ${printSql(statement.parts)}.execute(db)`
    case 'schema': {
      const calls = statement.calls.map(printCall)
      if (calls.length <= 4) {
        const oneLine = `${indent}await db.schema${calls.join('')}.execute()`
        if (oneLine.length <= LINE_WIDTH) return oneLine
      }
      const callIndent = `\n${indent}${INDENT}`
      return `${indent}await db.schema${callIndent}${calls.join(callIndent)}${callIndent}.execute()`
    }
    default:
      return assertNever(statement)
  }
}

/** A function body: the statements, one per line (a blank line between multi-line statements). */
export function printStatements(statements: readonly Statement[], indent: string = INDENT): string {
  const printed = statements.map((statement) => printStatement(statement, indent))
  return printed
    .map((text, i) => {
      const previous = printed[i - 1]
      const spaced = i > 0 && statements[i - 1]!.kind !== 'comment' && (text.includes('\n') || previous!.includes('\n'))
      return spaced ? `\n${text}` : text
    })
    .join('\n')
}

export function usesSqlTag(statements: readonly Statement[]): boolean {
  const inValue = (value: CodeValue): boolean =>
    value.kind === 'sql' ||
    (value.kind === 'array' && value.items.some(inValue)) ||
    (value.kind === 'callback' && value.calls.some((c) => c.args.some(inValue)))
  return statements.some(
    (statement) => statement.kind === 'sql' || (statement.kind === 'schema' && statement.calls.some((c) => c.args.some(inValue))),
  )
}
