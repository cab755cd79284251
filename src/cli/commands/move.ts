import { defineCommand } from '../define-command.js'
import type { RunArgs } from '../handlers/run.js'
import { withRunOptions } from './shared-options.js'

export const upgradeCommand = defineCommand<RunArgs>({
  name: 'upgrade',
  describe: 'Upgrade to a later version',
  positionals: [
    {
      name: 'revision',
      default: 'head',
      describe: 'Target: head, heads, <rev>, +N, <label>@head ... (with --sql also start:end)',
    },
  ],
  builder: (y) => withRunOptions(y),
  handler: async (args) => (await import('../handlers/run.js')).runMove('upgrade', args),
})

// Flask-Migrate's default: one step back.
export const downgradeCommand = defineCommand<RunArgs>({
  name: 'downgrade',
  describe: 'Revert to a previous version',
  positionals: [
    { name: 'revision', default: '-1', describe: 'Target: -N, <rev>, base, <label>@base ... (with --sql: start:end)' },
  ],
  builder: (y) =>
    withRunOptions(y).option('yes', {
      alias: 'y',
      type: 'boolean',
      describe: 'Drop tables and columns that hold rows without asking (a terminal asks first)',
    }),
  handler: async (args) => (await import('../handlers/run.js')).runMove('downgrade', args),
})
