/**
 * The kinds of background work JetLens does, each with the payload its job carries. Payloads
 * hold ids only: a job reads what it needs from the store, so a retried job sees the current
 * state rather than a stale copy.
 */

/** A file to ingest, as registered: where it is and what its content was. */
export interface IngestFile {
  path: string;
  sha256: string;
  sizeBytes: number;
  processName: string;
}

export interface JobPayloads {
  /** Read every file of a registered dataset, check it, and record its jets per process. */
  'dataset.ingest': { datasetId: string; files: IngestFile[] };
  /** Make the jet images of an image set (one image per `jetsPerImage` jets). */
  'imageset.build': { imageSetId: string };
  /** Fine-tune a backbone on a run's few-shot training sample. */
  'run.finetune': { runId: string };
  /** Predict every event of one shard of an evaluation run. */
  'run.evaluate': { runId: string; shardIndex: number };
  /** Attention maps, ROIs and attention fractions for one shard of an explain run. */
  'run.explain': { runId: string; shardIndex: number };
}

export type JobKind = keyof JobPayloads;

export const JOB_KINDS: readonly JobKind[] = [
  'dataset.ingest',
  'imageset.build',
  'run.finetune',
  'run.evaluate',
  'run.explain',
];

/** Kinds whose jobs each take one shard of a run. */
export const SHARD_KINDS = ['run.evaluate', 'run.explain'] as const satisfies readonly JobKind[];

export function isJobKind(value: string): value is JobKind {
  return (JOB_KINDS as readonly string[]).includes(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function field(data: Record<string, unknown>, kind: JobKind, name: string): unknown {
  if (!(name in data)) throw new TypeError(`${kind} job: payload field "${name}" is missing`);
  return data[name];
}

function uuidField(data: Record<string, unknown>, kind: JobKind, name: string): string {
  const value = field(data, kind, name);
  if (typeof value !== 'string') {
    throw new TypeError(`${kind} job: "${name}" must be a string, got ${typeof value}`);
  }
  if (!UUID.test(value))
    throw new RangeError(`${kind} job: "${name}" must be a UUID, got "${value}"`);
  return value;
}

function ingestFiles(data: Record<string, unknown>, kind: JobKind): IngestFile[] {
  const value = field(data, kind, 'files');
  if (!Array.isArray(value)) {
    throw new TypeError(`${kind} job: "files" must be an array, got ${typeof value}`);
  }
  if (value.length === 0) throw new RangeError(`${kind} job: "files" must not be empty`);
  return value.map((file: unknown, i) => {
    const entry = file as Record<string, unknown>;
    const ok =
      typeof entry === 'object' &&
      entry !== null &&
      typeof entry.path === 'string' &&
      typeof entry.sha256 === 'string' &&
      typeof entry.sizeBytes === 'number' &&
      typeof entry.processName === 'string';
    if (!ok) {
      throw new TypeError(
        `${kind} job: files[${i}] must be {path, sha256, sizeBytes, processName}, ` +
          `got ${JSON.stringify(file)}`,
      );
    }
    return {
      path: entry.path as string,
      sha256: entry.sha256 as string,
      sizeBytes: entry.sizeBytes as number,
      processName: entry.processName as string,
    };
  });
}

function shardField(data: Record<string, unknown>, kind: JobKind): number {
  const value = field(data, kind, 'shardIndex');
  if (typeof value !== 'number') {
    throw new TypeError(`${kind} job: "shardIndex" must be a number, got ${typeof value}`);
  }
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${kind} job: "shardIndex" must be an integer >= 0, got ${value}`);
  }
  return value;
}

/** Checks a payload read back from the queue (JSON from the database) against its kind. */
export function parsePayload<K extends JobKind>(kind: K, data: unknown): JobPayloads[K] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TypeError(`${kind} job: payload must be an object, got ${JSON.stringify(data)}`);
  }
  const record = data as Record<string, unknown>;
  switch (kind) {
    case 'dataset.ingest':
      return {
        datasetId: uuidField(record, kind, 'datasetId'),
        files: ingestFiles(record, kind),
      } as JobPayloads[K];
    case 'imageset.build':
      return { imageSetId: uuidField(record, kind, 'imageSetId') } as JobPayloads[K];
    case 'run.finetune':
      return { runId: uuidField(record, kind, 'runId') } as JobPayloads[K];
    case 'run.evaluate':
    case 'run.explain':
      return {
        runId: uuidField(record, kind, 'runId'),
        shardIndex: shardField(record, kind),
      } as JobPayloads[K];
    default:
      throw new RangeError(`unknown job kind "${String(kind)}"; expected one of ${JOB_KINDS}`);
  }
}
