// Classification metrics from predicted and true class indices.

export interface ClassificationMetrics {
  readonly accuracy: number;
  readonly macroF1: number;
}

/**
 * Accuracy, and macro-F1 averaged over the classes that occur in the true or the predicted
 * labels (scikit-learn's f1_score(average='macro'); a class with no true and no predicted
 * example has no F1 and is left out; 0/0 precision or recall counts as 0).
 *
 * @example classificationMetrics([0, 1, 1], [0, 1, 0], 2) // { accuracy: 2/3, macroF1: 2/3 }
 */
export function classificationMetrics(predicted: ArrayLike<number>, actual: ArrayLike<number>, numClasses: number): ClassificationMetrics {
  if (predicted.length !== actual.length || predicted.length === 0) throw new Error('metrics need equally many, and some, predictions and labels');
  const truePositive = new Array<number>(numClasses).fill(0);
  const predictedCount = new Array<number>(numClasses).fill(0);
  const actualCount = new Array<number>(numClasses).fill(0);
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) {
    predictedCount[predicted[i]] += 1;
    actualCount[actual[i]] += 1;
    if (predicted[i] === actual[i]) {
      correct += 1;
      truePositive[actual[i]] += 1;
    }
  }
  const f1Scores: number[] = [];
  for (let label = 0; label < numClasses; label++) {
    if (predictedCount[label] === 0 && actualCount[label] === 0) continue;
    // F1 = 2TP / (2TP + FP + FN) = 2TP / (predicted + actual)
    f1Scores.push((2 * truePositive[label]) / (predictedCount[label] + actualCount[label]));
  }
  return { accuracy: correct / predicted.length, macroF1: f1Scores.reduce((sum, f1) => sum + f1, 0) / f1Scores.length };
}
