import type { Expression } from 'kysely'

/** A view (`CREATE VIEW name AS query`), declared in `defineSchema`'s `views` option. */
export interface View {
  readonly kind: 'view'
  readonly name: string
  /** The PostgreSQL schema the view lives in; `public` unless declared otherwise. */
  readonly schema: string
  readonly query: Expression<unknown>
  readonly materialized: boolean
}

export interface ViewOptions {
  /** Default is `public`. */
  readonly schema?: string
  /** `CREATE MATERIALIZED VIEW`: the rows are stored (and refreshed with `REFRESH MATERIALIZED VIEW`). Default is false. */
  readonly materialized?: boolean
}

/**
 * Declares a view by its query. Autogenerate compares the query as PostgreSQL prints it
 * (`pg_get_viewdef`), so any spelling of the same query is the same view.
 *
 * @example
 * const activeUser = view('active_user', sql`select id, username from "user" where active`)
 * // defineSchema({ user: table({ ... }) }, { views: [activeUser] })
 */
export function view(name: string, query: Expression<unknown>, options: ViewOptions = {}): View {
  return Object.freeze({ kind: 'view', name, schema: options.schema ?? 'public', query, materialized: options.materialized ?? false })
}
