import { defineCommand } from '../define-command.js'
import { runCommand, type GlobalArgs } from '../run-command.js'
import { withDirectory } from './shared-options.js'

interface Args extends GlobalArgs {
  readonly template: string
  readonly package: boolean
}

export const initCommand = defineCommand<Args>({
  command: 'init',
  describe: 'Create a new migrations folder (and tsdb.config.ts if there is none)',
  builder: (y) =>
    withDirectory(y)
      .option('template', { type: 'string', default: 'generic', describe: 'Migrations template to use (see list-templates)' })
      .option('package', { type: 'boolean', default: false, describe: 'Write package marker files into the folders' }),
  handler: (args) =>
    runCommand(args, async (ctx) => {
      const { initMigrations } = await import('../../index.js')
      const result = await initMigrations({
        cwd: process.cwd(),
        directory: args.directory ?? 'migrations',
        template: args.template,
        package: args.package,
      })
      if (ctx.json) return ctx.out.json(result)
      for (const path of result.created) ctx.out.result(`Creating ${path} ...  done`)
      ctx.out.info('Please edit the configuration in tsdb.config.ts before proceeding.')
    }),
})
