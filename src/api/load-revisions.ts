import type { ResolvedConfig } from '../config/config.js'
import { buildRevisionGraph, type RevisionGraph } from '../revision/revision-graph.js'
import { displayPath } from '../script/file-write-error.js'
import { loadRevisionModule, readScriptDirectory } from '../script/script-directory.js'

/** Reads the revision files' headers (no module is executed) and builds the graph. */
export async function loadRevisionGraph(config: ResolvedConfig): Promise<RevisionGraph> {
  const directory = await readScriptDirectory(config)
  const missingVersionsDir = directory.hasVersionsDir ? null : displayPath(directory.versionsDir, config.cwd)
  return buildRevisionGraph(directory.revisions, { missingVersionsDir })
}

/**
 * Loads (compiles and imports) every revision file, so that one which no longer compiles fails
 * now, not on the day a downgrade must run through it. The first that fails is the error.
 */
export async function loadEveryRevisionModule(graph: RevisionGraph): Promise<void> {
  const revisions = [...graph.byId.values()].filter((rev) => rev.path !== '').sort((a, b) => a.path.localeCompare(b.path))
  await loadRevisionModule.prepare?.(revisions)
  for (const rev of revisions) await loadRevisionModule(rev)
  await loadRevisionModule.settle?.()
}
