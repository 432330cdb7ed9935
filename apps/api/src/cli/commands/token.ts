import type { Command } from 'commander';
import { withServices } from '../../services.js';
import { createToken, listTokens, requireUser, revokeToken } from '../../store/people.js';
import { integerOption } from '../errors.js';
import type { CommandModule } from '../program.js';

export const tokenCommand: CommandModule = (program: Command, context) => {
  const token = program
    .command('token')
    .description('Create, list and revoke API tokens (bearer secrets for scripts and the CLI)');

  token
    .command('create <email>')
    .description('Create a token for a user and print its secret on stdout, once: it is not stored')
    .requiredOption('--name <label>', 'what the token is for, e.g. "laptop" or "ci"')
    .option('--scopes <list>', 'comma-separated scopes', 'runs:read,runs:write')
    .option(
      '--expires-in-days <n>',
      'days until it stops working (default: never)',
      integerOption('--expires-in-days', 1, 3650),
    )
    .action(
      async (email: string, options: { name: string; scopes: string; expiresInDays?: number }) => {
        const { env, log, out } = context();
        const scopes = options.scopes
          .split(',')
          .map((scope) => scope.trim())
          .filter(Boolean);
        await withServices({ env, log }, async ({ pool }) => {
          const owner = await requireUser(pool, email);
          const created = await createToken(pool, owner.id, {
            name: options.name,
            scopes,
            ...(options.expiresInDays === undefined
              ? {}
              : { expiresInDays: options.expiresInDays }),
          });
          out(`${created.secret}\n`);
          log.info(
            `token ${created.id} for ${owner.email}` +
              (created.expiresAt ? `, expires ${created.expiresAt.toISOString()}` : '') +
              '; the secret above is shown only this once',
          );
        });
      },
    );

  token
    .command('list <email>')
    .description("List a user's tokens (never their secrets)")
    .action(async (email: string) => {
      const { env, log, out } = context();
      await withServices({ env, log }, async ({ pool }) => {
        const owner = await requireUser(pool, email);
        for (const row of await listTokens(pool, owner.id)) {
          const state = row.revokedAt
            ? 'revoked'
            : row.expiresAt && row.expiresAt < new Date()
              ? 'expired'
              : 'active';
          out(`${row.id}\t${row.name}\t${state}\t${row.scopes.join(',')}\n`);
        }
      });
    });

  token
    .command('revoke <id>')
    .description('Revoke a token at once')
    .action(async (id: string) => {
      const { env, log } = context();
      await withServices({ env, log }, async ({ pool }) => {
        await revokeToken(pool, id);
        log.info(`token ${id} revoked`);
      });
    });
};
