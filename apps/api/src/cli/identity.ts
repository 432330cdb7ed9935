/**
 * Who owns what a command creates. With a shared database the caller names a user and a
 * collaboration; with the embedded one, results belong to a local collaboration and user
 * created on the first run.
 */
import { userInfo } from 'node:os';
import type { Services } from '../services.js';
import {
  type Collaboration,
  ensureLocalIdentity,
  requireCollaboration,
  requireUser,
  type User,
} from '../store/people.js';
import { UsageError } from './errors.js';

export interface OwnerOptions {
  user?: string;
  collaboration?: string;
}

export interface Owner {
  user: User;
  collaboration: Collaboration;
}

export async function resolveOwner(services: Services, options: OwnerOptions): Promise<Owner> {
  if (options.user === undefined && options.collaboration === undefined && services.embedded) {
    const local = await ensureLocalIdentity(services.pool, userInfo().username);
    const verb = local.created ? 'created' : 'using';
    services.log.info(
      `${verb} local user ${local.user.email} in collaboration "${local.collaboration.slug}"`,
    );
    return local;
  }
  if (options.user === undefined || options.collaboration === undefined) {
    throw new UsageError(
      'with a shared database (DATABASE_URL), name the owner: --user EMAIL --collaboration SLUG',
    );
  }
  const user = await requireUser(services.pool, options.user);
  const collaboration = await requireCollaboration(services.pool, options.collaboration);
  const { rows } = await services.pool.query(
    'SELECT role FROM memberships WHERE user_id = $1 AND collaboration_id = $2',
    [user.id, collaboration.id],
  );
  const role = (rows[0] as { role?: string } | undefined)?.role;
  if (role === undefined || role === 'VIEWER') {
    throw new UsageError(
      `${user.email} cannot create results in "${collaboration.slug}" ` +
        `(${role === undefined ? 'not a member' : 'viewer only'})`,
    );
  }
  return { user, collaboration };
}
