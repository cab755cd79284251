import { defineCommand } from '../define-command.js'
import type { StampArgs } from '../handlers/stamp.js'
import { withDirectory, withLockTimeout, withSql, withXArg } from './shared-options.js'

export const stampCommand = defineCommand<StampArgs>({
  name: 'stamp',
  describe: "'stamp' the revision table with the given revision; don't run any migrations",
  positionals: [{ name: 'revision', default: 'head', describe: 'Target revision (with --sql also start:end)' }],
  builder: (y) =>
    withXArg(withLockTimeout(withSql(withDirectory(y))))
      .option('purge', {
        type: 'boolean',
        default: false,
        describe: 'Delete all entries in the version table before stamping',
      }),
  handler: async (args) => (await import('../handlers/stamp.js')).runStamp(args),
})
