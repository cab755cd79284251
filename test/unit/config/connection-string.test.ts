import { describe, expect, it } from 'vitest'
import { listPasswords, parseConnectionString, redactPasswords } from '../../../src/config/connection-string.js'

describe('parseConnectionString: a URL read unambiguously shows every password as ***', () => {
  it.each([
    ['postgres://u:p@h/db', 'postgres://u:***@h/db'],
    ['postgres://u@h/db', 'postgres://u@h/db'],
    ['postgres://h:5432/db', 'postgres://h:5432/db'],
    ['postgres://u:p@ss@h:1/db', 'postgres://u:***@h:1/db'],
    ['postgres://u:@h/db', 'postgres://u:***@h/db'],
    ['postgres://:p@h/db', 'postgres://:***@h/db'],
    ['postgres://u:p:w@h/db', 'postgres://u:***@h/db'],
    ['postgres://u:p[1]@h/db', 'postgres://u:***@h/db'],
    ['postgres://u:pa ss@h/db', 'postgres://u:***@h/db'],
    ['postgres://u:50%off@h/db', 'postgres://u:***@h/db'],
    ['postgres://u:p%40x@h/db?sslmode=require', 'postgres://u:***@h/db?sslmode=require'],
    ['postgres://u:p%23%2F%3F%40@[::1]:5432/db', 'postgres://u:***@[::1]:5432/db'],
    ['postgresql://u:secret@[2001:db8::1]/db', 'postgresql://u:***@[2001:db8::1]/db'],
    ['postgres://h/db?user=u&password=secret&sslmode=require', 'postgres://h/db?user=u&password=***&sslmode=require'],
    ['postgres://h/db?sslpassword=secret', 'postgres://h/db?sslpassword=***'],
    ['postgres://h/db?PASSWORD=secret', 'postgres://h/db?PASSWORD=***'],
    ['mysql://root:hunter2@localhost/app', 'mysql://root:***@localhost/app'],
  ])('%s -> %s', (input, redacted) => {
    expect(parseConnectionString(input)).toEqual({ kind: 'url', scheme: input.split(':')[0], redacted })
  })
})

describe('parseConnectionString: a URL in doubt shows the scheme, and the host only where it is certain', () => {
  it.each([
    // An unencoded # ends the URL; the reading would hide the password's end.
    ['postgres://u:pa#ss@db.example:5432/app', 'postgres://…@db.example:5432'],
    ['postgres://u:1234#x@h/db', 'postgres://…@h'],
    // An unencoded / or ? ends the authority early; the @ then sits in the path or query.
    ['postgres://u:pa/ss@h/db', 'postgres://…@h'],
    ['postgres://u:12?x@h/db', 'postgres://…@h'],
    ['postgres://u:pa?ss@[::1]:5/db', 'postgres://…@[::1]:5'],
    // Two readings of where the host is: say nothing.
    ['postgres://u:p@ss/x@h/db', 'postgres://…'],
    ['postgres://u:p@h/my@db', 'postgres://…'],
    // What follows the @ could be part of a password= value.
    ['postgres://h/db?password=se#cr@et.example', 'postgres://…'],
    ['postgres://u:pw@[bad/db', 'postgres://…'],
    ['postgresql://u:hunter22@db.example:fivefour/app', 'postgresql://…@db.example'],
    ['postgres://u:pa\tss@h/db', 'postgres://…@h'],
  ])('%s -> %s', (input, shown) => {
    expect(parseConnectionString(input)).toEqual({ kind: 'unreadableUrl', scheme: input.split(':')[0], shown })
  })

  it('reads a libpq key=value string and any other text without showing it', () => {
    expect(parseConnectionString("host=db password='x y' dbname=app")).toEqual({ kind: 'keyValue' })
    expect(parseConnectionString('hunter2hunter2')).toEqual({ kind: 'other' })
    expect(parseConnectionString('u:pw@localhost:5432/app')).toEqual({ kind: 'other' })
  })
})

describe('listPasswords', () => {
  const listed = (text: string) => listPasswords(text)

  it('lists a URL password as written, decoded, re-encoded and JSON-escaped', () => {
    expect(listed('postgres://u:p%23s%5Cs@h/db')).toEqual(expect.arrayContaining(['p%23s%5Cs', 'p#s\\s', 'p#s\\\\s']))
    expect(listed('postgres://u:pa ss@h/db')).toEqual(expect.arrayContaining(['pa ss', 'pa%20ss']))
    // pg reads a stray % literally (it encodes the URL first).
    expect(listed('postgres://u:50%off@h/db')).toEqual(expect.arrayContaining(['50%off', '50%25off']))
  })

  it('lists nothing for a URL without a password, or with an empty one', () => {
    expect(listed('postgres://u@h/db')).toEqual([])
    expect(listed('postgres://u:@h/db')).toEqual([])
    expect(listed('pglite:/tmp/db')).toEqual([])
  })

  it('lists every reading of a URL that does not parse', () => {
    expect(listed('postgres://u:pa#ss@h/db')).toContain('pa#ss')
    expect(listed('postgres://u:pa/ss@h/db')).toContain('pa/ss')
    expect(listed('postgres://u:p@ss?wo#rd@h/db')).toContain('p@ss?wo#rd')
    expect(listed('postgres://u:p@h/my@db')).toEqual(expect.arrayContaining(['p', 'p@h/my']))
  })

  it('lists password= and sslpassword= values in a query, decoded too', () => {
    expect(listed('postgres://h/db?password=s%26cret&sslmode=require')).toEqual(expect.arrayContaining(['s%26cret', 's&cret']))
    expect(listed('postgres://h/db?sslpassword=keypass1')).toContain('keypass1')
    expect(listed('postgres://h/db?password=a#b&c')).toEqual(expect.arrayContaining(['a#b&c', 'a#b']))
  })

  it('lists the secrets of a libpq key=value string, quoted or not', () => {
    expect(listed('host=db password=hunter22 dbname=app')).toContain('hunter22')
    expect(listed("host=db password = 'it\\'s secret' sslpassword=keypass")).toEqual(expect.arrayContaining(["it's secret", 'keypass']))
  })

  it('lists the password of user:password@host written without a scheme', () => {
    expect(listed('u:hunter22@localhost/app')).toContain('hunter22')
  })
})

describe('redactPasswords', () => {
  it.each([
    ['cannot reach postgres://u:hunter22@h/db today', 'cannot reach postgres://u:***@h/db today'],
    ['see postgres://u:p@ss@h/db', 'see postgres://u:***@h/db'],
    ['postgres://h/db?sslmode=require&password=hunter22&x=1', 'postgres://h/db?sslmode=require&password=***&x=1'],
    ['postgres://h/db?sslpassword=hunter22', 'postgres://h/db?sslpassword=***'],
    ['{ "url": "postgres://h/db?password=hunter22", "n": 1 }', '{ "url": "postgres://h/db?password=***", "n": 1 }'],
    ['host=db password=hunter22 dbname=app', 'host=db password=*** dbname=app'],
    ["host=db password='it\\'s secret' dbname=app", 'host=db password=*** dbname=app'],
    ['host=db sslpassword = "hunter22"', 'host=db sslpassword = ***'],
    // The form of a URL in our own messages is not a secret.
    ['expected postgres://user:password@host:5432/database', 'expected postgres://user:password@host:5432/database'],
  ])('%s -> %s', (input, expected) => {
    expect(redactPasswords(input)).toBe(expected)
  })

  it('hides the secrets it is given, longest first', () => {
    const secrets = listPasswords('postgres://u:p%2Fa%23ss@h/db')
    expect(redactPasswords('tried p/a#ss and p%2Fa%23ss and p/a#ssX', secrets)).toBe('tried *** and *** and ***X')
  })
})
