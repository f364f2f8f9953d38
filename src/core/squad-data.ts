/** Loading SQuAD data and prediction files, with errors that name the file and the place. */
import { z } from 'zod';
import { QaError } from './errors.js';
import { readJsonFile, validate } from './json.js';

const answer = z.object({ text: z.string(), answer_start: z.int() });
const qa = z.object({
  id: z.string().min(1),
  question: z.string(),
  answers: z.array(answer),
  is_impossible: z.boolean().optional(),
});
const paragraph = z.object({ context: z.string(), qas: z.array(qa) });
const article = z.object({ title: z.string(), paragraphs: z.array(paragraph) });
const dataset = z.object({ version: z.string().optional(), data: z.array(article) });

export type SquadDataset = z.infer<typeof dataset>;
export type SquadVersion = '1.1' | '2.0';

export interface SquadQuestion {
  id: string;
  question: string;
  context: string;
  title: string;
  /** Gold answer texts as in the file (may hold duplicates). */
  answers: string[];
  isImpossible: boolean;
}

export interface LoadedSquad {
  file: string;
  version: SquadVersion;
  questions: SquadQuestion[];
}

/** v2.0 when the file says so or any question carries `is_impossible`. */
export function detectVersion(ds: SquadDataset): SquadVersion {
  if (ds.version?.replace(/^v/, '').startsWith('2')) return '2.0';
  const anyImpossible = ds.data.some((a) =>
    a.paragraphs.some((p) => p.qas.some((q) => q.is_impossible !== undefined)),
  );
  return anyImpossible ? '2.0' : '1.1';
}

export function loadSquad(file: string): LoadedSquad {
  const ds = validate(dataset, readJsonFile(file), file);
  const version = detectVersion(ds);
  const questions: SquadQuestion[] = [];
  const seen = new Map<string, string>();
  ds.data.forEach((art, ai) => {
    art.paragraphs.forEach((para, pi) => {
      para.qas.forEach((q, qi) => {
        const where = `data[${ai}].paragraphs[${pi}].qas[${qi}]`;
        const first = seen.get(q.id);
        if (first) {
          throw new QaError('bad_input', `duplicate question id "${q.id}" (first at ${first})`, {
            where: `${file}: ${where}.id`,
          });
        }
        seen.set(q.id, where);
        const impossible = q.is_impossible ?? false;
        if (!impossible && q.answers.length === 0 && version === '1.1') {
          throw new QaError('bad_input', 'question has no answers', { where: `${file}: ${where}.answers` });
        }
        questions.push({
          id: q.id,
          question: q.question,
          context: para.context,
          title: art.title,
          answers: q.answers.map((a) => a.text),
          isImpossible: impossible,
        });
      });
    });
  });
  return { file, version, questions };
}

const predictions = z.record(z.string(), z.string());
const numbers = z.record(z.string(), z.number());

export interface IdCheck {
  /** Questions of the data with no entry in the file (scored as wrong, as the official v1.1 script does). */
  missing: number;
  /** Entries for ids the data does not have (ignored, as the official scripts do). */
  unknown: number;
}

/** `{ id: answer text }`; "" means no answer. */
export function loadPredictions(
  file: string,
  data: LoadedSquad,
): { predictions: Record<string, string> } & IdCheck {
  const preds = validate(predictions, readJsonFile(file, { uniqueKeys: true }), file);
  return { predictions: preds, ...checkIds(file, Object.keys(preds), data) };
}

/** `{ id: no-answer score }`, higher meaning "more likely unanswerable". */
export function loadNullOdds(file: string, data: LoadedSquad): Record<string, number> {
  const odds = validate(numbers, readJsonFile(file, { uniqueKeys: true }), file);
  checkIds(file, Object.keys(odds), data);
  return odds;
}

/** A file none of whose ids are in the data was made for another data set: that is an error. */
function checkIds(file: string, ids: string[], data: LoadedSquad): IdCheck {
  const known = new Set(data.questions.map((q) => q.id));
  const unknown = ids.filter((id) => !known.has(id)).length;
  if (data.questions.length > 0 && ids.length > 0 && unknown === ids.length) {
    throw new QaError('bad_input', `none of its ${ids.length} ids is a question of ${data.file}`, {
      where: file,
      hint: 'predictions made for another data file?',
    });
  }
  const given = new Set(ids);
  return { missing: data.questions.filter((q) => !given.has(q.id)).length, unknown };
}
