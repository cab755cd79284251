import { defineCommand } from '../define-command.js'
import type { GlobalArgs } from '../run-command.js'
import { withDirectory } from './shared-options.js'

export interface ShowArgs extends GlobalArgs {
  readonly revision: string
}

export const showCommand = defineCommand<ShowArgs>({
  command: 'show [revision]',
  describe: 'Show the revision denoted by the given symbol',
  builder: (y) =>
    withDirectory(y).positional('revision', { type: 'string', default: 'head', describe: 'Revision, target symbol or current' }),
  handler: async (args) => (await import('../handlers/show.js')).runShow(args),
})
