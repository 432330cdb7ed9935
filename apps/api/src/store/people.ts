/**
 * Users, collaborations, memberships and API tokens. Token secrets are random, shown once to
 * whoever created them, and stored only as their SHA-256.
 */
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { uuidv7 } from './ids.js';

export const ROLES = ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface Collaboration {
  id: string;
  slug: string;
  name: string;
}

export interface TokenInfo {
  id: string;
  name: string;
  scopes: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

/** The prefix makes a leaked JetLens token recognisable (secret scanners, logs). */
const TOKEN_PREFIX = 'jl_';
const EMAIL = /^[^@\s]+@[^@\s]+$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function parseRole(value: string): Role {
  const role = value.toUpperCase();
  if ((ROLES as readonly string[]).includes(role)) return role as Role;
  throw new RangeError(`role must be one of ${ROLES.join(', ')} (any case), got "${value}"`);
}

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export async function createUser(db: pg.Pool, email: string, name: string): Promise<User> {
  const normalised = email.trim().toLowerCase();
  if (!EMAIL.test(normalised))
    throw new RangeError(`email must look like name@host, got "${email}"`);
  if (name.trim() === '') throw new RangeError('user name must not be empty');

  const { rows } = await db.query<User>(
    `INSERT INTO users (id, email, name, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (email) DO NOTHING
     RETURNING id, email, name`,
    [uuidv7(), normalised, name.trim()],
  );
  if (!rows[0]) throw new RangeError(`a user with email "${normalised}" already exists`);
  return rows[0];
}

export async function findUser(db: pg.Pool, email: string): Promise<User | undefined> {
  const { rows } = await db.query<User>('SELECT id, email, name FROM users WHERE email = $1', [
    email.trim().toLowerCase(),
  ]);
  return rows[0];
}

export async function requireUser(db: pg.Pool, email: string): Promise<User> {
  const user = await findUser(db, email);
  if (!user)
    throw new RangeError(`no user with email "${email}"; create it with "jetlens user create"`);
  return user;
}

export async function listUsers(db: pg.Pool): Promise<(User & { collaborations: string[] })[]> {
  const { rows } = await db.query<User & { collaborations: string[] }>(
    `SELECT u.id, u.email, u.name,
            coalesce(array_agg(c.slug || ':' || lower(m.role::text) ORDER BY c.slug)
                     FILTER (WHERE c.id IS NOT NULL), '{}') AS collaborations
     FROM users u
     LEFT JOIN memberships m ON m.user_id = u.id
     LEFT JOIN collaborations c ON c.id = m.collaboration_id
     GROUP BY u.id ORDER BY u.email`,
  );
  return rows;
}

export async function createCollaboration(
  db: pg.Pool,
  slug: string,
  name: string,
): Promise<Collaboration> {
  if (!SLUG.test(slug)) {
    throw new RangeError(
      `collaboration slug must be lower-case letters, digits and dashes (1-63), got "${slug}"`,
    );
  }
  const { rows } = await db.query<Collaboration>(
    `INSERT INTO collaborations (id, slug, name, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (slug) DO NOTHING
     RETURNING id, slug, name`,
    [uuidv7(), slug, name.trim() || slug],
  );
  if (!rows[0]) throw new RangeError(`a collaboration with slug "${slug}" already exists`);
  return rows[0];
}

export async function requireCollaboration(db: pg.Pool, slug: string): Promise<Collaboration> {
  const { rows } = await db.query<Collaboration>(
    'SELECT id, slug, name FROM collaborations WHERE slug = $1',
    [slug],
  );
  if (!rows[0]) {
    throw new RangeError(`no collaboration "${slug}"; create it with "jetlens user collaboration"`);
  }
  return rows[0];
}

/** Adds the user to the collaboration, or changes their role there. */
export async function setMembership(
  db: pg.Pool,
  userId: string,
  collaborationId: string,
  role: Role,
): Promise<void> {
  await db.query(
    `INSERT INTO memberships (id, user_id, collaboration_id, role) VALUES ($1, $2, $3, $4)
     ON CONFLICT (collaboration_id, user_id) DO UPDATE SET role = excluded.role`,
    [uuidv7(), userId, collaborationId, role],
  );
}

export interface NewToken {
  name: string;
  scopes: string[];
  /** Days until the token stops working; never when undefined. */
  expiresInDays?: number;
}

/** Creates a token and returns its secret, which is not kept anywhere. */
export async function createToken(
  db: pg.Pool,
  userId: string,
  token: NewToken,
): Promise<{ id: string; secret: string; expiresAt: Date | null }> {
  if (token.name.trim() === '') throw new RangeError('token name must not be empty');
  const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const expiresAt =
    token.expiresInDays === undefined
      ? null
      : new Date(Date.now() + token.expiresInDays * 24 * 60 * 60 * 1000);
  const id = uuidv7();
  await db.query(
    `INSERT INTO api_tokens (id, user_id, name, token_hash, scopes, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, userId, token.name.trim(), hashToken(secret), token.scopes, expiresAt],
  );
  return { id, secret, expiresAt };
}

export async function listTokens(db: pg.Pool, userId: string): Promise<TokenInfo[]> {
  const { rows } = await db.query<TokenInfo>(
    `SELECT id, name, scopes, expires_at AS "expiresAt", revoked_at AS "revokedAt",
            created_at AS "createdAt"
     FROM api_tokens WHERE user_id = $1 ORDER BY created_at`,
    [userId],
  );
  return rows;
}

export async function revokeToken(db: pg.Pool, tokenId: string): Promise<void> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tokenId)) {
    throw new RangeError(`token id must be a UUID, got "${tokenId}"`);
  }
  const { rowCount } = await db.query(
    'UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
    [tokenId],
  );
  if (rowCount === 0) throw new RangeError(`no active token with id "${tokenId}"`);
}

/** The user a secret belongs to, if the token is known, not revoked and not expired. */
export async function verifyToken(db: pg.Pool, secret: string): Promise<User | undefined> {
  const { rows } = await db.query<User>(
    `UPDATE api_tokens t SET last_used_at = now()
     FROM users u
     WHERE t.token_hash = $1 AND u.id = t.user_id AND t.revoked_at IS NULL
       AND (t.expires_at IS NULL OR t.expires_at > now())
     RETURNING u.id, u.email, u.name`,
    [hashToken(secret)],
  );
  return rows[0];
}

/**
 * The collaboration and user that own results made with the embedded database: created on the
 * first run, found again on later ones.
 */
export async function ensureLocalIdentity(
  db: pg.Pool,
  login: string,
): Promise<{ user: User; collaboration: Collaboration; created: boolean }> {
  const email = `${login.toLowerCase().replace(/[^a-z0-9._-]/g, '-') || 'user'}@localhost`;
  let created = false;
  let user = await findUser(db, email);
  if (!user) {
    user = await createUser(db, email, login);
    created = true;
  }

  const { rows } = await db.query<Collaboration>(
    'SELECT id, slug, name FROM collaborations WHERE slug = $1',
    ['local'],
  );
  const collaboration = rows[0] ?? (await createCollaboration(db, 'local', 'Local'));
  created ||= rows[0] === undefined;
  await db.query(
    `INSERT INTO memberships (id, user_id, collaboration_id, role) VALUES ($1, $2, $3, 'OWNER')
     ON CONFLICT (collaboration_id, user_id) DO NOTHING`,
    [uuidv7(), user.id, collaboration.id],
  );
  return { user, collaboration, created };
}
