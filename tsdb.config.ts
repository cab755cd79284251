// The demo's project, as tsdb sees it from the repository's root: the revisions in migrations/
// are the ones `tsdb db migrate` wrote from demo/schema.ts (the Mega-Tutorial's user and post
// tables). `npm run demo` makes its own throwaway project instead; this config is for
// `tsdb db upgrade|check|history` on the checked-in revisions (test/integration/demo/).
import type { TsdbConfig } from 'tsdb-migrate'

export default {
  migrationsDir: 'migrations',
  schema: 'demo/schema.ts',
} satisfies TsdbConfig
