import { defineCommand } from '../define-command.js'
import type { GlobalArgs } from '../run-command.js'
import { withDirectory } from './shared-options.js'

export interface HeadsArgs extends GlobalArgs {
  readonly 'resolve-dependencies': boolean
}

export const headsCommand = defineCommand<HeadsArgs>({
  name: 'heads',
  describe: 'Show current available heads in the script directory',
  builder: (y) =>
    withDirectory(y)
      .option('resolve-dependencies', { type: 'boolean', default: false, describe: 'Treat dependency versions as down revisions' }),
  handler: async (args) => (await import('../handlers/heads.js')).runHeads(args),
})
