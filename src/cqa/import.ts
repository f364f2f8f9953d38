/**
 * Reading question archives: SemEval-2016 Task 3 JSON Lines (../shared/data/cqa/README.md),
 * StackExchange `Posts.xml` dumps, and generic JSON Lines. Everything is read and checked first;
 * errors name the file and line.
 */
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { convert } from 'html-to-text';
import sax from 'sax';
import { z } from 'zod';
import { QaError } from '../core/errors.js';
import { validate } from '../core/json.js';
import { textLines } from '../kbqa/rdf-files.js';
import type { AnswerRecord, ThreadRecord } from './archive.js';

export type CqaFormat = 'semeval' | 'stackexchange' | 'jsonl';

export const CQA_FORMATS: readonly CqaFormat[] = ['semeval', 'stackexchange', 'jsonl'];

export function parseCqaFormat(name: string): CqaFormat {
  if ((CQA_FORMATS as readonly string[]).includes(name)) return name as CqaFormat;
  throw new QaError('bad_input', `unknown archive format "${name}"`, {
    where: '--format',
    hint: CQA_FORMATS.join(', '),
  });
}

function* jsonLines(file: string): Generator<[unknown, string]> {
  for (const [line, no] of textLines(file, () => {})) {
    if (line.trim() === '') continue;
    const where = `${file}:${no}`;
    try {
      yield [JSON.parse(line), where];
    } catch (e) {
      throw new QaError('bad_input', `not valid JSON (${(e as Error).message})`, { where, cause: e });
    }
  }
}

const semevalComment = z.object({
  id: z.string().min(1),
  text: z.string(),
  relevance2relq: z.string().optional(),
});
const semevalCandidate = z.object({
  id: z.string().min(1),
  subject: z.string(),
  body: z.string(),
  relevance: z.enum(['PerfectMatch', 'Relevant', 'Irrelevant']),
  ir_rank: z.int(),
  category: z.string().optional(),
  date: z.string().optional(),
  comments: z.array(semevalComment).default([]),
});
export const semevalQuestion = z.object({
  id: z.string().min(1),
  subject: z.string(),
  body: z.string(),
  part: z.string().optional(),
  candidates: z.array(semevalCandidate),
});

export type SemevalQuestion = z.infer<typeof semevalQuestion>;

export function readSemevalQuestions(file: string): SemevalQuestion[] {
  return [...jsonLines(file)].map(([v, where]) => validate(semevalQuestion, v, where));
}

/**
 * SemEval has no votes: the subtask A label of a comment (is it a good answer to its own thread?)
 * stands in for them, Good +1, Bad −1, so the best answer shown is a Good one where there is one.
 */
const LABEL_VOTES: Record<string, number> = { Good: 1, PotentiallyUseful: 0, Bad: -1 };

/** The archive SemEval describes: the related (candidate) threads with their comments. */
export function semevalThreads(questions: readonly SemevalQuestion[]): ThreadRecord[] {
  const seen = new Set<string>();
  const out: ThreadRecord[] = [];
  for (const q of questions) {
    for (const c of q.candidates) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      out.push({
        key: `semeval:${c.id}`,
        subject: c.subject,
        body: c.body,
        tags: c.category ? [c.category] : [],
        created: c.date,
        answers: c.comments.map((m) => ({
          key: `semeval:${m.id}`,
          text: m.text,
          votes: LABEL_VOTES[m.relevance2relq ?? ''] ?? 0,
          accepted: false,
        })),
      });
    }
  }
  return out;
}

const jsonlAnswer = z.object({
  text: z.string().min(1),
  votes: z.int().default(0),
  accepted: z.boolean().default(false),
  created: z.string().optional(),
  author: z.string().optional(),
});
const jsonlThread = z.object({
  id: z.union([z.string().min(1), z.int()]),
  subject: z.string().min(1),
  body: z.string().default(''),
  tags: z.array(z.string()).default([]),
  created: z.string().optional(),
  author: z.string().optional(),
  answers: z.array(jsonlAnswer).default([]),
});

export function readThreadsJsonl(file: string, prefix: string): ThreadRecord[] {
  const out: ThreadRecord[] = [];
  const seen = new Map<string, string>();
  for (const [v, where] of jsonLines(file)) {
    const t = validate(jsonlThread, v, where);
    const id = String(t.id);
    const first = seen.get(id);
    if (first)
      throw new QaError('bad_input', `duplicate id "${id}" (first at ${first})`, { where: `${where}: id` });
    seen.set(id, where);
    if (t.answers.filter((a) => a.accepted).length > 1) {
      throw new QaError('bad_input', 'more than one accepted answer', { where: `${where}: answers` });
    }
    out.push({
      key: `${prefix}:${id}`,
      subject: t.subject,
      body: t.body,
      tags: t.tags,
      created: t.created,
      author: t.author,
      answers: t.answers.map((a, i) => ({ ...a, key: `${prefix}:${id}/${i}` })),
    });
  }
  return out;
}

const HTML_TO_TEXT = {
  wordwrap: false as const,
  selectors: [{ selector: 'a', options: { ignoreHref: true } }],
};

/** `<a><b>` (old dumps) or `|a|b|` (new dumps). */
function parseTags(s: string | undefined): string[] {
  if (!s) return [];
  const m = s.match(/<([^>]+)>/g);
  return m ? m.map((t) => t.slice(1, -1)) : s.split('|').filter(Boolean);
}

/**
 * A StackExchange `Posts.xml`: questions (PostTypeId 1) with their answers (PostTypeId 2),
 * bodies from HTML to text, the accepted answer marked, Score as votes. Streams the file.
 */
export function readStackExchange(file: string, prefix: string): Promise<ThreadRecord[]> {
  return new Promise((resolvePromise, reject) => {
    const parser = sax.createStream(true, { trim: false });
    const questions = new Map<string, ThreadRecord & { acceptedId?: string }>();
    const answers: { parent: string; id: string; rec: AnswerRecord; where: string }[] = [];
    let failed = false;
    const fail = (message: string, field?: string) => {
      if (failed) return;
      failed = true;
      const where = `${file}:${parser._parser.line + 1}${field ? `: ${field}` : ''}`;
      stream.destroy();
      reject(new QaError('bad_input', message, { where }));
    };
    parser.on('opentag', (node) => {
      if (failed || node.name !== 'row') return;
      const a = node.attributes as Record<string, string>;
      const id = a.Id;
      if (!id) return fail('row without an Id', 'Id');
      const body = convert(a.Body ?? '', HTML_TO_TEXT).trim();
      if (a.PostTypeId === '1') {
        if (!a.Title) return fail(`question ${id} has no Title`, 'Title');
        questions.set(id, {
          key: `${prefix}:${id}`,
          subject: a.Title,
          body,
          tags: parseTags(a.Tags),
          created: a.CreationDate,
          author: a.OwnerDisplayName,
          answers: [],
          ...(a.AcceptedAnswerId ? { acceptedId: a.AcceptedAnswerId } : {}),
        });
      } else if (a.PostTypeId === '2') {
        if (!a.ParentId) return fail(`answer ${id} has no ParentId`, 'ParentId');
        const votes = Number(a.Score ?? 0);
        if (!Number.isInteger(votes)) return fail(`answer ${id} has a Score that is not a number`, 'Score');
        answers.push({
          parent: a.ParentId,
          id,
          where: `${file}:${parser._parser.line + 1}`,
          rec: { key: `${prefix}:${id}`, text: body, votes, accepted: false, created: a.CreationDate },
        });
      }
    });
    parser.on('error', (e) => fail(`not well-formed XML (${e.message.split('\n')[0]})`));
    parser.on('end', () => {
      if (failed) return;
      for (const a of answers) {
        const q = questions.get(a.parent);
        if (!q || !a.rec.text) continue;
        q.answers.push({ ...a.rec, accepted: q.acceptedId === a.id });
      }
      resolvePromise(
        [...questions.values()].map(({ acceptedId: _, ...t }) => t).filter((t) => t.subject.trim() !== ''),
      );
    });
    const stream = createReadStream(file);
    stream.on('error', (e) =>
      reject(new QaError('not_found', `cannot read file (${e.message})`, { where: file })),
    );
    stream.pipe(parser);
  });
}

/** `semeval` for JSON Lines whose first record has `candidates`; `stackexchange` for XML. */
export function detectCqaFormat(file: string): CqaFormat {
  if (extname(file).toLowerCase() === '.xml') return 'stackexchange';
  for (const [v] of jsonLines(file)) {
    return typeof v === 'object' && v !== null && 'candidates' in v ? 'semeval' : 'jsonl';
  }
  return 'jsonl';
}

/** `source` names the file in thread keys: the path by default, a stable name for bundled files. */
export async function readArchive(
  file: string,
  format: CqaFormat = detectCqaFormat(file),
  source = file,
): Promise<ThreadRecord[]> {
  const prefix = `${format}:${source}`;
  switch (format) {
    case 'semeval':
      return semevalThreads(readSemevalQuestions(file));
    case 'stackexchange':
      return readStackExchange(file, prefix);
    case 'jsonl':
      return readThreadsJsonl(file, prefix);
  }
}
