import type { Command } from 'commander';
import { isJobKind } from '../../jobs/kinds.js';
import type { JobStatus } from '../../jobs/ledger.js';
import { withServices } from '../../services.js';
import { integerOption, UsageError } from '../errors.js';
import type { CommandModule } from '../program.js';

const STATUSES: JobStatus[] = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function jobId(value: string): string {
  if (!UUID.test(value)) throw new UsageError(`job id must be a UUID, got "${value}"`);
  return value;
}

export const jobCommand: CommandModule = (program: Command, context) => {
  const job = program.command('job').description('List, inspect and cancel background jobs');

  job
    .command('list')
    .description('The most recent jobs: id, kind, status, progress, attempts')
    .option('--status <status>', `only jobs in this state: ${STATUSES.join(', ')}`)
    .option('--limit <n>', 'how many', integerOption('--limit', 1, 10_000), 20)
    .action(async (options: { status?: string; limit: number }) => {
      const { env, log, out } = context();
      const status = options.status?.toUpperCase() as JobStatus | undefined;
      if (status !== undefined && !STATUSES.includes(status)) {
        throw new UsageError(
          `--status must be one of ${STATUSES.join(', ')}, got "${options.status}"`,
        );
      }
      await withServices({ env, log }, async (services) => {
        const queue = await services.queue();
        for (const row of await queue.ledger.list(options.limit, status)) {
          const progress = `${Math.round(row.progress * 100)}%`;
          out(
            [
              row.id,
              row.kind,
              row.status,
              progress,
              `${row.attempts}/${row.maxAttempts}`,
              row.error ?? '',
            ]
              .join('\t')
              .concat('\n'),
          );
        }
      });
    });

  job
    .command('log <id>')
    .description("A job's status and log lines")
    .action(async (id: string) => {
      const { env, log, out } = context();
      await withServices({ env, log }, async (services) => {
        const record = await (await services.queue()).ledger.get(jobId(id));
        if (!record) throw new RangeError(`no job with id ${id}`);
        out(
          `${record.kind} ${record.status} ${Math.round(record.progress * 100)}% ` +
            `attempt ${record.attempts}/${record.maxAttempts}\n`,
        );
        for (const line of record.logs) out(`${line}\n`);
        if (record.error) out(`error: ${record.error}\n`);
      });
    });

  job
    .command('cancel <id>')
    .description('Cancel a queued or running job (a running one stops at its next batch)')
    .action(async (id: string) => {
      const { env, log } = context();
      await withServices({ env, log }, async (services) => {
        const queue = await services.queue();
        const record = await queue.ledger.get(jobId(id));
        if (!record) throw new RangeError(`no job with id ${id}`);
        if (!isJobKind(record.kind))
          throw new RangeError(`job ${id} has an unknown kind "${record.kind}"`);
        if (record.status !== 'QUEUED' && record.status !== 'RUNNING') {
          throw new RangeError(
            `job ${id} is ${record.status}; only queued or running jobs can be cancelled`,
          );
        }
        await queue.cancel(record.kind, id);
        log.info(`job ${id} (${record.kind}) cancelled`);
      });
    });
};
