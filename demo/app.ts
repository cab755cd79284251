// The tutorial's "play with the database" session, with Kysely typed from the declaration.
import type { Kysely } from 'kysely'
import { loadConfig, withDatabase } from 'tsdb-migrate'
import type { Database } from './schema.js'

type Print = (line: string) => void

export async function playWithTheDatabase(cwd: string, print: Print): Promise<void> {
  const config = await loadConfig({ cwd })
  await withDatabase(config, async (db: Kysely<Database>) => {
    const show = (title: string, rows: readonly object[]) => {
      print(`>>> ${title}`)
      if (rows.length === 0) print('(no rows)')
      for (const row of rows) print(JSON.stringify(row))
      print('')
    }

    // One transaction: john, susan and john's first post, all or nothing.
    await db.transaction().execute(async (tx) => {
      const john = await tx.insertInto('user').values({ username: 'john', email: 'john@example.com' })
        .returning('id').executeTakeFirstOrThrow()
      await tx.insertInto('user').values({ username: 'susan', email: 'susan@example.com' }).execute()
      await tx.insertInto('post').values({ body: 'my first post!', user_id: john.id }).execute()
    })

    // A transaction that fails half way leaves nothing behind.
    try {
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('user').values({ username: 'mallory', email: 'mallory@example.com' }).execute()
        await tx.insertInto('user').values({ username: 'john', email: 'john2@example.com' }).execute()
      })
    } catch (error) {
      print(`>>> adding mallory and a second "john" in one transaction fails, and nothing of it is kept (no mallory below): ${(error as Error).message}`)
      print('')
    }

    show('all users', await db.selectFrom('user').select(['id', 'username', 'email']).orderBy('id').execute())
    show('posts of user 1', await db.selectFrom('post').select(['id', 'body']).where('user_id', '=', 1).execute())
    show('posts of user 2', await db.selectFrom('post').select(['id', 'body']).where('user_id', '=', 2).execute())
    show(
      'every post with its author',
      await db.selectFrom('post').innerJoin('user', 'user.id', 'post.user_id')
        .select(['post.id', 'user.username', 'post.body']).orderBy('post.id').execute(),
    )
    show('users in reverse alphabetical order', await db.selectFrom('user').select('username').orderBy('username', 'desc').execute())
    show("users whose username starts with 's'", await db.selectFrom('user').select('username').where('username', 'like', 's%').execute())

    // Delete everything without a loop: posts first, they reference users.
    const posts = await db.deleteFrom('post').executeTakeFirst()
    const users = await db.deleteFrom('user').executeTakeFirst()
    print(`>>> deleted ${posts.numDeletedRows} post(s) and ${users.numDeletedRows} user(s)`)
    print('')
  })
}

export async function countRows(cwd: string): Promise<{ users: number; posts: number }> {
  const config = await loadConfig({ cwd })
  return withDatabase(config, async (db: Kysely<Database>) => {
    const users = await db.selectFrom('user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const posts = await db.selectFrom('post').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    return { users: Number(users.n), posts: Number(posts.n) }
  })
}
