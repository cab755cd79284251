import { defineCommand } from '../define-command.js'
import type { InitArgs } from '../handlers/init.js'
import { withDirectory } from './shared-options.js'

export const initCommand = defineCommand<InitArgs>({
  name: 'init',
  describe: 'Create a new migrations folder (and tsdb.config.ts if there is none)',
  builder: (y) =>
    withDirectory(y)
      .option('template', { alias: 't', type: 'string', default: 'generic', describe: 'Migrations template to use (see list-templates)' })
      .option('multidb', { type: 'boolean', default: false, describe: 'Multiple databases (the multidb template, as -t multidb)' })
      .option('package', { type: 'boolean', default: false, describe: 'Write package marker files into the folders' }),
  handler: async (args) => (await import('../handlers/init.js')).runInit(args),
})
