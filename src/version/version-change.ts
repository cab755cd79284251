/** A change to the rows of the version table, as Alembic's HeadMaintainer makes them. */
export type VersionChange =
  | { readonly kind: 'insert'; readonly id: string }
  | { readonly kind: 'delete'; readonly id: string }
  | { readonly kind: 'update'; readonly from: string; readonly to: string }

export const VERSION_TABLE = 'alembic_version'
