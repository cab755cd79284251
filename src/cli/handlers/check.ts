import { runCommand, type GlobalArgs } from '../run-command.js'

export async function runCheck(args: GlobalArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { check } = await import('../../index.js')
    await check(await ctx.loadConfig(), { reporter: ctx.reporter })
    if (ctx.json) return ctx.out.json({ detected: [] })
    ctx.out.result('No new upgrade operations detected.')
  })
}
