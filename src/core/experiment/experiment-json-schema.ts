import { z } from 'zod';
import { Experiment } from './experiment-schema';

/**
 * The experiment file's JSON Schema, generated from the zod schema that validates it, so the
 * editor (VS Code's jsonValidation) and the trainer check the same rules. Keys with defaults
 * are optional, as in files people write.
 */
export function experimentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Experiment, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'Thaw experiment',
    description: 'A multi-task fine-tuning experiment for Thaw: model, tasks, and phases that freeze and thaw parameter groups.',
  };
}
