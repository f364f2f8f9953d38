/**
 * Dialogue sets (`qa eval dialogues`): conversations about the workspace's data, each turn judged
 * like a demo question (acceptable answers, a passage, a thread, or an abstention) and asked with
 * the earlier turns and the system's own earlier answers as its history. First turns and follow-ups
 * are reported apart: a follow-up is right only if the conversation was understood.
 */
import { z } from 'zod';
import { readJsonFile, validate } from '../core/json.js';
import type { Answer, DialogueTurn } from '../core/types.js';
import { type DemoOutcome, type DemoQuestion, demoQuestion, judge } from './demo.js';

const text = z.string().trim().min(1);

const dialogue = z
  .object({
    id: text,
    split: z.enum(['tune', 'held-out']).optional(),
    turns: z.array(z.looseObject({})).min(1),
  })
  .strict();

export const dialogueFileSchema = z
  .object({ about: z.string().optional(), dialogues: z.array(dialogue).min(1) })
  .strict()
  .transform((f, ctx) => ({
    dialogues: f.dialogues.map((d, i) => ({
      id: d.id,
      ...(d.split ? { split: d.split } : {}),
      turns: d.turns.map((t, j): DemoQuestion => {
        // A turn is a demo question without an id: it gets its dialogue's, numbered.
        const parsed = demoQuestion.safeParse({
          ...t,
          id: `${d.id}#${j + 1}`,
          ...(d.split ? { split: d.split } : {}),
        });
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            ctx.addIssue({
              code: 'custom',
              path: ['dialogues', i, 'turns', j, ...issue.path],
              message: issue.message,
            });
          }
          return { id: `${d.id}#${j + 1}`, route: 'none', question: '?', unanswerable: true };
        }
        return parsed.data;
      }),
    })),
  }));

export type Dialogue = z.output<typeof dialogueFileSchema>['dialogues'][number];

export function readDialogues(file: string): Dialogue[] {
  return validate(dialogueFileSchema, readJsonFile(file), file).dialogues;
}

export interface TurnOutcome extends DemoOutcome {
  dialogue: string;
  turn: number;
  /** The standalone question the system answered. */
  resolved?: string;
}

/** Asks a dialogue turn by turn, each with the history of the earlier turns as the system answered them. */
export async function runDialogue(
  d: Dialogue,
  ask: (question: string, history: DialogueTurn[]) => Promise<Answer>,
): Promise<TurnOutcome[]> {
  const history: DialogueTurn[] = [];
  const out: TurnOutcome[] = [];
  for (const [i, q] of d.turns.entries()) {
    const a = await ask(q.question, [...history]);
    out.push({
      ...judge(q, a),
      dialogue: d.id,
      turn: i + 1,
      ...(a.resolved ? { resolved: a.resolved } : {}),
    });
    const top = a.abstained ? undefined : a.answers[0];
    history.push({
      question: q.question,
      answer: top?.text ?? null,
      ...(a.resolved ? { resolved: a.resolved } : {}),
    });
  }
  return out;
}

export interface DialogueMetrics {
  dialogues: number;
  first: { total: number; correct: number; accuracy: number };
  followUps: { total: number; correct: number; accuracy: number };
}

export function summariseDialogues(outcomes: readonly TurnOutcome[]): DialogueMetrics {
  const part = (of: readonly TurnOutcome[]) => {
    const correct = of.filter((o) => o.correct).length;
    return { total: of.length, correct, accuracy: of.length ? correct / of.length : 0 };
  };
  return {
    dialogues: new Set(outcomes.map((o) => o.dialogue)).size,
    first: part(outcomes.filter((o) => o.turn === 1)),
    followUps: part(outcomes.filter((o) => o.turn > 1)),
  };
}
