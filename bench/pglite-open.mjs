// The embedded database's reference: PGlite alone opening an existing data folder, one query,
// closed. tsdb's first and later commands on PGlite are measured against this process.
import { PGlite } from '@electric-sql/pglite'

const pglite = new PGlite(process.argv[2])
await pglite.query('select 1')
await pglite.close()
