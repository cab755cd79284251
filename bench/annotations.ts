// `npm run build && node --import jiti/register bench/annotations.ts`: the CPU time `migrate`
// pays for the comments it writes on each statement (locks, scan or rewrite, live table size)
// and its list of risky statements, paired: in each round `migrate` runs once with them and once
// without (each going first in turn), each in a process of its own, on the same database and
// declaration: N tables with rows, each gaining a NOT NULL, an index and a foreign key (the
// safe forms, so each table gets 9 annotated statements). The figure is the median over rounds
// of (with - without) CPU time, and of their ratio.
//
// Environment: TSDB_BENCH_ANNOTATE_N (tables, default 200), TSDB_BENCH_RUNS (rounds, default 7).
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { startPostgresServer } from '../test/helpers/postgres-server.js'
import { rotate, runCommand, sample, type Command } from './lib/measure.js'

const benchDir = fileURLToPath(new URL('.', import.meta.url))
const repoRoot = join(benchDir, '..')
const N = Number(process.env.TSDB_BENCH_ANNOTATE_N ?? 200)
const RUNS = Number(process.env.TSDB_BENCH_RUNS ?? 7)

const declaration = (isChanged: boolean) => `import { defineSchema, table, t } from 'tsdb-migrate'
export const schema = defineSchema({
  owner: table({ id: t.serial().primaryKey() }),
${Array.from({ length: N }, (_, i) => `  t${i}: table({ id: t.serial().primaryKey(), name: t.text()${isChanged ? '.notNull()' : ''}, owner_id: t.integer()${isChanged ? ".references('owner.id').index()" : ''} }),`).join('\n')}
})
export default schema
`

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

async function main() {
  const project = join(benchDir, 'work', `annotations-${N}`)
  rmSync(project, { recursive: true, force: true })
  mkdirSync(join(project, 'src'), { recursive: true })
  mkdirSync(join(project, 'migrations', 'versions'), { recursive: true })
  mkdirSync(join(project, 'node_modules'))
  symlinkSync(repoRoot, join(project, 'node_modules', 'tsdb-migrate'), 'dir')
  symlinkSync(join(repoRoot, 'node_modules', 'kysely'), join(project, 'node_modules', 'kysely'), 'dir')
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'bench', private: true, type: 'module' }))

  const server = await startPostgresServer()
  try {
    await server.createDatabase('annotations')
    const url = new URL(server.url)
    url.pathname = '/annotations'
    const dbUrl = url.toString()
    const tsdb = (args: readonly string[]): Command => ({ file: process.execPath, args: [join(repoRoot, 'bin', 'tsdb.js'), ...args], cwd: project, env: { DATABASE_URL: dbUrl } })
    writeFileSync(join(project, 'src', 'schema.ts'), declaration(false))
    await runCommand(tsdb(['db', 'migrate', '-m', 'tables']))
    await runCommand(tsdb(['db', 'upgrade']))
    const client = new pg.Client({ connectionString: dbUrl })
    await client.connect()
    await client.query('insert into owner default values')
    for (let i = 0; i < N; i++) await client.query(`insert into t${i} (name, owner_id) select 'x', 1 from generate_series(1, 100)`)
    await client.query('analyze')
    await client.end()
    writeFileSync(join(project, 'src', 'schema.ts'), declaration(true))

    const once = (mode: 'annotate' | 'plain'): Command => ({ file: process.execPath, args: [join(benchDir, 'lib', 'migrate-once.mjs'), project, dbUrl, mode], cwd: project })
    // Warm-up: jiti's cache of the declaration, the server's catalog caches.
    for (const mode of ['annotate', 'plain'] as const) await runCommand(once(mode))
    const cpu: Record<'annotate' | 'plain', number[]> = { annotate: [], plain: [] }
    for (let round = 0; round < RUNS; round++) {
      for (const mode of rotate(['annotate', 'plain'] as const, round)) cpu[mode].push((await sample(once(mode))).cpuMs)
    }
    const differences = cpu.annotate.map((ms, i) => ms - cpu.plain[i]!)
    const ratios = cpu.annotate.map((ms, i) => ms / cpu.plain[i]!)
    console.log(`migrate of ${N} tables with rows, each gaining NOT NULL, an index and a foreign key; ${RUNS} rounds`)
    console.log(`CPU time, median: with the comments ${median(cpu.annotate).toFixed(0)} ms, without ${median(cpu.plain).toFixed(0)} ms`)
    console.log(`paired: +${median(differences).toFixed(0)} ms (${Math.min(...differences).toFixed(0)} to ${Math.max(...differences).toFixed(0)}), ratio ${median(ratios).toFixed(3)}`)
  } finally {
    await server.stop()
  }
}

await main()
