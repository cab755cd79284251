import { workingFolder } from '../../loader/working-folder.js'
import { runCommand, type GlobalArgs } from '../run-command.js'

export interface InitArgs extends GlobalArgs {
  readonly template: string
  readonly multidb: boolean
  readonly package: boolean
}

export async function runInit(args: InitArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { initMigrations } = await import('../../index.js')
    const result = await initMigrations({
      cwd: workingFolder(),
      directory: args.directory ?? 'migrations',
      // Flask-Migrate's `--multidb` is its `-t multidb`.
      template: args.multidb ? 'multidb' : args.template,
      package: args.package,
    })
    if (ctx.json) return ctx.out.json(result)
    for (const path of result.created) ctx.out.result(`Creating ${path} ...  done`)
    if (result.gitignore !== null) ctx.out.result(`Adding .tsdb/ (the embedded database) to ${result.gitignore} ...  done`)
    ctx.out.info('Please edit the configuration in tsdb.config.ts before proceeding.')
  })
}

export async function runListTemplates(args: GlobalArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { listTemplates } = await import('../../index.js')
    const templates = await listTemplates()
    if (ctx.json) return ctx.out.json(templates)
    ctx.out.result('Available templates:\n')
    const width = Math.max(...templates.map((template) => template.name.length))
    for (const template of templates) ctx.out.result(`${template.name.padEnd(width)} - ${template.description}`)
    ctx.out.result('\nTemplates are used via the \'init\' command, e.g.:\n\n  tsdb db init --template generic')
  })
}
