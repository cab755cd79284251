import type { Argv } from 'yargs'
import { defineCommand } from '../define-command.js'
import type { MoveArgs } from '../handlers/move.js'
import type { GlobalArgs } from '../run-command.js'
import { withDirectory, withLockTimeout, withSql, withXArg } from './shared-options.js'

/** `upgrade` and `downgrade`: the same options, a different direction and default target. */
function defineMoveCommand(spec: {
  readonly direction: 'upgrade' | 'downgrade'
  readonly describe: string
  readonly defaultTarget: string
  readonly describeTarget: string
  readonly builder?: (y: Argv<GlobalArgs>) => Argv<unknown>
}) {
  return defineCommand<MoveArgs>({
    name: spec.direction,
    describe: spec.describe,
    positionals: [{ name: 'revision', default: spec.defaultTarget, describe: spec.describeTarget }],
    builder: (y) => {
      const shared = withXArg(withLockTimeout(withSql(withDirectory(y))))
      return spec.builder ? spec.builder(shared) : shared
    },
    handler: async (args) => (await import('../handlers/move.js')).runMove(spec.direction, args),
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
  builder: (y) =>
    y.option('yes', {
      alias: 'y',
      type: 'boolean',
      describe: 'Drop tables and columns that hold rows without asking (a terminal asks first)',
    }),
})
