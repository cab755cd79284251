import { defineCommand } from '../define-command.js'
import type { RunArgs } from '../handlers/run.js'
import { withRunOptions } from './shared-options.js'

export const stampCommand = defineCommand<RunArgs>({
  name: 'stamp',
  describe: "'stamp' the revision table with the given revision; don't run any migrations",
  positionals: [{ name: 'revision', default: 'head', describe: 'Target revision (with --sql also start:end)' }],
  builder: (y) =>
    withRunOptions(y).option('purge', {
      type: 'boolean',
      default: false,
      describe: 'Delete all entries in the version table before stamping',
    }),
  handler: async (args) => (await import('../handlers/run.js')).runStamp(args),
})
