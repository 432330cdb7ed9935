/**
 * imageset.build: makes the images of an image set from its dataset's files (with the prong
 * centroids of every jet) and caches them on this host; records how many there are.
 */
import { buildImages, writeImageCache } from '../../images/cache.js';
import { describeError } from '../../log.js';
import type { Services } from '../../services.js';
import { datasetFiles, getDataset } from '../../store/datasets.js';
import { getImageSet, setImageSetStatus } from '../../store/image-sets.js';
import { type JobHandler, PermanentJobError } from '../queue.js';

export function imagesHandler(services: Services): JobHandler<'imageset.build'> {
  const { pool } = services;
  return async ({ imageSetId }, context) => {
    const set = await getImageSet(pool, imageSetId);
    const dataset = await getDataset(pool, set.datasetId);
    if (dataset?.status !== 'READY') {
      throw new PermanentJobError(
        `image set ${imageSetId}: dataset ${set.datasetId} is ${dataset?.status ?? 'missing'}, not READY`,
      );
    }
    await setImageSetStatus(pool, imageSetId, 'BUILDING');

    try {
      const files = await datasetFiles(pool, set.datasetId);
      const built = await buildImages(set.options, files, (done, total) =>
        context.progress(done / total),
      );
      writeImageCache(services.home, imageSetId, built);
      await setImageSetStatus(pool, imageSetId, 'READY', { count: built.index.events.length });
      const [n, c, h, w] = built.index.shape;
      context.log.info(`${n} images of ${c}x${h}x${w} from ${files.length} files`);
    } catch (error) {
      const final = error instanceof PermanentJobError || context.lastAttempt;
      if (final)
        await setImageSetStatus(pool, imageSetId, 'FAILED', { error: describeError(error) });
      throw error;
    }
  };
}
