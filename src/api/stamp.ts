import type { ResolvedConfig } from '../config/config.js'
import { withDatabase } from '../connection/with-database.js'
import { CommandError } from '../errors.js'
import { planStamp } from '../version/plan-stamp.js'
import { resolveRevisions } from '../revision/resolve-target.js'
import { renderOfflineStamp } from '../runner/offline-sql.js'
import { runStamp } from '../runner/run-migrations.js'
import { loadRevisionGraph } from './load-revisions.js'
import { assertHeadsKnown } from './read-current-heads.js'
import { silentReporter } from '../runner/reporter.js'
import { runInterrupt, splitRange, type RunOptions } from './run-options.js'
import type { RunResult } from './step-info.js'
import { combineRunResults, hasBinds, runOnEveryDatabase } from './binds.js'

export interface StampOptions extends RunOptions {
  /** Default is `head`. Offline (`sql: true`) also takes `start:end`. */
  readonly target?: string
  /** Delete every row of the version table first (also rows naming unknown revisions). Default is `false`. */
  readonly purge?: boolean
}

/**
 * Sets the version table to the target without running any revision (`flask db stamp`).
 *
 * @example
 * await stamp(config, { target: 'head' })   // adopt a database created by other means
 */
export async function stamp(config: ResolvedConfig, options: StampOptions = {}): Promise<RunResult> {
  if (!hasBinds(config)) return stampOne(config, options)
  const results = await runOnEveryDatabase(config, options.reporter ?? silentReporter, (bindConfig, beforeCommit) =>
    stampOne(bindConfig, { ...options, beforeCommit }),
  )
  return combineRunResults(results)
}

async function stampOne(config: ResolvedConfig, options: StampOptions & { readonly beforeCommit?: () => Promise<void> }): Promise<RunResult> {
  const reporter = options.reporter ?? silentReporter
  const graph = await loadRevisionGraph(config)
  const isOffline = options.sql === true
  const { start, end } = splitRange(options.target ?? 'head', { isOffline })
  const purge = options.purge === true
  if (isOffline) {
    if (purge) throw new CommandError("Can't use --purge with --sql mode", { code: 'PURGE_OFFLINE' })
    const startHeads = start === null || start === '' || start === 'base' ? [] : resolveRevisions(graph, start, [])
    const sql = await renderOfflineStamp({
      steps: planStamp(graph, startHeads, end, { purge }).steps,
      startHeads,
      versionTable: config.versionTable,
      versionTableSchema: config.versionTableSchema,
      createVersionTable: startHeads.length === 0,
    })
    return { steps: [], startHeads, endHeads: [], sql }
  }
  const lockTimeoutMs = options.lockTimeout !== undefined ? options.lockTimeout : config.lockTimeout
  return withDatabase(
    config,
    async (db) => {
      const result = await runStamp(db, {
        plan: (heads) => {
          // --purge is the way out of a version table naming unknown revisions; without it, say so.
          if (!purge) assertHeadsKnown(graph, heads, config)
          return planStamp(graph, heads, end, { purge }).steps
        },
        versionTable: config.versionTable,
        versionTableSchema: config.versionTableSchema,
        lockTimeoutMs,
        purge,
        reporter,
        ...runInterrupt(config, options),
        ...(options.beforeCommit !== undefined && { beforeCommit: options.beforeCommit }),
      })
      return { steps: [], startHeads: result.startHeads, endHeads: result.endHeads, sql: null }
    },
    // --lock-timeout also bounds the wait for another process holding an embedded database's folder.
    {
      notice: (line) => reporter.info(line),
      ...(options.lockTimeout !== undefined && options.lockTimeout !== null && { pgliteLockTimeoutMs: options.lockTimeout }),
    },
  )
}
