import type { Command } from 'commander';
import { withServices } from '../../services.js';
import {
  createCollaboration,
  createUser,
  listUsers,
  parseRole,
  requireCollaboration,
  requireUser,
  setMembership,
} from '../../store/people.js';
import type { CommandModule } from '../program.js';

export const userCommand: CommandModule = (program: Command, context) => {
  const user = program
    .command('user')
    .description('Create users and collaborations and manage memberships (for admins and scripts)');

  user
    .command('create <email>')
    .description('Create a user; with --collaboration, also add them to it')
    .requiredOption('--name <name>', 'the name shown in the web app')
    .option('--collaboration <slug>', 'add the new user to this collaboration')
    .option('--role <role>', 'role in the collaboration: owner, admin, member or viewer', 'member')
    .action(
      async (email: string, options: { name: string; collaboration?: string; role: string }) => {
        const { env, log, out } = context();
        const role = parseRole(options.role);
        await withServices({ env, log }, async ({ pool }) => {
          const created = await createUser(pool, email, options.name);
          if (options.collaboration) {
            const collaboration = await requireCollaboration(pool, options.collaboration);
            await setMembership(pool, created.id, collaboration.id, role);
            log.info(`${created.email} joined ${collaboration.slug} as ${role.toLowerCase()}`);
          }
          out(`${created.id}\n`);
          log.info(`created user ${created.email} (${created.name})`);
        });
      },
    );

  user
    .command('list')
    .description('List users and their collaborations')
    .action(async () => {
      const { env, log, out } = context();
      await withServices({ env, log }, async ({ pool }) => {
        for (const row of await listUsers(pool)) {
          out(`${row.email}\t${row.name}\t${row.collaborations.join(',')}\n`);
        }
      });
    });

  user
    .command('collaboration <slug>')
    .description('Create a collaboration; with --owner, make that user its owner')
    .requiredOption('--name <name>', 'the full name of the collaboration')
    .option('--owner <email>', 'an existing user to own it')
    .action(async (slug: string, options: { name: string; owner?: string }) => {
      const { env, log, out } = context();
      await withServices({ env, log }, async ({ pool }) => {
        const owner = options.owner ? await requireUser(pool, options.owner) : undefined;
        const collaboration = await createCollaboration(pool, slug, options.name);
        if (owner) await setMembership(pool, owner.id, collaboration.id, 'OWNER');
        out(`${collaboration.id}\n`);
        log.info(
          `created collaboration ${collaboration.slug}${owner ? ` owned by ${owner.email}` : ''}`,
        );
      });
    });

  user
    .command('join <email> <slug>')
    .description("Add a user to a collaboration, or change the user's role there")
    .option('--role <role>', 'owner, admin, member or viewer', 'member')
    .action(async (email: string, slug: string, options: { role: string }) => {
      const { env, log } = context();
      const role = parseRole(options.role);
      await withServices({ env, log }, async ({ pool }) => {
        const member = await requireUser(pool, email);
        const collaboration = await requireCollaboration(pool, slug);
        await setMembership(pool, member.id, collaboration.id, role);
        log.info(`${member.email} is ${role.toLowerCase()} of ${collaboration.slug}`);
      });
    });
};
