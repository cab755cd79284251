import { defineCommand } from '../define-command.js'
import type { GlobalArgs } from '../run-command.js'
import { withDirectory } from './shared-options.js'

export interface HistoryArgs extends GlobalArgs {
  readonly 'rev-range'?: string
  readonly 'indicate-current': boolean
  readonly graph: boolean
}

export const historyCommand = defineCommand<HistoryArgs>({
  name: 'history',
  describe: 'List changeset scripts in chronological order (newest first)',
  builder: (y) =>
    withDirectory(y)
      .option('rev-range', { alias: 'r', type: 'string', describe: 'Specify a revision range; format is [start]:[end]' })
      .option('indicate-current', { alias: 'i', type: 'boolean', default: false, describe: 'Indicate current version (needs the database)' })
      .option('graph', { type: 'boolean', default: false, describe: 'Draw the branches and merges as an ASCII graph' }),
  handler: async (args) => (await import('../handlers/history.js')).runHistory(args),
})
