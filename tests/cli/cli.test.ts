import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkspaceDb } from '../../src/app/workspace.js';
import type { Answer } from '../../src/core/types.js';
import { FeedbackStore } from '../../src/feedback/store.js';
import { qa } from '../helpers/cli.js';
import { FIXTURE_MODELS, FIXTURES, SHARED } from '../helpers/fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DEV11 = join(SHARED, 'data/squad/dev-v1.1.public.json');
const DEV20 = join(SHARED, 'data/squad/dev-v2.0.public.json');
// The fixture models, and the tiny reader by name (the repository's qa.config.json names a real one).
const tiny = ['--models-dir', FIXTURE_MODELS, '--reader', 'tiny-reader'];

describe('qa models list', () => {
  it('--json prints a JSON array of the manifests', () => {
    const r = qa(['models', 'list', '--json', ...tiny]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ name: string; task: string }>;
    expect(list).toEqual([
      expect.objectContaining({ name: 'tiny-reader', task: 'reader', licence: expect.any(String) }),
    ]);
  });
});

describe('qa eval squad', () => {
  it('--predictions --json prints one object with the official v2.0 fields and nothing else', () => {
    const pred = join(SHARED, 'data/squad/predictions/v2.0/bert-single-google.json');
    const r = qa(['eval', 'squad', DEV20, '--predictions', pred, '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const m = JSON.parse(r.stdout) as Record<string, number>;
    expect(m.exact).toBeCloseTo(77.86, 2);
    expect(m.f1).toBeCloseTo(81.12, 2);
    expect(m).toMatchObject({ total: 5303, HasAns_total: 2656, NoAns_total: 2647 });
  });

  it('runs a reader and writes predictions, n-best, null odds, metrics and an HTML report', () => {
    const out = mkdtempSync(join(tmpdir(), 'qa-eval-'));
    const r = qa(['eval', 'squad', DEV20, ...tiny, '--limit', '30', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as Record<string, number | string>;
    expect(m).toMatchObject({ total: 30, reader: 'tiny-reader' });
    for (const k of [
      'exact',
      'f1',
      'HasAns_f1',
      'NoAns_f1',
      'best_f1',
      'best_f1_thresh',
      'questions_per_second',
    ]) {
      expect(typeof m[k]).toBe('number');
    }
    for (const f of [
      'predictions.json',
      'nbest_predictions.json',
      'null_odds.json',
      'metrics.json',
      'report.html',
    ]) {
      expect(existsSync(join(out, f))).toBe(true);
    }
    expect(Object.keys(JSON.parse(readFileSync(join(out, 'predictions.json'), 'utf8')))).toHaveLength(30);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Per article');
    expect(html).toContain('<svg');
    expect(html).toContain('Slowest questions');
  });

  it('scores a v1.1 reader run by answering every question', () => {
    const r = qa(['eval', 'squad', DEV11, ...tiny, '--limit', '10', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ total: 10, reader: 'tiny-reader' });
  });

  it('ends malformed input with exit code 2 and the file and place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-bad-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"data": [\n  {"title": "x",}\n]}');
    const r = qa(['eval', 'squad', bad, '--predictions', bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`error: ${bad}:2:17: not valid JSON`));
  });

  it('rejects an unknown reader by name with exit code 2', () => {
    const r = qa(['eval', 'squad', DEV11, ...tiny, '--reader', 'nope', '--limit', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no model named "nope".*known: tiny-reader/);
  });
});

describe('qa eval metaqa', () => {
  const kbqa = (f: string): string => join(FIXTURES, 'kbqa', f);
  it('--json prints Hits@1, the total and the SPARQL latency, trained on another file', () => {
    const r = qa([
      'eval',
      'metaqa',
      kbqa('test.txt'),
      '--kb',
      kbqa('mini-kb.txt'),
      '--train',
      kbqa('train.txt'),
      '--json',
    ]);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as Record<string, number>;
    expect(m.hits_at_1).toBe(1);
    expect(m.total).toBeGreaterThan(0);
    expect(typeof m.latency_p50_ms).toBe('number');
    expect(m.kb_triples).toBe(85);
  });
});

describe('qa ingest kb', () => {
  it('loads into the workspace store, and a bad file loads nothing', () => {
    const ws = mkdtempSync(join(tmpdir(), 'qa-ws-'));
    const bad = join(ws, 'bad.ttl');
    writeFileSync(bad, '<http://a> <http://b> "unterminated .\n');
    const kb = join(FIXTURES, 'kbqa/mini-kb.txt');
    expect(qa(['ingest', 'kb', kb, '--format', 'metaqa', '--workspace', ws, '--json']).code).toBe(0);
    const r = qa(['ingest', 'kb', bad, '--workspace', ws]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${bad}:1:\\d+`));
    const again = qa(['ingest', 'kb', kb, '--format', 'metaqa', '--workspace', ws, '--json']);
    // Same triples again: the set is unchanged, so the store still holds 85.
    expect(JSON.parse(again.stdout)).toMatchObject({ triples: 85, storeTriples: 85, store: 'oxigraph' });
  });
});

describe('qa train calibration --reader-only', () => {
  it("adds one reader's MRC parameters to the calibration file and keeps everything else", () => {
    const data = mkdtempSync(join(tmpdir(), 'qa-cli-calibration-'));
    // Four paragraphs of the first article: 32 questions, 13 of them unanswerable.
    const dev = JSON.parse(readFileSync(DEV20, 'utf8'));
    const article = { ...dev.data[0], paragraphs: dev.data[0].paragraphs.slice(0, 4) };
    mkdirSync(join(data, 'squad'));
    writeFileSync(
      join(data, 'squad', 'dev-v2.0.public.json'),
      JSON.stringify({ version: 'v2.0', data: [article] }),
    );
    const out = join(data, 'calibration.json');
    const installed = JSON.parse(readFileSync(join(ROOT, 'models', 'ranker', 'calibration.json'), 'utf8'));
    writeFileSync(
      out,
      JSON.stringify({ ...installed, readers: { other: { a: 1, b: 2, c: 0.5, fittedOn: 'x' } } }),
    );
    const reader = 'minilm-l3-squad-int8';
    const r = qa(['train', 'calibration', '--reader-only', '--reader', reader, '--data', data, '--out', out]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^mrc for reader ${reader}: a -?[\\d.]+, b -?[\\d.]+, c 0.5000$`, 'm'),
    );
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written.routes).toEqual(installed.routes);
    expect(written.threshold).toBe(installed.threshold);
    expect(written.readers.other).toEqual({ a: 1, b: 2, c: 0.5, fittedOn: 'x' });
    expect(written.readers[reader]).toMatchObject({
      a: expect.any(Number),
      b: expect.any(Number),
      c: 0.5,
      fittedOn: expect.stringMatching(/^32 questions of dev-v2\.0\.public\.json \(13 unanswerable/),
    });
  });

  it('refuses to add a reader when there is no calibration file to add it to', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'qa-cli-calibration-')), 'calibration.json');
    const r = qa(['train', 'calibration', '--reader-only', ...tiny, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no calibration file to add a reader to');
    expect(r.stderr).toContain(out);
    expect(existsSync(out)).toBe(false);
  });
});

describe('qa eval demo', () => {
  it('--json prints accuracy as a fraction, per-route figures and each outcome', () => {
    const ws = mkdtempSync(join(tmpdir(), 'qa-ws-'));
    expect(qa(['ingest', 'kb', join(ROOT, 'kb', 'geo.ttl'), '--workspace', ws]).code).toBe(0);
    const file = join(ws, 'demo.json');
    writeFileSync(
      file,
      JSON.stringify({
        questions: [
          { id: 'capital', route: 'kbqa', question: 'What is the capital of Kenya?', answers: ['Nairobi'] },
          { id: 'area', route: 'kbqa', question: 'What is the area of Kenya?', answers: ['580367'] },
          { id: 'wrong', route: 'kbqa', question: 'What is the capital of France?', answers: ['Lyon'] },
          { id: 'none', route: 'none', question: 'Blorf zimble quax?', unanswerable: true },
        ],
      }),
    );
    const r = qa(['eval', 'demo', file, '--workspace', ws, '--json']);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as Record<string, unknown> & {
      per_group: Record<string, { total: number; correct: number }>;
      outcomes: Array<{ id: string; correct: boolean; answer?: string }>;
    };
    expect(m).toMatchObject({ accuracy: 0.75, total: 4, abstention_rate: 0.25 });
    expect(m.per_group.kbqa).toMatchObject({ total: 3, correct: 2 });
    expect(m.outcomes.find((o) => o.id === 'wrong')).toMatchObject({ correct: false, answer: 'Paris' });
    const bad = qa(['eval', 'demo', join(ws, 'missing.json'), '--workspace', ws]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('missing.json');
  });
});

describe('conversations on the command line', () => {
  const ws = mkdtempSync(join(tmpdir(), 'qa-chat-'));

  it('qa chat answers follow-ups with the turns before them, and :new starts over', () => {
    expect(qa(['ingest', 'kb', join(ROOT, 'kb', 'geo.ttl'), '--workspace', ws]).code).toBe(0);
    const r = qa(
      ['chat', '--workspace', ws],
      {},
      'What is the capital of Peru?\nand how many people live there?\n:new\nhow many people live there?\n',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Lima');
    expect(r.stdout).toContain('answered as: How many people live in Lima?');
    expect(r.stdout).toContain('7,737,002');
    expect(r.stdout).toContain('(new conversation)');
    expect(r.stdout.trimEnd().split('(new conversation)')[1]).toContain('no answer');
  });

  it('qa ask --history and qa eval dialogues take the earlier turns from a file', () => {
    const history = join(ws, 'history.json');
    writeFileSync(
      history,
      JSON.stringify([{ question: 'What is the capital of Kenya?', answer: 'Nairobi' }]),
    );
    const r = qa(['ask', 'how many people live there?', '--history', history, '--workspace', ws, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ resolved: 'How many people live in Nairobi?' });
    const bad = join(ws, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ question: 'q?', answer: 3 }]));
    const refused = qa(['ask', 'and then?', '--history', bad, '--workspace', ws]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('bad.json');

    const file = join(ws, 'dialogues.json');
    writeFileSync(
      file,
      JSON.stringify({
        dialogues: [
          {
            id: 'peru',
            turns: [
              { route: 'kbqa', question: 'What is the capital of Peru?', answers: ['Lima'] },
              { route: 'kbqa', question: 'and its currency?', answers: ['Peruvian Sol'] },
            ],
          },
        ],
      }),
    );
    const d = qa(['eval', 'dialogues', file, '--workspace', ws, '--json']);
    expect(d.code).toBe(0);
    expect(JSON.parse(d.stdout)).toMatchObject({
      dialogues: 1,
      first: { total: 1, correct: 1 },
      followUps: { total: 1, correct: 1 },
    });
    const alone = qa(['eval', 'dialogues', file, '--workspace', ws, '--json', '--no-history']);
    expect(JSON.parse(alone.stdout)).toMatchObject({ followUps: { correct: 0 } });
  });
});

describe('feedback on the command line', () => {
  it('exports judgements, reports the unanswered by meaning, and refits the calibration with them', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'qa-feedback-'));
    expect(qa(['ingest', 'kb', join(ROOT, 'kb', 'geo.ttl'), '--workspace', ws]).code).toBe(0);
    const db = openWorkspaceDb({ workspace: ws });
    const store = new FeedbackStore(db);
    store.record({
      question: 'What is the capital of Kenya?',
      answer: 'Nairobi',
      route: 'kbqa',
      helpful: true,
    });
    store.record({ question: 'What is the capital of Peru?', answer: 'Lima', route: 'kbqa', helpful: true });
    store.record({
      question: 'What is the capital of Chile?',
      answer: 'Lima',
      route: 'kbqa',
      helpful: false,
      correction: 'Santiago',
    });
    store.recordUnanswered('Who won the 2022 World Cup?', 'out of reach');
    store.recordUnanswered('who won the world cup in 2022', 'out of reach');
    db.close();

    const exported = qa(['feedback', 'export', '--workspace', ws]);
    expect(exported.code).toBe(0);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.answer)).toEqual(['Nairobi', 'Lima', 'Lima']);

    const report = qa(['report', 'unanswered', '--workspace', ws, '--json']);
    expect(report.code).toBe(0);
    const { groups } = JSON.parse(report.stdout) as { groups: Array<{ question: string; count: number }> };
    expect(groups[0]).toMatchObject({ count: 2 });
    expect(groups.some((g) => g.question === 'What is the capital of Chile?')).toBe(true);

    const out = join(ws, 'calibration.json');
    const fit = qa(['train', 'calibration', '--feedback', '--workspace', ws, '--out', out]);
    expect(fit.code).toBe(0);
    expect(fit.stdout).toMatch(/judgements: 3 \(3 helpful\); precision on them/);
    expect(fit.stdout).toContain('kept: fewer than 30 answers');
    rmSync(ws, { recursive: true, force: true });
  });
});

describe('qa docs', () => {
  it('lists the sources with their counts, and removes one whole, naming a source it does not hold', () => {
    const ws = mkdtempSync(join(tmpdir(), 'qa-docs-'));
    expect(qa(['ingest', 'docs', join(FIXTURES, 'docs'), '--workspace', ws, '--no-vectors']).code).toBe(0);
    const listed = qa(['docs', 'list', '--workspace', ws, '--json']);
    expect(listed.code).toBe(0);
    const { sources } = JSON.parse(listed.stdout) as {
      sources: Array<{ source: string; documents: number }>;
    };
    const places = sources.find((s) => s.source.endsWith('places.jsonl'));
    expect(places?.documents).toBe(2);
    const removed = qa(['docs', 'remove', places?.source ?? '', '--workspace', ws]);
    expect(removed.stdout).toBe('removed 2 document(s), 2 passage(s)\n');
    const after = JSON.parse(qa(['docs', 'list', '--workspace', ws, '--json']).stdout) as {
      sources: unknown[];
    };
    expect(after.sources).toHaveLength(sources.length - 1);
    const filtered = qa([
      'ask',
      'How high is Mount Kenya?',
      '--filter',
      'after=2999-01-01',
      '--workspace',
      ws,
      '--json',
      '--routes',
      'mrc',
    ]);
    expect(filtered.code).toBe(0);
    expect(JSON.parse(filtered.stdout)).toMatchObject({ abstained: true, answers: [] });
    const badFilter = qa(['ask', 'How high?', '--filter', 'colour=red', '--workspace', ws]);
    expect(badFilter.code).toBe(2);
    expect(badFilter.stderr).toContain('"colour=red" is not a filter');
    const unknown = qa(['docs', 'remove', 'no-such-source', '--workspace', ws]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no documents from "no-such-source"');
    rmSync(ws, { recursive: true, force: true });
  });
});

describe('qa ingest docs with PDF and Word files', () => {
  it('refuses a folder holding a corrupt PDF, loading nothing; cites the page of an answer in a PDF', () => {
    const ws = mkdtempSync(join(tmpdir(), 'qa-office-'));
    const office = join(FIXTURES, 'office');
    const bad = qa(['ingest', 'docs', office, '--workspace', ws, '--no-vectors']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('corrupt.pdf');
    expect(JSON.parse(qa(['docs', 'list', '--workspace', ws, '--json']).stdout)).toEqual({ sources: [] });
    const good = qa([
      'ingest',
      'docs',
      join(office, 'boiler-manual.pdf'),
      join(office, 'scanned.pdf'),
      join(office, 'kettle-guide.docx'),
      '--workspace',
      ws,
    ]);
    expect(good.code).toBe(0);
    expect(good.stderr).toContain('scanned.pdf: no text layer');
    const a = qa([
      'ask',
      'What should the boiler pressure be when the system is cold?',
      '--workspace',
      ws,
      '--json',
    ]);
    expect(JSON.parse(a.stdout).answers[0]).toMatchObject({
      text: expect.stringContaining('1.5 bar'),
      evidence: { title: 'boiler manual', page: 2 },
    });
    rmSync(ws, { recursive: true, force: true });
  });
});

describe('qa ingest docs --sync', () => {
  it('removes the documents whose files left the folder, in the same transaction as the rest', () => {
    const ws = mkdtempSync(join(tmpdir(), 'qa-sync-'));
    const dir = mkdtempSync(join(tmpdir(), 'qa-sync-docs-'));
    writeFileSync(join(dir, 'a.txt'), 'The boiler pressure should stay near 1.5 bar.');
    writeFileSync(join(dir, 'b.txt'), 'Descale the kettle with vinegar.');
    expect(qa(['ingest', 'docs', dir, '--workspace', ws, '--no-vectors']).code).toBe(0);
    rmSync(join(dir, 'b.txt'));
    const kept = JSON.parse(qa(['ingest', 'docs', dir, '--workspace', ws, '--no-vectors', '--json']).stdout);
    expect(kept.removed).toBe(0);
    const synced = JSON.parse(
      qa(['ingest', 'docs', dir, '--sync', '--workspace', ws, '--no-vectors', '--json']).stdout,
    );
    expect(synced).toMatchObject({ removed: 1, skipped: 1 });
    const { sources } = JSON.parse(qa(['docs', 'list', '--workspace', ws, '--json']).stdout) as {
      sources: Array<{ source: string }>;
    };
    expect(sources.map((s) => s.source)).toEqual([join(dir, 'a.txt')]);
    expect(qa(['ingest', 'docs', join(dir, 'a.txt'), '--sync', '--workspace', ws]).code).toBe(2);
    rmSync(ws, { recursive: true, force: true });
  });
});

describe('qa eval open', () => {
  it('asks a SQuAD file of the whole pipeline over all its paragraphs and scores it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-open-'));
    const file = join(dir, 'mini-v2.json');
    const paragraph = (context: string, qas: Array<[string, string, string | null]>) => ({
      context,
      qas: qas.map(([id, question, answer]) => ({
        id,
        question,
        is_impossible: answer === null,
        answers: answer === null ? [] : [{ text: answer, answer_start: context.indexOf(answer) }],
      })),
    });
    writeFileSync(
      file,
      JSON.stringify({
        version: 'v2.0',
        data: [
          {
            title: 'Rhine',
            paragraphs: [
              paragraph('The Rhine rises in the Swiss Alps and flows into the North Sea near Rotterdam.', [
                ['r1', 'Where does the Rhine rise?', 'the Swiss Alps'],
                ['r2', 'Who painted the Rhine in 2025?', null],
              ]),
            ],
          },
          {
            title: 'Tea',
            paragraphs: [
              paragraph('Green tea is made from Camellia sinensis leaves. It originated in China.', [
                ['t1', 'Where did green tea originate?', 'China'],
              ]),
            ],
          },
        ],
      }),
    );
    const r = qa(['eval', 'open', file, '--workspace', join(dir, 'unused'), '--json']);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as Record<string, number> & {
      outcomes: Array<{ id: string; abstained: boolean }>;
    };
    expect(m).toMatchObject({ total: 3, questions: 3, HasAns_total: 2, NoAns_total: 1 });
    expect(m.outcomes.map((o) => o.id)).toEqual(['r1', 'r2', 't1']);
    expect(m.f1).toBeGreaterThan(60);
    expect(m.own_paragraph).toBe(1);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('qa ask', () => {
  it('answers a question about a passage', () => {
    const r = qa([
      'ask',
      'When was it built?',
      '--context',
      'The tower was built in 1889.',
      ...tiny,
      '--json',
    ]);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout) as { answers: Array<{ text: string }>; noAnswer: boolean };
    expect(res.noAnswer).toBe(false);
    expect(res.answers[0]?.text).toBe('1889');
  });

  it('answers from the workspace with the whole pipeline when no passage is given', () => {
    const ws = mkdtempSync(join(tmpdir(), 'qa-ws-'));
    expect(qa(['ingest', 'docs', join(FIXTURES, 'docs'), '--workspace', ws]).code).toBe(0);
    const r = qa(['ask', 'How high is Mount Kenya?', '--workspace', ws, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout) as Answer;
    expect(a.abstained).toBe(false);
    expect(a.answers[0]).toMatchObject({
      route: 'mrc',
      text: expect.stringContaining('5,199'),
      evidence: { kind: 'passage', title: 'Mount Kenya' },
    });
    expect(a.timings.map((t) => t.route)).toContain('mrc');
    const bad = qa(['ask', 'x?', '--routes', 'mrc,web', '--workspace', ws]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--routes: unknown route "web"/);
  });
});

describe('qa ingest docs and qa eval retrieval', () => {
  it('ingests a folder (BM25 only), re-ingests idempotently, and a bad file adds nothing', () => {
    const ws = mkdtempSync(join(tmpdir(), 'qa-ws-'));
    const docs = join(FIXTURES, 'docs');
    const first = qa(['ingest', 'docs', docs, '--no-vectors', '--workspace', ws, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ files: 4, added: 5, stored: { documents: 5 } });
    const again = JSON.parse(
      qa(['ingest', 'docs', docs, '--no-vectors', '--workspace', ws, '--json']).stdout,
    );
    expect(again).toMatchObject({ added: 0, skipped: 4, passages: 0, batches: 0 });
    const bad = join(FIXTURES, 'docs-bad', 'bad.jsonl');
    const r = qa(['ingest', 'docs', bad, '--no-vectors', '--workspace', ws]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:2: text`);
  });

  it('--json prints recall@k and MRR as fractions', () => {
    const r = qa(['eval', 'retrieval', DEV11, '--mode', 'bm25', '--limit', '300', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout) as Record<string, number>;
    expect(m).toMatchObject({ questions: 300, mode: 'bm25' });
    expect(m.recall_at_5).toBeGreaterThan(0.85);
    expect(m.recall_at_5).toBeLessThanOrEqual(1);
    expect(m.recall_at_1).toBeLessThanOrEqual(m.recall_at_5 as number);
  });

  it('rejects an unknown mode', () => {
    const r = qa(['eval', 'retrieval', DEV11, '--mode', 'fuzzy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--mode: unknown retrieval mode "fuzzy"/);
  });
});

describe('qa ingest cqa and qa eval semeval', () => {
  it('imports a StackExchange dump once, and again changes nothing', () => {
    const ws = mkdtempSync(join(tmpdir(), 'qa-ws-'));
    const posts = join(FIXTURES, 'cqa', 'Posts.xml');
    const first = qa(['ingest', 'cqa', posts, '--no-vectors', '--workspace', ws, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ added: 2, threads: 2 });
    const again = qa(['ingest', 'cqa', posts, '--no-vectors', '--workspace', ws, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, unchanged: 2, threads: 2 });
  });

  it('--json prints MAP, MRR and P@1 as fractions and reproduces the IR baseline', () => {
    const file = join(SHARED, 'data/cqa/semeval2016-dev.jsonl');
    const r = qa(['eval', 'semeval', file, '--no-dense', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout) as Record<string, number>;
    expect(m.ir_map).toBeCloseTo(0.7135, 4);
    for (const k of ['map', 'mrr', 'p_at_1']) {
      expect(m[k]).toBeGreaterThan(0.5);
      expect(m[k]).toBeLessThanOrEqual(1);
    }
  });
});
