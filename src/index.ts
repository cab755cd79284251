// The public programmatic API of tsdb. The CLI (src/cli) is a thin layer over exactly these.

export { defineConfig, DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA_PATH } from './config/config.js'
export type { TsdbConfig, ResolvedConfig, DatabaseUrl, ConfigContext, XArgs } from './config/config.js'
export type {
  CallerDatabase,
  KyselyInstance,
  PgClient,
  PgPool,
  PgQueryResult,
  PgliteInstance,
  PgliteResults,
  PgliteTransaction,
} from './config/caller-database.js'
export type { MigrationContext } from './runner/load-step-modules.js'
export { loadConfig } from './config/load-config.js'
export { resolveConfig } from './config/resolve-config.js'
export { withDatabase } from './connection/with-database.js'

export { upgrade, downgrade, stamp } from './api/upgrade.js'
export type { UpgradeOptions, DowngradeOptions, StampOptions } from './api/upgrade.js'
export { current } from './api/current.js'
export type { CurrentOptions, CurrentResult } from './api/current.js'
export { history, heads, branches, show } from './api/history.js'
export type { HistoryOptions, HeadsOptions, BranchPointInfo } from './api/history.js'
export { revision, merge } from './api/revision.js'
export type { RevisionOptions, MergeOptions, CreatedRevision } from './api/revision.js'
export { initMigrations, listTemplates } from './script/init-migrations.js'
export type { RevisionInfo } from './api/revision-info.js'
export type { StepInfo, RunResult, RunOptions } from './api/run-options.js'
export type { Reporter } from './runner/reporter.js'
export type { ConfirmDataLoss, DataLossWarning, DroppedObject } from './runner/data-loss.js'
export { silentReporter } from './runner/reporter.js'

export type { Revision } from './revision/revision.js'
export type { MigrationStep } from './revision/migration-step.js'
export { VERSION_TABLE } from './version/version-change.js'

export * from './errors.js'

export { migrate, check } from './api/migrate.js'
export type { MigrateOptions, MigrateResult, CheckResult, AutogenerateOptions } from './api/migrate.js'
export { lint } from './api/lint.js'
export type { LintOptions, LintResult, LintFinding, LintedStatement, TableSize } from './api/lint.js'
export { lintAllow } from './lint/lint-allow.js'
export type { LintAllowance } from './lint/lint-allow.js'
export { LINT_RULES } from './lint/lint-rules.js'
export type { LintRuleId, LintLevel, LintRule } from './lint/lint-rules.js'
export type { LockMode, TableLock } from './lint/lock-modes.js'
export { parseRenameOption } from './diff/rename-hints.js'
export type { RenameHint, RenameCandidate } from './diff/rename-hints.js'

export * from './schema/index.js'
