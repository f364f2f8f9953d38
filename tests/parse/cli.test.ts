import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { qa } from '../helpers/cli.js';

interface RoutingJson {
  accuracy: number;
  confusion: Record<string, Record<string, number>>;
  per_class: Record<string, { precision: number; recall: number; support: number }>;
  test_size: number;
  train_size: number;
}

describe('qa eval routing', () => {
  it('--json prints one object; the shipped router reaches 0.95 on the held-out questions', () => {
    const r = qa(['eval', 'routing', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const m = JSON.parse(r.stdout) as RoutingJson;
    expect(m.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(Object.keys(m.confusion)).toEqual(['kbqa', 'mrc', 'cqa']);
    const total = Object.values(m.confusion).reduce(
      (n, row) => n + Object.values(row).reduce((a, b) => a + b, 0),
      0,
    );
    expect(total).toBe(m.test_size);
    expect(m.per_class.cqa?.support).toBeGreaterThan(0);
    expect(m.train_size).toBeGreaterThan(3 * m.test_size);
  });

  it('says how to make the weights when there are none', () => {
    const r = qa(['eval', 'routing', '--model', join(tmpdir(), 'no-such-router.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-router\.json: no router weights \(run `qa train router`\)/);
  });
});

describe('qa train router', () => {
  it('fits a small router, writes it and the evaluation reads it', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'qa-router-')), 'router', 'router.json');
    const t = qa(['train', 'router', '--out', out, '--per-class', '300', '--epochs', '5']);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/^wrote .*router\.json: accuracy \d+\.\d+% on \d+ held-out questions/);
    expect(existsSync(out)).toBe(true);
    const e = qa(['eval', 'routing', '--model', out, '--per-class', '300', '--json']);
    expect(e.code, e.stderr).toBe(0);
    const m = JSON.parse(e.stdout) as RoutingJson;
    expect(m.accuracy).toBeGreaterThan(0.9);
    expect(m.test_size + m.train_size).toBe(900);
  });
});
