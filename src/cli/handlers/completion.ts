import { workingFolder } from '../../loader/working-folder.js'

/** The commands whose positional argument is a revision (a target, or revisions to merge). */
const REVISION_COMMANDS = new Set(['upgrade', 'downgrade', 'stamp', 'show', 'edit', 'merge'])
const SYMBOLS = ['head', 'heads', 'base']

export interface CompletionArgs {
  readonly _: readonly (string | number)[]
  readonly config?: string | undefined
  readonly directory?: string | undefined
}

/**
 * What a shell offers for a revision argument besides yargs' commands and options: the target
 * symbols, every revision id and branch label of the project's versions folder. Only the files'
 * headers are read; no revision module runs. A project whose config or files do not load offers
 * the symbols only: a TAB key must never print an error into the command line.
 */
export async function completeRevisions(current: string, args: CompletionArgs): Promise<readonly string[]> {
  const words = args._.map(String)
  const command = words[words.indexOf('db') + 1]
  if (!words.includes('db') || command === undefined || !REVISION_COMMANDS.has(command) || current.startsWith('-')) return []
  try {
    const [{ loadConfig }, { history }] = await Promise.all([import('../../config/load-config.js'), import('../../api/history.js')])
    const config = await loadConfig({ cwd: workingFolder(), configFile: args.config, directory: args.directory })
    const revisions = await history(config)
    const labels = [...new Set(revisions.flatMap((revision) => revision.branchLabels))].sort()
    return [...SYMBOLS, ...revisions.map((revision) => revision.id).sort(), ...labels, ...labels.map((label) => `${label}@head`)]
  } catch {
    return SYMBOLS
  }
}
