import { createInterface } from 'node:readline/promises'
import { CommandError } from '../../errors.js'
import type { RenameCandidate } from '../../index.js'
import { runCommand, type GlobalArgs } from '../run-command.js'

/** The arguments `revision` and `migrate` take (Flask-Migrate's list). */
export interface RevisionArgs extends GlobalArgs {
  readonly message?: string
  readonly sql: boolean
  readonly head: string
  readonly splice: boolean
  readonly 'branch-label'?: string
  readonly 'version-path'?: string
  readonly 'rev-id'?: string
  readonly 'depends-on'?: string[]
  readonly rename?: string[]
  /** `revision --autogenerate`, which is `migrate`. */
  readonly autogenerate?: boolean
}

export async function runRevision(args: RevisionArgs): Promise<void> {
  if (args.autogenerate === true) return runMigrate(args)
  await runCommand(args, async (ctx) => {
    if (args.sql) throw refuseSql('the revision command')
    const { revision } = await import('../../index.js')
    const created = await revision(await ctx.loadConfig(), revisionOptions(args))
    if (ctx.json) return ctx.out.json(created)
    ctx.out.result(`Generating ${created.path} ...  done`)
  })
}

/** `migrate`, and `revision --autogenerate`. */
export async function runMigrate(args: RevisionArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    if (args.sql) throw refuseSql('--autogenerate')
    const api = await import('../../index.js')
    const config = await ctx.loadConfig()
    const result = await api.migrate(config, {
      ...revisionOptions(args),
      renames: (args.rename ?? []).map(api.parseRenameOption),
      ...(process.stdin.isTTY === true && process.env.CI === undefined && { resolveRename: promptRename }),
      reporter: ctx.reporter,
    })
    if (ctx.json) return ctx.out.json(result)
    if (result.created === null) ctx.out.info('No changes in schema detected.')
    else ctx.out.result(`Generating ${result.created.path} ...  done`)
    if (result.risks.length > 0) {
      ctx.out.warn(`${result.risks.length === 1 ? 'One step blocks' : `${result.risks.length} steps block`} a table while it scans or rewrites it (see the comments in the revision file):`)
      for (const risk of result.risks) ctx.out.warn(`  ${risk}`)
    }
  })
}

export interface MergeArgs extends GlobalArgs {
  readonly revisions: string[]
  readonly message?: string
  readonly 'branch-label'?: string
  readonly 'rev-id'?: string
}

export async function runMerge(args: MergeArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { merge } = await import('../../index.js')
    const created = await merge(await ctx.loadConfig(), args.revisions, {
      message: args.message,
      branchLabel: args['branch-label'],
      revId: args['rev-id'],
      reporter: ctx.reporter,
    })
    if (ctx.json) return ctx.out.json(created)
    ctx.out.result(`Generating ${created.path} ...  done`)
  })
}

export async function runCheck(args: GlobalArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { check } = await import('../../index.js')
    await check(await ctx.loadConfig(), { reporter: ctx.reporter })
    if (ctx.json) return ctx.out.json({ detected: [] })
    ctx.out.result('No new upgrade operations detected.')
  })
}

/** `--sql` is accepted so that a Flask-Migrate script passing it fails as there, in Alembic's words. */
function refuseSql(what: string): CommandError {
  const message = `Using --sql with ${what} does not make any sense: use \`tsdb db upgrade --sql\` to see the SQL of revisions`
  return new CommandError(message, { code: 'SQL_NOT_SUPPORTED' })
}

function revisionOptions(args: RevisionArgs) {
  return {
    message: args.message,
    head: args.head,
    splice: args.splice,
    branchLabel: args['branch-label'],
    versionPath: args['version-path'],
    revId: args['rev-id'],
    dependsOn: args['depends-on'],
  }
}

/** On a terminal, autogenerate asks before it treats a drop + add as a rename (never guessed). */
async function promptRename(candidate: RenameCandidate): Promise<boolean> {
  const readline = createInterface({ input: process.stdin, output: process.stderr })
  try {
    const what =
      candidate.kind === 'table'
        ? `table \`${candidate.from}\` to \`${candidate.to}\``
        : `\`${candidate.table}.${candidate.from}\` to \`${candidate.table}.${candidate.to}\``
    const answer = await readline.question(`Did you rename ${what}? [y/N] `)
    return /^y(es)?$/i.test(answer.trim())
  } finally {
    readline.close()
  }
}
