// One `migrate` in a process of its own, as the CLI runs it, through the public API so that the
// comments can be left out: `node migrate-once.mjs <project> <url> annotate|plain`. The revision
// file it writes is removed again, so every run compares the same database and declaration.
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const [project, url, mode] = process.argv.slice(2)
const api = await import(pathToFileURL(join(project, 'node_modules', 'tsdb-migrate', 'dist', 'index.js')).href)
const config = api.resolveConfig({}, { cwd: project, env: { DATABASE_URL: url }, configPath: null })
const result = await api.migrate(config, { message: 'change', annotate: mode === 'annotate' })
if (result.created === null) throw new Error('migrate found nothing to change')
await rm(result.created.path)
