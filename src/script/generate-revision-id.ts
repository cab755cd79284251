import { randomBytes } from 'node:crypto'

/** 12 lowercase hex characters, as Alembic's `uuid4().hex[-12:]`. */
export function generateRevisionId(): string {
  return randomBytes(6).toString('hex')
}
