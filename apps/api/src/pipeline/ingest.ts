/**
 * Bringing a dataset in: fingerprint the files, register (or find) the dataset, queue its
 * ingestion when it is new.
 */
import { basename, resolve } from 'node:path';
import type { Owner } from '../cli/identity.js';
import { findDataFiles } from '../datasets/files.js';
import type { Services } from '../services.js';
import { type DatasetRow, registerDataset } from '../store/datasets.js';

export interface IngestRequest {
  paths: string[];
  /** Dataset name; the first path's folder name when not given. */
  name?: string;
  /** Keep only these JetClass processes. */
  processes?: string[];
}

export interface IngestPlan {
  dataset: DatasetRow;
  /** The ingestion job, or undefined when the same files were ingested before. */
  jobId?: string;
}

export async function planIngest(
  services: Services,
  owner: Owner,
  request: IngestRequest,
): Promise<IngestPlan> {
  const files = await findDataFiles(request.paths, request.processes);
  const name = request.name ?? basename(resolve(request.paths[0] ?? '.'));
  const registration = await registerDataset(
    services.pool,
    { collaborationId: owner.collaboration.id, userId: owner.user.id },
    name,
    files,
  );
  if (registration.reused && registration.dataset.status === 'READY') {
    services.log.info(
      `dataset "${registration.dataset.name}" already holds these ${files.length} files ` +
        `(it has ${registration.dataset.jetCount} jets in all); not ingesting again`,
    );
    return { dataset: registration.dataset };
  }

  const queue = await services.queue();
  const jobId = await queue.enqueue(
    'dataset.ingest',
    { datasetId: registration.dataset.id, files },
    { collaborationId: owner.collaboration.id },
  );
  services.log.info(
    `dataset "${name}": ${files.length} files registered, ingestion queued (job ${jobId})`,
  );
  return { dataset: registration.dataset, jobId };
}
