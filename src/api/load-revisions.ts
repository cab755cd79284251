import type { ResolvedConfig } from '../config/config.js'
import { buildRevisionGraph, type RevisionGraph } from '../revision/revision-graph.js'
import { readScriptDirectory } from '../script/script-directory.js'

/** Reads the revision files' headers (no module is executed) and builds the graph. */
export async function loadRevisionGraph(config: ResolvedConfig): Promise<RevisionGraph> {
  const directory = await readScriptDirectory(config)
  return buildRevisionGraph(directory.revisions)
}
