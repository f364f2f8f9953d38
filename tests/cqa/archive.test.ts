import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWorkspaceDb } from '../../src/app/workspace.js';
import type { Db } from '../../src/core/database.js';
import { QaError } from '../../src/core/errors.js';
import { Archive, bestAnswer } from '../../src/cqa/archive.js';
import { readArchive, readSemevalQuestions, semevalThreads } from '../../src/cqa/import.js';
import { MATCH_FEATURES, Matcher } from '../../src/cqa/matcher.js';
import { CqaRoute } from '../../src/cqa/route.js';
import { rankByScore, rankingMetrics } from '../../src/eval/semeval.js';
import { fitLogistic, predict } from '../../src/rank/logistic.js';
import { FIXTURES, SHARED } from '../helpers/fixtures.js';

const CQA = join(FIXTURES, 'cqa');
const SEMEVAL_DEV = join(SHARED, 'data/cqa/semeval2016-dev.jsonl');
const dbs: Db[] = [];

function freshArchive(): Archive {
  const db = openWorkspaceDb({ workspace: mkdtempSync(join(tmpdir(), 'qa-cqa-')) });
  dbs.push(db);
  return new Archive(db);
}

afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

describe('importing archives', () => {
  it('reads a StackExchange Posts.xml: questions, answers as text, accepted answer, votes, tags', async () => {
    const threads = await readArchive(join(CQA, 'Posts.xml'));
    expect(threads.map((t) => t.subject)).toEqual([
      'Strikethrough in GitHub Markdown',
      'Laptop battery drains quickly under Linux',
    ]);
    const [md, linux] = threads;
    expect(md?.tags).toEqual(['markdown', 'github']);
    expect(linux?.tags).toEqual(['linux', 'power-management']);
    expect(md?.body).toBe('How do I make text strikethrough in GitHub Markdown?');
    expect(md?.answers.map((a) => [a.text, a.votes, a.accepted])).toEqual([
      ['Use the <del> tag.', 30, false],
      ['Wrap the words in two tildes: ~~like this~~.', 5, true],
    ]);
    expect(linux?.answers[0]?.text).toBe('Install TLP and enable it: docs.');
  });

  it('names the file and line of broken XML', async () => {
    const file = join(CQA, 'broken.xml');
    await expect(readArchive(file)).rejects.toThrow(QaError);
    await expect(readArchive(file)).rejects.toMatchObject({ where: expect.stringMatching(/broken\.xml:4$/) });
  });

  it('reads generic JSON Lines and refuses two accepted answers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-jsonl-'));
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(
      bad,
      '{"id": 1, "subject": "q", "answers": [{"text": "a", "accepted": true}, {"text": "b", "accepted": true}]}\n',
    );
    return Promise.all([
      expect(readArchive(join(CQA, 'threads.jsonl'))).resolves.toHaveLength(2),
      expect(readArchive(bad)).rejects.toMatchObject({ where: `${bad}:1: answers` }),
    ]);
  });

  it('imports SemEval threads idempotently, in one transaction', () => {
    const archive = freshArchive();
    const threads = semevalThreads(readSemevalQuestions(SEMEVAL_DEV));
    expect(threads).toHaveLength(500);
    expect(archive.import('semeval', threads)).toMatchObject({ added: 500, updated: 0, unchanged: 0 });
    expect(archive.import('semeval', threads)).toMatchObject({ added: 0, updated: 0, unchanged: 500 });
    const changed = threads.map((t, i) => (i === 0 ? { ...t, body: `${t.body} (edited)` } : t));
    expect(archive.import('semeval', changed)).toMatchObject({ updated: 1, unchanged: 499 });
    expect(archive.count()).toBe(500);
  });

  it('rolls back a whole import when one record cannot be stored', () => {
    const archive = freshArchive();
    const good = { key: 'k1', subject: 's', body: '', tags: [], answers: [] };
    archive.import('a', [good]);
    expect(() => archive.import('b', [{ ...good, key: 'k2' }, good])).toThrow(/already belongs to source a/);
    expect(archive.count()).toBe(1);
  });
});

describe('the community board', () => {
  it('posts, answers, votes and accepts; the best answer is the accepted one, else the most voted', async () => {
    const archive = freshArchive();
    const t = archive.post({ subject: 'How do I descale a kettle?', body: '', tags: ['home'] });
    const a = archive.answer(t.id, { text: 'Boil vinegar and water.' });
    const b = archive.answer(t.id, { text: 'Use citric acid.' });
    archive.vote(b.id, 1);
    expect(bestAnswer(archive.answersOf(t.id))?.id).toBe(b.id);
    archive.accept(a.id);
    expect(bestAnswer(archive.answersOf(t.id))?.id).toBe(a.id);
    archive.accept(b.id);
    expect(
      archive
        .answersOf(t.id)
        .filter((x) => x.accepted)
        .map((x) => x.id),
    ).toEqual([b.id]);
    expect(() => archive.vote(9999, 1)).toThrow(/no answer 9999/);
    expect(() => archive.answer(9999, { text: 'x' })).toThrow(/no thread 9999/);

    // A posted question is matchable at once (BM25 side; no encoder needed).
    const model = { features: [...MATCH_FEATURES], weights: [0, 1, 1], bias: -1 };
    const route = new CqaRoute(new Matcher(archive, model));
    const { candidates } = await route.answer('descale kettle');
    expect(candidates[0]).toMatchObject({
      text: 'Use citric acid.',
      route: 'cqa',
      evidence: { kind: 'thread', threadId: String(t.id), question: 'How do I descale a kettle?' },
    });
  });
});

describe('SemEval subtask B measures', () => {
  const questions = readSemevalQuestions(SEMEVAL_DEV);
  const relevant = questions.map((q) => q.candidates.map((c) => c.relevance !== 'Irrelevant'));

  it('reproduce the official dev IR baseline (MAP 0.7135, AvgRec 0.8611, MRR 76.67)', () => {
    const ir = questions.map((q, i) =>
      rankByScore(
        relevant[i] ?? [],
        q.candidates.map((c) => -c.ir_rank),
      ),
    );
    const m = rankingMetrics(ir);
    expect(m.map).toBeCloseTo(0.7135, 4);
    expect(m.avg_rec).toBeCloseTo(0.8611, 4);
    expect(100 * m.mrr).toBeCloseTo(76.67, 2);
  });

  it('agree with the reference scorer on an arbitrary ranking with ties', () => {
    const scores = questions.map((q) => q.candidates.map((c) => (c.subject.length * 7) % 5));
    const lines = questions.flatMap((q, i) =>
      q.candidates.map((c, j) => `${q.id}\t${c.id}\t0\t${scores[i]?.[j]}\ttrue`),
    );
    const pred = join(mkdtempSync(join(tmpdir(), 'qa-semeval-')), 'run.tsv');
    writeFileSync(pred, `${lines.join('\n')}\n`);
    const ref = spawnSync(
      'python3',
      [join(SHARED, 'tools/cqa_subtaskb_scorer.py'), SEMEVAL_DEV, '--pred', pred],
      {
        encoding: 'utf8',
      },
    );
    expect(ref.status, ref.stderr).toBe(0);
    const refMap = Number(/MAP=([\d.]+)/.exec(ref.stdout)?.[1]);
    const refMrr = Number(/MRR=([\d.]+)/.exec(ref.stdout)?.[1]);
    const ours = rankingMetrics(questions.map((_, i) => rankByScore(relevant[i] ?? [], scores[i] ?? [])));
    expect(ours.map).toBeCloseTo(refMap, 4);
    expect(100 * ours.mrr).toBeCloseTo(refMrr, 2);
  });
});

describe('logistic regression', () => {
  it('recovers the direction of a separable signal and gives probabilities', () => {
    const xs = Array.from({ length: 200 }, (_, i) => [i / 200, ((i * 37) % 11) / 11]);
    const ys = xs.map(([a]) => ((a ?? 0) + 0.1 * Math.sin(a ?? 0) > 0.5 ? 1 : 0));
    const m = fitLogistic(['a', 'noise'], xs, ys, { l2: 1e-4 });
    expect(m.weights[0]).toBeGreaterThan(10);
    expect(Math.abs(m.weights[1] ?? 0)).toBeLessThan(Math.abs(m.weights[0] ?? 0) / 5);
    expect(predict(m, [0.9, 0])).toBeGreaterThan(0.9);
    expect(predict(m, [0.1, 0])).toBeLessThan(0.1);
  });
});
