import { defineCommand } from '../define-command.js'
import type { HistoryArgs } from '../handlers/history.js'
import { withDirectory } from './shared-options.js'

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
