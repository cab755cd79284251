import { defineCommand } from '../define-command.js'
import type { HeadsArgs } from '../handlers/history.js'
import { withDirectory } from './shared-options.js'

export const headsCommand = defineCommand<HeadsArgs>({
  name: 'heads',
  describe: 'Show current available heads in the script directory',
  builder: (y) =>
    withDirectory(y)
      .option('resolve-dependencies', { type: 'boolean', default: false, describe: 'Treat dependency versions as down revisions' }),
  handler: async (args) => (await import('../handlers/history.js')).runHeads(args),
})
