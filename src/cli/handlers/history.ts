import { spawn } from 'node:child_process'
import { drawGraph } from '../draw-graph.js'
import { formatBranchPoint, formatCurrentLine, formatHeadLine, formatHistoryLine, formatRevisionBlock } from '../format.js'
import { runCommand, type GlobalArgs } from '../run-command.js'

// history and heads import api/history.js, not the index: reading the revision files' headers
// needs neither Kysely nor a database driver loaded.

export interface HistoryArgs extends GlobalArgs {
  readonly 'rev-range'?: string
  readonly 'indicate-current': boolean
  readonly graph: boolean
}

export async function runHistory(args: HistoryArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { history } = await import('../../api/history.js')
    const revisions = await history(await ctx.loadConfig(), { range: args['rev-range'], indicateCurrent: args['indicate-current'] })
    if (ctx.json) return ctx.out.json(revisions)
    if (args.graph) return ctx.out.results(drawGraph(revisions, formatHistoryLine))
    ctx.out.results(revisions.map((revision) => (ctx.verbose ? formatRevisionBlock(revision) : formatHistoryLine(revision))))
  })
}

export interface HeadsArgs extends GlobalArgs {
  readonly 'resolve-dependencies': boolean
}

export async function runHeads(args: HeadsArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { heads } = await import('../../api/history.js')
    const result = await heads(await ctx.loadConfig(), { resolveDependencies: args['resolve-dependencies'] })
    if (ctx.json) return ctx.out.json(result)
    ctx.out.results(result.map((head) => (ctx.verbose ? formatRevisionBlock(head) : formatHeadLine(head))))
  })
}

export async function runBranches(args: GlobalArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { branches } = await import('../../index.js')
    const points = await branches(await ctx.loadConfig())
    if (ctx.json) return ctx.out.json(points)
    for (const { point, children } of points) {
      ctx.out.result(formatBranchPoint(point, children, { verbose: ctx.verbose }))
    }
  })
}

export interface ShowArgs extends GlobalArgs {
  readonly revision: string
}

export async function runShow(args: ShowArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { show } = await import('../../index.js')
    const revisions = await show(await ctx.loadConfig(), args.revision)
    if (ctx.json) return ctx.out.json(revisions)
    for (const revision of revisions) ctx.out.result(formatRevisionBlock(revision))
  })
}

export async function runCurrent(args: GlobalArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { current } = await import('../../index.js')
    const result = await current(await ctx.loadConfig(), { reporter: ctx.reporter })
    if (ctx.json) return ctx.out.json(result)
    // A multidb project's binds follow the main database, each as Flask-Migrate prints them.
    for (const database of [result, ...Object.values(result.binds ?? {})]) {
      if (ctx.verbose) ctx.out.result(`Current revision(s) for ${database.database}:`)
      for (const head of database.heads) ctx.out.result(ctx.verbose ? formatRevisionBlock(head) : formatCurrentLine(head))
    }
  })
}

export async function runEdit(args: ShowArgs): Promise<void> {
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
