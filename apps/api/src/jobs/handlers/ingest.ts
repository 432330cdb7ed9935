/**
 * dataset.ingest: reads every jet of every file (the reader checks the tree, the branches, the
 * labels against the file's process, and the values), then records the files and their jet
 * counts in one transaction. A file that cannot be read fails the job at once with the
 * reader's error and marks the dataset FAILED; nothing of it is stored.
 */
import { readJets } from '@jetlens/core';
import { absolutePath, sha256OfFile } from '../../datasets/files.js';
import { describeError } from '../../log.js';
import type { Services } from '../../services.js';
import {
  completeIngest,
  getDataset,
  type IngestedFile,
  markDatasetFailed,
  markDatasetIngesting,
} from '../../store/datasets.js';
import { type JobHandler, PermanentJobError } from '../queue.js';

const CHUNK = 2000;

export function ingestHandler(services: Services): JobHandler<'dataset.ingest'> {
  return async ({ datasetId, files }, context) => {
    const dataset = await getDataset(services.pool, datasetId);
    if (!dataset) throw new PermanentJobError(`dataset ${datasetId} does not exist`);
    await markDatasetIngesting(services.pool, datasetId);

    try {
      const totalBytes = files.reduce((sum, file) => sum + file.sizeBytes, 0);
      let doneBytes = 0;
      const ingested: IngestedFile[] = [];
      for (const file of files) {
        const path = absolutePath(file.path);
        const sha256 = await sha256OfFile(path).catch((error: unknown) => {
          throw new PermanentJobError(`${file.path}: cannot be read: ${describeError(error)}`);
        });
        if (sha256 !== file.sha256) {
          throw new PermanentJobError(
            `${file.path}: content changed since it was registered (sha256 ${sha256.slice(0, 12)}, ` +
              `registered ${file.sha256.slice(0, 12)}); register the dataset again`,
          );
        }

        let entries = 0;
        try {
          for await (const chunk of readJets(path, { chunkSize: CHUNK })) {
            entries += chunk.entries;
            if (context.signal.aborted) throw new Error('ingestion cancelled');
          }
        } catch (error) {
          if (context.signal.aborted) throw error;
          // The reader's message names the file, tree, branch and entry: pass it on unchanged.
          throw new PermanentJobError(describeError(error), { cause: error });
        }
        ingested.push({ ...file, entries });
        doneBytes += file.sizeBytes;
        context.log.info(`${file.path}: ${entries} jets of ${file.processName}`);
        await context.progress(totalBytes === 0 ? 1 : doneBytes / totalBytes);
      }

      await completeIngest(services.pool, datasetId, ingested);
      const jets = ingested.reduce((sum, file) => sum + file.entries, 0);
      context.log.info(`dataset "${dataset.name}" ready: ${jets} jets in ${files.length} files`);
    } catch (error) {
      if (error instanceof PermanentJobError || context.lastAttempt || context.signal.aborted) {
        await markDatasetFailed(services.pool, datasetId, describeError(error));
      }
      throw error;
    }
  };
}
