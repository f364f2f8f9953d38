import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
export const FIXTURE_MODELS = join(FIXTURES, 'models');
export const SHARED = new URL('../../../shared/', import.meta.url).pathname;

/** A scratch copy of the fixture models folder that a test may break. */
export function scratchModels(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qa-models-'));
  cpSync(FIXTURE_MODELS, dir, { recursive: true });
  return dir;
}

export function editJson(file: string, edit: (v: Record<string, unknown>) => void): void {
  const v = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(v);
  writeFileSync(file, JSON.stringify(v));
}
