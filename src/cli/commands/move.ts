import { defineCommand } from '../define-command.js'
import { printRun } from '../print-run.js'
import { runCommand, type GlobalArgs } from '../run-command.js'
import { toMs, withDirectory, withLockTimeout, withSql } from './shared-options.js'

interface Args extends GlobalArgs {
  readonly revision: string
  readonly sql: boolean
  readonly tag?: string
  readonly 'lock-timeout'?: number
}

/** `upgrade` and `downgrade`: the same options, a different direction and default target. */
function defineMoveCommand(spec: {
  readonly direction: 'upgrade' | 'downgrade'
  readonly describe: string
  readonly defaultTarget: string
  readonly describeTarget: string
}) {
  return defineCommand<Args>({
    command: `${spec.direction} [revision]`,
    describe: spec.describe,
    builder: (y) =>
      withLockTimeout(withSql(withDirectory(y))).positional('revision', {
        type: 'string',
        default: spec.defaultTarget,
        describe: spec.describeTarget,
      }),
    handler: (args) =>
      runCommand(args, async (ctx) => {
        const api = await import('../../index.js')
        const config = await ctx.loadConfig()
        const lockTimeout = toMs(args['lock-timeout'])
        const result = await api[spec.direction](config, {
          target: args.revision,
          sql: args.sql,
          ...(args.tag !== undefined && { tag: args.tag }),
          ...(lockTimeout !== undefined && { lockTimeout }),
          reporter: ctx.reporter,
        })
        printRun(ctx, result)
      }),
  })
}

export const upgradeCommand = defineMoveCommand({
  direction: 'upgrade',
  describe: 'Upgrade to a later version',
  defaultTarget: 'head',
  describeTarget: 'Target: head, heads, <rev>, +N, <label>@head ... (with --sql also start:end)',
})

// Flask-Migrate's default: one step back.
export const downgradeCommand = defineMoveCommand({
  direction: 'downgrade',
  describe: 'Revert to a previous version',
  defaultTarget: '-1',
  describeTarget: 'Target: -N, <rev>, base, <label>@base ... (with --sql: start:end)',
})
