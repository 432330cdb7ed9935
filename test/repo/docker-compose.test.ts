/**
 * No Docker engine runs in CI, so docker-compose.yml is checked as data: it must parse, wire
 * every JetLens service to the database by environment, and wait for a healthy database.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repo = join(import.meta.dirname, '..', '..');

interface ComposeService {
  image?: string;
  build?: string;
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }> | string[];
}

const compose = parse(readFileSync(join(repo, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, ComposeService> };

describe('docker-compose.yml', () => {
  it('runs PostgreSQL 17 with a healthcheck', () => {
    const db = compose.services.db;
    expect(db?.image).toBe('postgres:17');
    expect(db?.healthcheck?.test.join(' ')).toContain('pg_isready');
  });

  it.each(['worker', 'migrate', 'cli'])(
    '%s reads DATABASE_URL pointing at the db service',
    (name) => {
      const service = compose.services[name];
      expect(service?.build).toBe('.');
      expect(service?.environment?.DATABASE_URL).toMatch(
        /^postgresql:\/\/jetlens:.*@db:5432\/jetlens$/,
      );
    },
  );

  it('starts workers and the command line only after the migrations ran on a healthy database', () => {
    const migrate = compose.services.migrate?.depends_on as Record<string, { condition: string }>;
    expect(migrate.db?.condition).toBe('service_healthy');
    for (const name of ['worker', 'cli']) {
      const deps = compose.services[name]?.depends_on as Record<string, { condition: string }>;
      expect(deps.migrate?.condition).toBe('service_completed_successfully');
    }
  });

  it('runs only commands that the jetlens command line has', () => {
    const jetlens = join(repo, 'apps', 'api', 'bin', 'jetlens.js');
    const worker = compose.services.worker?.command ?? [];
    const cli = compose.services.cli;
    expect(worker.slice(0, 2)).toEqual(['npx', 'jetlens']);
    expect(cli?.entrypoint).toEqual(['npx', 'jetlens']);
    for (const args of [worker.slice(2), ['study', '--no-local-worker'], cli?.command ?? []]) {
      const help = spawnSync(process.execPath, [jetlens, ...args, '--help'], { encoding: 'utf8' });
      expect(help.status, `jetlens ${args.join(' ')} --help: ${help.stderr}`).toBe(0);
    }
  });
});
