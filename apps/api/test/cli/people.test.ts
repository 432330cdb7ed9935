import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, verifyToken } from '../../src/store/people.js';
import { jetlens } from '../helpers/cli.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await freshDatabase('api_people');
});

afterAll(async () => {
  await db?.close();
});

describe('jetlens user and token', () => {
  it('creates a collaboration, users and memberships', async () => {
    expect(
      (await jetlens(['user', 'create', 'Ada@Example.org', '--name', 'Ada'], db.env)).code,
    ).toBe(0);
    const collab = await jetlens(
      ['user', 'collaboration', 'atlas-xai', '--name', 'ATLAS XAI', '--owner', 'ada@example.org'],
      db.env,
    );
    expect(collab.code).toBe(0);
    const bob = await jetlens(
      [
        'user',
        'create',
        'bob@example.org',
        '--name',
        'Bob',
        '--collaboration',
        'atlas-xai',
        '--role',
        'viewer',
      ],
      db.env,
    );
    expect(bob.code).toBe(0);

    const list = await jetlens(['user', 'list'], db.env);
    expect(list.out).toBe(
      'ada@example.org\tAda\tatlas-xai:owner\nbob@example.org\tBob\tatlas-xai:viewer\n',
    );
  });

  it('refuses a duplicate user, a bad role and an unknown collaboration, with exit code 1', async () => {
    const again = await jetlens(['user', 'create', 'ada@example.org', '--name', 'Ada'], db.env);
    expect(again.code).toBe(1);
    expect(again.err).toContain('a user with email "ada@example.org" already exists');

    const role = await jetlens(
      ['user', 'join', 'bob@example.org', 'atlas-xai', '--role', 'boss'],
      db.env,
    );
    expect(role.code).toBe(1);
    expect(role.err).toContain(
      'role must be one of OWNER, ADMIN, MEMBER, VIEWER (any case), got "boss"',
    );

    const collab = await jetlens(['user', 'join', 'bob@example.org', 'cms'], db.env);
    expect(collab.code).toBe(1);
    expect(collab.err).toContain('no collaboration "cms"');
  });

  it('shows a token once, stores only its hash, and revokes it', async () => {
    const created = await jetlens(['token', 'create', 'ada@example.org', '--name', 'ci'], db.env);
    expect(created.code).toBe(0);
    const secret = created.out.trim();
    expect(secret).toMatch(/^jl_[A-Za-z0-9_-]{43}$/);

    const stored = await db.pool.query('SELECT id, token_hash FROM api_tokens');
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].token_hash).toBe(hashToken(secret));
    expect(JSON.stringify(stored.rows)).not.toContain(secret);
    expect((await verifyToken(db.pool, secret))?.email).toBe('ada@example.org');
    expect(await verifyToken(db.pool, `${secret}x`)).toBeUndefined();

    const id = stored.rows[0].id as string;
    expect((await jetlens(['token', 'list', 'ada@example.org'], db.env)).out).toBe(
      `${id}\tci\tactive\truns:read,runs:write\n`,
    );
    expect((await jetlens(['token', 'revoke', id], db.env)).code).toBe(0);
    expect(await verifyToken(db.pool, secret)).toBeUndefined();
    expect((await jetlens(['token', 'list', 'ada@example.org'], db.env)).out).toContain(
      '\trevoked\t',
    );
  });

  it('BAD CALL: revoking a token id that is not a UUID names it', async () => {
    const result = await jetlens(['token', 'revoke', 'abc'], db.env);
    expect(result.code).toBe(1);
    expect(result.err).toContain('token id must be a UUID, got "abc"');
  });
});
