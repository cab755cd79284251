import { defineCommand } from '../define-command.js'
import type { GlobalArgs } from '../run-command.js'
import { withDirectory, withLockTimeout, withSql } from './shared-options.js'

export interface StampArgs extends GlobalArgs {
  readonly revision: string
  readonly sql: boolean
  readonly tag?: string
  readonly purge: boolean
  readonly 'lock-timeout'?: number
}

export const stampCommand = defineCommand<StampArgs>({
  command: 'stamp [revision]',
  describe: "'stamp' the revision table with the given revision; don't run any migrations",
  builder: (y) =>
    withLockTimeout(withSql(withDirectory(y)))
      .positional('revision', { type: 'string', default: 'head', describe: 'Target revision (with --sql also start:end)' })
      .option('purge', {
        type: 'boolean',
        default: false,
        describe: 'Delete all entries in the version table before stamping',
      }),
  handler: async (args) => (await import('../handlers/stamp.js')).runStamp(args),
})
