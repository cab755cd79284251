import { runCommand, type GlobalArgs } from '../run-command.js'

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
