import { checkFinite, checkObject, describe } from './checks.js';
import { type BootstrapOptions, bootstrapMean, type Estimate } from './stats/bootstrap.js';

/** One event's value in one run. */
export interface EventValue {
  readonly event: string;
  readonly value: number;
}

export interface PairedDifference {
  /** Per event present in both runs: b - a, in the order of run a. */
  readonly differences: {
    readonly event: string;
    readonly a: number;
    readonly b: number;
    readonly difference: number;
  }[];
  /** Mean of b - a with its bootstrap interval; null when no event is shared. */
  readonly mean: Estimate | null;
  readonly onlyInA: number;
  readonly onlyInB: number;
}

function indexRun(run: readonly EventValue[], name: string): Map<string, number> {
  if (!Array.isArray(run as unknown))
    throw new TypeError(`${name}: expected an array, got ${describe(run)}`);
  const byEvent = new Map<string, number>();
  run.forEach((entry, i) => {
    checkObject(`${name}[${i}]`, entry);
    if (typeof entry.event !== 'string') {
      throw new TypeError(`${name}[${i}].event: expected a string, got ${describe(entry.event)}`);
    }
    checkFinite(`${name}[${i}].value`, entry.value);
    if (byEvent.has(entry.event)) {
      throw new RangeError(
        `${name}[${i}].event: event ${JSON.stringify(entry.event)} appears twice`,
      );
    }
    byEvent.set(entry.event, entry.value);
  });
  return byEvent;
}

/**
 * Differences between two runs on the same events, paired event by event (run b minus run a),
 * which removes the event-to-event spread that unpaired means would carry.
 */
export function pairedDifference(
  a: readonly EventValue[],
  b: readonly EventValue[],
  options?: BootstrapOptions,
): PairedDifference {
  const runA = indexRun(a, 'a');
  const runB = indexRun(b, 'b');

  const differences = [];
  for (const [event, valueA] of runA) {
    const valueB = runB.get(event);
    if (valueB === undefined) continue;
    differences.push({ event, a: valueA, b: valueB, difference: valueB - valueA });
  }
  const shared = differences.length;
  return {
    differences,
    mean:
      shared > 0
        ? bootstrapMean(
            differences.map((d) => d.difference),
            options,
          )
        : null,
    onlyInA: runA.size - shared,
    onlyInB: runB.size - shared,
  };
}
