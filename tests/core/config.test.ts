import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_THREADS, loadConfig, PACKAGE_ROOT } from '../../src/core/config.js';

const dir = mkdtempSync(join(tmpdir(), 'qa-config-'));
const file = join(dir, 'qa.config.json');
writeFileSync(file, JSON.stringify({ reader: 'from-file', threads: 2, modelsDir: 'my-models' }));

describe('loadConfig', () => {
  it("defaults to the bundled models, ./var and the installation's qa.config.json", () => {
    const cwd = mkdtempSync(join(tmpdir(), 'qa-empty-'));
    const c = loadConfig({ cwd, env: {} });
    expect(c.modelsDir).toBe(join(PACKAGE_ROOT, 'models'));
    expect(c.workspace).toBe(join(cwd, 'var'));
    expect(c.threads).toBe(Math.min(DEFAULT_MAX_THREADS, availableParallelism()));
    const installed = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'qa.config.json'), 'utf8')) as {
      reader: string;
    };
    expect(c.reader).toBe(installed.reader);
  });

  it('layers file < environment < flags, with paths relative to the file', () => {
    expect(loadConfig({ file, env: {} })).toMatchObject({
      reader: 'from-file',
      threads: 2,
      modelsDir: join(dir, 'my-models'),
    });
    expect(loadConfig({ file, env: { QA_READER: 'from-env', QA_THREADS: '3' } })).toMatchObject({
      reader: 'from-env',
      threads: 3,
    });
    expect(loadConfig({ file, env: { QA_READER: 'from-env' }, flags: { reader: 'from-flag' } }).reader).toBe(
      'from-flag',
    );
  });

  it('names the source of a bad value', () => {
    expect(() => loadConfig({ file, env: { QA_THREADS: 'many' } })).toThrow(
      expect.objectContaining({ code: 'bad_input' }),
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ threds: 2 }));
    expect(() => loadConfig({ file: bad, env: {} })).toThrow(
      expect.objectContaining({ where: `${bad}: (root)` }),
    );
  });
});
