import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPredictions, loadSquad } from '../../src/core/squad-data.js';

const dir = mkdtempSync(join(tmpdir(), 'qa-squad-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const qa = (id: string) => ({ id, question: 'q?', answers: [{ text: 'a', answer_start: 0 }] });
const squad = (qas: unknown[]) =>
  JSON.stringify({ version: '1.1', data: [{ title: 't', paragraphs: [{ context: 'a', qas }] }] });

describe('loading SQuAD files: errors name the file and the place', () => {
  it('reports broken JSON with line and column', () => {
    const p = file('broken.json', '{"version": "1.1",\n  "data": [}\n');
    expect(() => loadSquad(p)).toThrow(expect.objectContaining({ code: 'bad_input', where: `${p}:2:12` }));
  });

  it('reports a schema error with its JSON path', () => {
    const p = file(
      'schema.json',
      squad([{ id: 'x', question: 'q?', answers: [{ text: 7, answer_start: 0 }] }]),
    );
    expect(() => loadSquad(p)).toThrow(
      expect.objectContaining({ where: `${p}: data[0].paragraphs[0].qas[0].answers[0].text` }),
    );
  });

  it('reports a question without an id', () => {
    const p = file('noid.json', squad([{ question: 'q?', answers: [] }]));
    expect(() => loadSquad(p)).toThrow(
      expect.objectContaining({ where: `${p}: data[0].paragraphs[0].qas[0].id` }),
    );
  });

  it('reports duplicate question ids with both places', () => {
    const p = file('dup.json', squad([qa('a1'), qa('a1')]));
    expect(() => loadSquad(p)).toThrow(
      /duplicate question id "a1" \(first at data\[0\]\.paragraphs\[0\]\.qas\[0\]\)/,
    );
  });

  it('detects the version from the file', () => {
    expect(loadSquad(file('v1.json', squad([qa('a')]))).version).toBe('1.1');
    const v2 = JSON.stringify({
      data: [
        {
          title: 't',
          paragraphs: [{ context: 'c', qas: [{ id: 'b', question: 'q', answers: [], is_impossible: true }] }],
        },
      ],
    });
    expect(loadSquad(file('v2.json', v2)).version).toBe('2.0');
  });

  it('reports duplicate prediction ids with line and column', () => {
    const data = loadSquad(file('d.json', squad([qa('a'), qa('b')])));
    const p = file('pred.json', '{"a": "x",\n "b": "y",\n "a": "z"}');
    expect(() => loadPredictions(p, data)).toThrow(expect.objectContaining({ where: `${p}:3:2` }));
  });

  it('rejects predictions made for another file, and counts missing and unknown ids', () => {
    const data = loadSquad(file('d2.json', squad([qa('a'), qa('b')])));
    expect(() => loadPredictions(file('other.json', '{"zz": "x"}'), data)).toThrow(/none of its 1 ids/);
    const res = loadPredictions(file('part.json', '{"a": "x", "zz": "y"}'), data);
    expect(res).toMatchObject({ missing: 1, unknown: 1 });
    expect(() => loadPredictions(file('num.json', '{"a": 3}'), data)).toThrow(
      expect.objectContaining({ where: `${dir}/num.json: a` }),
    );
  });
});
