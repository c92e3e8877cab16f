/** The commented experiment "Thaw: New Experiment" writes, for a model folder and data the user fills in. */
export const STARTER_EXPERIMENT = `{
  // A Thaw experiment: one sentence encoder shared by two task heads.
  // Every key is checked against Thaw's JSON Schema as you type; hover a key for its meaning.
  "name": "my-experiment",
  // A model folder (config.json, model.safetensors, tokenizer.json) or a Hugging Face hub id.
  "model": "sentence-transformers/paraphrase-MiniLM-L6-v2",
  "tasks": {
    // Task A: sentence classification. CSV with a header row, or JSONL.
    "a": { "name": "question type", "train": "data/a-train.csv", "validation": "data/a-validation.csv" },
    // Task B: sentiment.
    "b": { "name": "sentiment", "train": "data/b-train.csv", "validation": "data/b-validation.csv" }
  },
  "batchSize": 16,
  "seed": 42,
  // The transfer-learning recipe: warm up the heads on a frozen encoder, then fine-tune it.
  "phases": [
    { "name": "warm-up", "epochs": 3, "frozen": ["encoder"], "lr": { "heads": 1e-2 } },
    { "name": "fine-tune", "epochs": 2, "frozen": [], "lr": { "encoder": 2e-5, "heads": 1e-3 } }
  ],
  "output": "runs"
}
`;
