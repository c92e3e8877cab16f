// The files a run folder holds besides experiment.json, events.jsonl and checkpoints/.

/** The metadata file in a run folder. */
export const RUN_METADATA_FILE = 'run.meta.json';
/** The cached summary in a run folder, rebuilt from events.jsonl when missing or stale. */
export const RUN_SUMMARY_FILE = 'summary.json';
/** Written while a trainer runs the run: its pid. A run with no run-end and no live pid is interrupted. */
export const RUN_PID_FILE = 'trainer.pid';
