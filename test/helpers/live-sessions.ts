import pg from 'pg'

/** A second connection's query that takes longer than this was blocked (a lock), not merely slow. */
export const SMALL_BOUND_MS = 300

/** An immutable function slow enough per row that a scan of 500 rows through it takes about a second. */
export const SLOW_ID_FUNCTION = `create function slow_id(integer) returns integer language plpgsql immutable as $$
     begin perform pg_sleep(0.002); return $1; end $$`

/**
 * Runs each probe query over and over on a connection of its own while `run` works, and returns
 * each probe's slowest run, in milliseconds: what a live application's reads and writes would
 * have waited for.
 */
export async function slowestQueriesWhile<K extends string>(
  url: string,
  probes: Readonly<Record<K, string>>,
  run: () => Promise<unknown>,
): Promise<Record<K, number>> {
  const entries = Object.entries(probes) as [K, string][]
  const clients = await Promise.all(
    entries.map(async () => {
      const client = new pg.Client({ connectionString: url })
      client.on('error', () => undefined)
      await client.connect()
      return client
    }),
  )
  let isRunning = true
  const slowest = {} as Record<K, number>
  const loops = entries.map(async ([key, statement], i) => {
    slowest[key] = 0
    while (isRunning) {
      const started = performance.now()
      await clients[i]!.query(statement)
      slowest[key] = Math.max(slowest[key], performance.now() - started)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  })
  try {
    await run()
  } finally {
    isRunning = false
    await Promise.all(loops)
    await Promise.all(clients.map((client) => client.end()))
  }
  return slowest
}
