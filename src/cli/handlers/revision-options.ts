import type { GlobalArgs } from '../run-command.js'

/** The arguments `revision` and `migrate` share (Flask-Migrate's list). */
export interface RevisionArgs extends GlobalArgs {
  readonly message?: string
  readonly sql: boolean
  readonly head: string
  readonly splice: boolean
  readonly 'branch-label'?: string
  readonly 'version-path'?: string
  readonly 'rev-id'?: string
  readonly 'depends-on'?: string[]
  readonly rename?: string[]
}

/** The options `revision` and `migrate` share, as the API takes them (absent when not given). */
export function revisionOptions(args: RevisionArgs) {
  return {
    ...(args.message !== undefined && { message: args.message }),
    head: args.head,
    splice: args.splice,
    ...(args['branch-label'] !== undefined && { branchLabel: args['branch-label'] }),
    ...(args['version-path'] !== undefined && { versionPath: args['version-path'] }),
    ...(args['rev-id'] !== undefined && { revId: args['rev-id'] }),
    ...(args['depends-on'] !== undefined && { dependsOn: args['depends-on'] }),
  }
}
