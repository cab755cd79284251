import { spawn } from 'node:child_process'
import { runCommand, type GlobalArgs } from '../run-command.js'

export interface EditArgs extends GlobalArgs {
  readonly revision: string
}

export async function runEdit(args: EditArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { show, CommandError } = await import('../../index.js')
    const revisions = await show(await ctx.loadConfig(), args.revision)
    if (revisions.length === 0) throw new CommandError(`No revision files indicated by symbol '${args.revision}'`)
    const editor = process.env.VISUAL ?? process.env.EDITOR
    if (editor === undefined || editor === '') {
      throw new CommandError('No editor set: set $EDITOR (e.g. `export EDITOR=vim`) and run `tsdb db edit` again')
    }
    for (const revision of revisions) {
      // The editor command may carry flags (`code --wait`); the file goes in as "$1", never spliced into the command.
      await new Promise<void>((resolve, reject) => {
        const child = spawn('sh', ['-c', `${editor} "$1"`, 'tsdb-edit', revision.path], { stdio: 'inherit' })
        child.on('error', reject)
        child.on('exit', (code) =>
          code === 0 ? resolve() : reject(new CommandError(`The editor '${editor}' exited with code ${code}`)),
        )
      })
    }
  })
}
