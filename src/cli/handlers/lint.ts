import { LintFailedError } from '../../errors.js'
import type { LintFinding, LintResult } from '../../api/lint.js'
import { runCommand, type GlobalArgs } from '../run-command.js'

export interface LintArgs extends GlobalArgs {
  readonly range?: string
  readonly 'table-sizes': boolean
}

export async function runLint(args: LintArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    // Not the index: lint needs no database driver unless it reads table sizes.
    const { lint } = await import('../../api/lint.js')
    const result = await lint(await ctx.loadConfig(), {
      range: args.range,
      readTableSizes: args['table-sizes'],
      reporter: ctx.reporter,
    })
    const errors = result.findings.filter((f) => f.level === 'error' && f.allowed === undefined).length
    if (!ctx.json) ctx.out.results(renderLintReport(result, { verbose: ctx.verbose }))
    if (errors > 0) throw new LintFailedError(errors, result)
    if (ctx.json) ctx.out.json(result)
  })
}

/** Findings grouped by revision, each with its statement, locks, why and the safe form; then a summary. */
function renderLintReport(result: LintResult, options: { readonly verbose: boolean }): string[] {
  const shown = result.findings.filter((f) => f.allowed === undefined && (options.verbose || f.level !== 'info'))
  const lines: string[] = []
  let revision = ''
  for (const finding of shown) {
    if (finding.revision !== revision) {
      revision = finding.revision
      lines.push(`${finding.path === '' ? finding.revision : `${finding.path} (${finding.revision})`}`)
    }
    lines.push(...renderFinding(finding, result))
  }
  const count = (level: LintFinding['level']) => result.findings.filter((f) => f.level === level && f.allowed === undefined).length
  const allowed = result.findings.filter((f) => f.allowed !== undefined).length
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  lines.push(
    `${plural(result.revisions, 'revision')} checked: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}` +
      `${options.verbose ? `, ${count('info')} info` : ''}${allowed > 0 ? ` (${allowed} allowed)` : ''}`,
  )
  return lines
}

function renderFinding(finding: LintFinding, result: LintResult): string[] {
  const statement = finding.statement.replace(/\s+/g, ' ')
  const locks = finding.locks.map((lock) => `${lock.mode} on ${lock.table}${renderSize(lock.table, result)}`).join(', ')
  return [
    `  ${finding.level} ${finding.rule}: ${statement.length > 200 ? `${statement.slice(0, 197)}...` : statement}`,
    ...(locks === '' ? [] : [`    lock: ${locks}`]),
    `    why: ${finding.message}`,
    `    safe: ${finding.safe}`,
  ]
}

function renderSize(table: string, result: LintResult): string {
  const size = result.tables.find((t) => t.table === table)
  if (size === undefined) return ''
  const mb = size.totalBytes / (1024 * 1024)
  return ` (~${size.estimatedRows.toLocaleString('en-US')} rows, ${mb >= 1 ? `${mb.toFixed(0)} MB` : `${Math.ceil(size.totalBytes / 1024)} kB`})`
}
