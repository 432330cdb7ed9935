import { checkFinite, checkObject, describe } from './checks.js';
import { type BootstrapOptions, bootstrapMean, type Estimate } from './stats/bootstrap.js';
import { type CorrelationMethod, correlation } from './stats/correlation.js';
import { type Histogram, type HistogramOptions, histogram } from './stats/histogram.js';

/** One jet's value (an attention fraction, say) with its true and predicted class. */
export interface JetValue {
  readonly trueClass: string;
  readonly predictedClass: string;
  readonly value: number;
}

export interface GroupSummary {
  readonly n: number;
  /** Mean with bootstrap interval; null for an empty group. */
  readonly mean: Estimate | null;
  readonly histogram: Histogram;
}

export interface ClassOutcomeSummary {
  readonly all: GroupSummary;
  readonly correct: GroupSummary;
  readonly wrong: GroupSummary;
}

export interface AggregateSummary {
  readonly all: ClassOutcomeSummary;
  /** Keyed by true class, in order of first appearance. */
  readonly byClass: Record<string, ClassOutcomeSummary>;
}

export interface AggregateOptions {
  /** Fixed range so that groups compare bin by bin; [0, 1] in 20 bins unless told. */
  readonly histogram?: HistogramOptions;
  readonly bootstrap?: BootstrapOptions;
}

function summarise(values: number[], options: Required<AggregateOptions>): GroupSummary {
  return {
    n: values.length,
    mean: values.length > 0 ? bootstrapMean(values, options.bootstrap) : null,
    histogram: histogram(values, options.histogram),
  };
}

function byOutcome(
  jets: readonly JetValue[],
  options: Required<AggregateOptions>,
): ClassOutcomeSummary {
  const correct = jets.filter((jet) => jet.predictedClass === jet.trueClass);
  const wrong = jets.filter((jet) => jet.predictedClass !== jet.trueClass);
  return {
    all: summarise(
      jets.map((jet) => jet.value),
      options,
    ),
    correct: summarise(
      correct.map((jet) => jet.value),
      options,
    ),
    wrong: summarise(
      wrong.map((jet) => jet.value),
      options,
    ),
  };
}

/** Distributions and means (with bootstrap intervals) by class and by correct/wrong. */
export function aggregateByClass(
  jets: readonly JetValue[],
  options?: AggregateOptions,
): AggregateSummary {
  if (!Array.isArray(jets as unknown))
    throw new TypeError(`jets: expected an array, got ${describe(jets)}`);
  jets.forEach((jet, i) => {
    checkObject(`jets[${i}]`, jet);
    if (typeof jet.trueClass !== 'string' || typeof jet.predictedClass !== 'string') {
      throw new TypeError(`jets[${i}]: expected string trueClass and predictedClass`);
    }
    checkFinite(`jets[${i}].value`, jet.value);
  });
  const resolved = {
    histogram: options?.histogram ?? { bins: 20, min: 0, max: 1 },
    bootstrap: options?.bootstrap ?? {},
  };

  const classes = [...new Set(jets.map((jet) => jet.trueClass))];
  const byClass: Record<string, ClassOutcomeSummary> = {};
  for (const name of classes) {
    byClass[name] = byOutcome(
      jets.filter((jet) => jet.trueClass === name),
      resolved,
    );
  }
  return { all: byOutcome(jets, resolved), byClass };
}

/** Jet substructure per jet, aligned with the values; NaN where undefined. */
export interface Substructure {
  readonly softDropMass?: ArrayLike<number>;
  readonly tau21?: ArrayLike<number>;
  readonly tau32?: ArrayLike<number>;
}

export type SubstructureCorrelations = Partial<
  Record<keyof Substructure, Record<CorrelationMethod, ReturnType<typeof correlation>>>
>;

/** Pearson and Spearman correlations (bootstrap intervals) of ROI attention with substructure. */
export function correlateWithSubstructure(
  values: ArrayLike<number>,
  substructure: Substructure,
  options?: BootstrapOptions,
): SubstructureCorrelations {
  checkObject('substructure', substructure);
  const out: SubstructureCorrelations = {};
  for (const name of ['softDropMass', 'tau21', 'tau32'] as const) {
    const observable = substructure[name];
    if (observable === undefined) continue;
    if (observable.length !== values.length) {
      throw new RangeError(
        `substructure.${name}: expected ${values.length} values, got ${observable.length}`,
      );
    }
    out[name] = {
      pearson: correlation(values, observable, 'pearson', options),
      spearman: correlation(values, observable, 'spearman', options),
    };
  }
  return out;
}
