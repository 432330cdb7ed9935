/**
 * The product's handler for each job kind, bound to the services of this process.
 */
import type { Services } from '../../services.js';
import type { JobKind } from '../kinds.js';
import type { JobHandler } from '../queue.js';
import { ingestHandler } from './ingest.js';

export type Handlers = { [K in JobKind]: JobHandler<K> };

export function createHandlers(services: Services): Partial<Handlers> {
  return {
    'dataset.ingest': ingestHandler(services),
  };
}
