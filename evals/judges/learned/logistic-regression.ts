/**
 * Logistic regression, small and deterministic: standardised features, full-batch gradient
 * descent from zero weights, L2, classes weighted to balance. Enough for the offline judges'
 * few hundred labeled rows; same data and settings, same weights, on every machine.
 */

export interface LogisticModel {
  weights: number[];
  bias: number;
  /** Per-feature mean and standard deviation of the training rows. */
  mean: number[];
  std: number[];
}

export interface TrainOptions {
  l2: number;
  epochs: number;
  learningRate: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { l2: 1e-3, epochs: 400, learningRate: 2 };

function standardisation(rows: readonly (readonly number[])[]): { mean: number[]; std: number[] } {
  const d = rows[0]?.length ?? 0;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + (r[j] ?? 0), 0) / rows.length);
  const std = mean.map((m, j) => Math.sqrt(rows.reduce((s, r) => s + ((r[j] ?? 0) - m) ** 2, 0) / rows.length) || 1);
  return { mean, std };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function logit(model: LogisticModel, x: readonly number[]): number {
  let z = model.bias;
  for (let j = 0; j < model.weights.length; j++)
    z += (model.weights[j] ?? 0) * (((x[j] ?? 0) - (model.mean[j] ?? 0)) / (model.std[j] ?? 1));
  return z;
}

/** P(label = 1 | x). */
export function probability(model: LogisticModel, x: readonly number[]): number {
  return sigmoid(logit(model, x));
}

export function trainLogisticRegression(
  rows: readonly (readonly number[])[],
  labels: readonly boolean[],
  options: TrainOptions = DEFAULT_TRAIN_OPTIONS,
): LogisticModel {
  if (rows.length === 0 || rows.length !== labels.length) throw new RangeError("training needs one label per row, and rows");
  const { mean, std } = standardisation(rows);
  const model: LogisticModel = { weights: new Array<number>(mean.length).fill(0), bias: 0, mean, std };
  const positives = labels.filter(Boolean).length;
  const weightOf = (label: boolean) => rows.length / (2 * Math.max(1, label ? positives : rows.length - positives));
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const gradient = new Array<number>(mean.length).fill(0);
    let biasGradient = 0;
    rows.forEach((x, i) => {
      const label = labels[i] ?? false;
      const error = (probability(model, x) - (label ? 1 : 0)) * weightOf(label);
      for (let j = 0; j < mean.length; j++) gradient[j]! += error * (((x[j] ?? 0) - mean[j]!) / std[j]!);
      biasGradient += error;
    });
    for (let j = 0; j < mean.length; j++)
      model.weights[j]! -= options.learningRate * (gradient[j]! / rows.length + options.l2 * model.weights[j]!);
    model.bias -= (options.learningRate * biasGradient) / rows.length;
  }
  return model;
}
