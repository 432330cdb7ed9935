import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/database.js';
import { openFreshDatabase, testHome } from './helpers.js';

describe('openDatabase on the embedded server, migrated', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openFreshDatabase('store', { migrate: true });
  });

  afterAll(async () => {
    await db.close();
  });

  it('writes a user, a collaboration and a dataset and reads them back', async () => {
    const user = await db.prisma.user.create({
      data: { email: 'ada@example.org', name: 'Ada', passwordHash: null },
    });
    const collaboration = await db.prisma.collaboration.create({
      data: {
        slug: 'jetclass-xai',
        name: 'JetClass XAI',
        memberships: { create: { userId: user.id, role: 'OWNER' } },
      },
    });
    await db.prisma.dataset.create({
      data: {
        collaborationId: collaboration.id,
        ownerId: user.id,
        name: 'ttbar-vs-qcd',
        processes: ['TTBar', 'ZJetsToNuNu'],
        jetCount: 2000,
        jetCounts: { TTBar: 1000, ZJetsToNuNu: 1000 },
      },
    });

    const found = await db.prisma.collaboration.findUniqueOrThrow({
      where: { slug: 'jetclass-xai' },
      include: { memberships: { include: { user: true } }, datasets: true },
    });
    expect(db.embedded).toBe(true);
    expect(found.memberships.map((m) => [m.user.email, m.role])).toEqual([
      ['ada@example.org', 'OWNER'],
    ]);
    expect(found.datasets).toHaveLength(1);
    expect(found.datasets[0]).toMatchObject({
      name: 'ttbar-vs-qcd',
      status: 'PENDING',
      processes: ['TTBar', 'ZJetsToNuNu'],
      jetCount: 2000,
      jetCounts: { TTBar: 1000, ZJetsToNuNu: 1000 },
      ownerId: user.id,
    });
  });

  it('keeps sha256 unique per collaboration', async () => {
    const owner = await db.prisma.user.create({ data: { email: 'bo@example.org', name: 'Bo' } });
    const collaboration = await db.prisma.collaboration.create({
      data: { slug: 'sha', name: 'Sha' },
    });
    const dataset = await db.prisma.dataset.create({
      data: { collaborationId: collaboration.id, ownerId: owner.id, name: 'hbb-vs-hcc' },
    });
    const file = {
      datasetId: dataset.id,
      collaborationId: collaboration.id,
      path: 'HToBB_000.root',
      sha256: 'ab'.repeat(32),
      sizeBytes: 123_456_789n,
      processName: 'HToBB',
      entries: 100_000,
      compression: 'lz4',
    };

    await db.prisma.datasetFile.create({ data: file });

    await expect(
      db.prisma.datasetFile.create({ data: { ...file, path: 'copy.root' } }),
    ).rejects.toThrow(/Unique constraint failed/);
  });

  it('stores predictions, attention maps and ROIs, and enforces their invariants', async () => {
    const owner = await db.prisma.user.create({ data: { email: 'cy@example.org', name: 'Cy' } });
    const collaboration = await db.prisma.collaboration.create({
      data: { slug: 'res', name: 'Res' },
    });
    const collaborationId = collaboration.id;
    const dataset = await db.prisma.dataset.create({
      data: { collaborationId, ownerId: owner.id, name: 'sample' },
    });
    const datasetFile = await db.prisma.datasetFile.create({
      data: {
        datasetId: dataset.id,
        collaborationId,
        path: 'TTBar_000.root',
        sha256: 'cd'.repeat(32),
        sizeBytes: 10n,
        processName: 'TTBar',
        entries: 10,
      },
    });
    const run = await db.prisma.run.create({
      data: {
        collaborationId,
        ownerId: owner.id,
        kind: 'EVALUATE',
        config: { task: 'ttbar-vs-qcd' },
        configHash: 'h1',
        codeVersion: 'test',
        seed: 7,
        datasetId: dataset.id,
      },
    });
    const event = { collaborationId, runId: run.id, datasetFileId: datasetFile.id };

    await db.prisma.prediction.create({
      data: {
        ...event,
        entry: 3,
        label: 1,
        predictedClass: 1,
        correct: true,
        probabilities: [0.1, 0.9],
        split: 'TEST',
      },
    });
    const map = await db.prisma.attentionMap.create({
      data: {
        ...event,
        entry: 3,
        kind: 'rollout',
        optionsHash: 'o1',
        gridRows: 2,
        gridCols: 2,
        data: new Uint8Array(8),
      },
    });
    await db.prisma.roiAnnotation.create({
      data: {
        ...event,
        entry: 3,
        attentionMapId: map.id,
        prongIndex: 0,
        centreDeta: 0.1,
        centreDphi: -0.2,
        radius: 0.2,
        attentionFraction: 0.6,
        meanAttention: 0.3,
        areaFraction: 0.25,
        enrichment: 2.4,
      },
    });

    const wrong = await db.prisma.prediction.findMany({
      where: { runId: run.id, label: 1, correct: false },
    });
    expect(wrong).toEqual([]);
    const stored = await db.prisma.prediction.findUniqueOrThrow({
      where: {
        runId_datasetFileId_entry: { runId: run.id, datasetFileId: datasetFile.id, entry: 3 },
      },
    });
    expect(stored.probabilities).toEqual([0.1, 0.9]);

    // The CHECK constraints of the init migration.
    await expect(
      db.prisma.prediction.create({
        data: {
          ...event,
          entry: 4,
          label: 0,
          predictedClass: 1,
          correct: true,
          probabilities: [],
          split: 'TEST',
        },
      }),
    ).rejects.toThrow(/predictions_correct_check/);
    await expect(
      db.prisma.attentionMap.create({
        data: {
          ...event,
          entry: 4,
          kind: 'rollout',
          optionsHash: 'o1',
          gridRows: 2,
          gridCols: 2,
          data: new Uint8Array(6),
        },
      }),
    ).rejects.toThrow(/attention_maps_grid_check/);

    // A dataset that runs used cannot be deleted; the collaboration takes everything with it.
    await expect(db.prisma.dataset.delete({ where: { id: dataset.id } })).rejects.toThrow();
    await db.prisma.collaboration.delete({ where: { id: collaborationId } });
    expect(await db.prisma.prediction.count({ where: { collaborationId } })).toBe(0);
    expect(await db.prisma.roiAnnotation.count({ where: { collaborationId } })).toBe(0);
    expect(await db.prisma.datasetFile.count({ where: { collaborationId } })).toBe(0);
  });
});

describe('openDatabase: BAD CALLS', () => {
  it('rejects options that are not an object', async () => {
    await expect(openDatabase('postgres://x' as never)).rejects.toThrow(TypeError);
  });

  it('rejects a url of the wrong kind or form', async () => {
    await expect(openDatabase({ url: 5432 as never })).rejects.toThrow(
      /options.url must be a string, got number/,
    );
    await expect(openDatabase({ url: 'mysql://localhost/x' })).rejects.toThrow(RangeError);
  });

  it('rejects a database name PostgreSQL would need quoting for', async () => {
    await expect(openDatabase({ home: testHome(), database: 'Runs; DROP' })).rejects.toThrow(
      /options.database must match .* got "Runs; DROP"/,
    );
    await expect(openDatabase({ home: testHome(), database: 7 as never })).rejects.toThrow(
      TypeError,
    );
  });

  it('rejects a port outside 1..65535', async () => {
    await expect(openDatabase({ home: testHome(), port: 70_000 })).rejects.toThrow(
      /options.port must be an integer in 1..65535, got 70000/,
    );
  });
});
