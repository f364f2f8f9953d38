/** A conversation's earlier turns as clients send them: the API's `history` and `qa ask --history`. */
import { z } from 'zod';
import { readJsonFile, validate } from '../core/json.js';
import type { DialogueTurn } from '../core/types.js';
import { MAX_HISTORY } from './followup.js';

export const dialogueTurnSchema = z.strictObject({
  question: z.string().min(1).max(1000),
  answer: z
    .string()
    .max(10_000)
    .nullable()
    .optional()
    .describe('The top answer shown for that turn; null when the system abstained'),
  resolved: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe('The `resolved` question the server returned for that turn (echo it back)'),
});

export const historySchema = z
  .array(dialogueTurnSchema)
  .max(MAX_HISTORY, `at most ${MAX_HISTORY} earlier turns; send the most recent ones`);

/** A JSON file holding an array of turns, oldest first; errors name the file and the turn. */
export function readHistory(file: string): DialogueTurn[] {
  return validate(historySchema, readJsonFile(file), file) as DialogueTurn[];
}
