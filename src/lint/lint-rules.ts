/** How much a finding matters: `error` fails `tsdb db lint` (exit 1). */
export type LintLevel = 'error' | 'warning' | 'info'

/** What every rule says, whatever statement it is found on. docs/lint.md has one section per rule. */
export interface LintRule {
  readonly level: LintLevel
  /** One line: what the rule catches. */
  readonly title: string
  /** The safe way to get the same change. */
  readonly safe: string
}

export const LINT_RULES = {
  'create-index-blocks-writes': {
    level: 'error',
    title: 'CREATE INDEX without CONCURRENTLY on an existing table',
    safe:
      'CREATE INDEX CONCURRENTLY, in a revision of its own with `export const transactional = false` ' +
      '(it cannot run inside a transaction)',
  },
  'concurrently-in-transaction': {
    level: 'error',
    title: 'a CONCURRENTLY statement in a revision that runs inside a transaction',
    safe: 'move it to a revision of its own with `export const transactional = false`',
  },
  'column-type-rewrite': {
    level: 'error',
    title: 'ALTER COLUMN ... TYPE that rewrites the table (and rebuilds its indexes)',
    safe:
      'add a new column of the new type, backfill it in batches, switch the application to it, then drop ' +
      'the old column; or widen only in binary-compatible ways (varchar(n) to a larger n or to text, ' +
      'numeric(p,s) to a larger p)',
  },
  'column-type-may-rewrite': {
    level: 'warning',
    title: "ALTER COLUMN ... TYPE on a column whose current type tsdb does not know",
    safe: 'check that the change is binary-compatible; otherwise add a new column and backfill it',
  },
  'add-column-rewrite': {
    level: 'error',
    title: 'ADD COLUMN with a volatile default, an identity, a serial or a stored generated column (rewrites the table)',
    safe:
      'add the column without a default (or with a constant one), then set the default for new rows and ' +
      'backfill existing rows in batches, in later steps',
  },
  'table-rewrite': {
    level: 'error',
    title: 'a statement that rewrites the whole table under ACCESS EXCLUSIVE (SET LOGGED/UNLOGGED, VACUUM FULL, CLUSTER)',
    safe: 'avoid it on a live table; pg_repack rebuilds a table without the long lock',
  },
  'set-not-null-scans': {
    level: 'error',
    title: 'SET NOT NULL without a validated CHECK (col IS NOT NULL): reads the whole table under ACCESS EXCLUSIVE',
    safe:
      'ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; then, in a later transaction, VALIDATE CONSTRAINT c; ' +
      'then SET NOT NULL (PostgreSQL uses the constraint instead of scanning) and DROP CONSTRAINT c',
  },
  'add-constraint-scans': {
    level: 'error',
    title: 'ADD CONSTRAINT (CHECK or FOREIGN KEY) without NOT VALID on an existing table: validates every row under lock',
    safe: 'ADD CONSTRAINT ... NOT VALID; then, in a later transaction, ALTER TABLE ... VALIDATE CONSTRAINT',
  },
  'add-unique-builds-index': {
    level: 'error',
    title: 'ADD CONSTRAINT PRIMARY KEY/UNIQUE/EXCLUDE builds its index under ACCESS EXCLUSIVE',
    safe:
      'CREATE UNIQUE INDEX CONCURRENTLY (a `transactional = false` revision), then ' +
      'ADD CONSTRAINT ... UNIQUE USING INDEX (or PRIMARY KEY USING INDEX)',
  },
  'validate-in-add-transaction': {
    level: 'error',
    title: 'VALIDATE CONSTRAINT in the same transaction as the ADD CONSTRAINT ... NOT VALID',
    safe:
      'validate in a later transaction: a later revision with `transactionPerMigration: true`, or a revision ' +
      'of its own marked `transactional = false`',
  },
  'lock-held-during-slow-work': {
    level: 'error',
    title: 'a transaction holds a lock that blocks reads or writes while it does slow work',
    safe:
      'commit the strong lock first: split the slow work (backfill, index build, validation) into a later ' +
      'transaction, or take the strong lock last',
  },
  'missing-lock-timeout': {
    level: 'warning',
    title: 'a lock that blocks reads or writes is taken without a lock_timeout',
    safe:
      "keep tsdb's stepLockTimeout (the default) for transactional revisions; in a `transactional = false` " +
      "revision send SET lock_timeout = '5s' first",
  },
  'drop-table': {
    level: 'warning',
    title: 'DROP TABLE of an existing table',
    safe: 'deploy application code that no longer reads or writes the table first; drop it in a later release',
  },
  'drop-column': {
    level: 'warning',
    title: 'DROP COLUMN of an existing column',
    safe: 'deploy application code that no longer reads or writes the column first; drop it in a later release',
  },
  'strong-lock': {
    level: 'info',
    title: 'a brief lock that blocks reads or writes (no scan, no rewrite)',
    safe: 'nothing to change; keep a lock_timeout so that it cannot queue traffic behind it for long',
  },
  'syntax-error': {
    level: 'error',
    title: "a statement PostgreSQL's parser rejects",
    safe: 'fix the statement: upgrade would fail on it',
  },
  'lint-allow-invalid': {
    level: 'warning',
    title: 'a tsdb-lint allow comment without a known rule or without a reason',
    safe: "write it as /* tsdb-lint allow <rule>: <reason> */, or use lintAllow(db, '<rule>', '<reason>')",
  },
} as const satisfies Record<string, LintRule>

export type LintRuleId = keyof typeof LINT_RULES

export const LINT_RULE_IDS = Object.keys(LINT_RULES).sort() as readonly LintRuleId[]

export function isLintRuleId(text: string): text is LintRuleId {
  return Object.hasOwn(LINT_RULES, text)
}
