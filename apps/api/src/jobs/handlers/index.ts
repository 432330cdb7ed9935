/**
 * The product's handler for each job kind, bound to the services of this process.
 */
import type { Services } from '../../services.js';
import type { JobKind } from '../kinds.js';
import type { JobHandler } from '../queue.js';
import { evaluateHandler } from './evaluate.js';
import { explainHandler } from './explain.js';
import { finetuneHandler } from './finetune.js';
import { imagesHandler } from './images.js';
import { ingestHandler } from './ingest.js';

export type Handlers = { [K in JobKind]: JobHandler<K> };

export function createHandlers(services: Services): Handlers {
  return {
    'dataset.ingest': ingestHandler(services),
    'imageset.build': imagesHandler(services),
    'run.finetune': finetuneHandler(services),
    'run.evaluate': evaluateHandler(services),
    'run.explain': explainHandler(services),
  };
}
