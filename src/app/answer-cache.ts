/**
 * Answers already given, for the same question asked again over the same data: keyed by the
 * question (its spacing normalised, its wording and case kept: both change what is found), the
 * conversation before it, the reader and every option that changes an answer, and valid only at
 * the data version it was made at (src/core/data-version.ts), so an ingest, a post or a vote is
 * seen at once. Least recently used answers leave first.
 */
import type { Answer, AskRequest } from '../core/types.js';

export function answerKey(req: AskRequest, reader: string | undefined): string {
  const text = (s: string) => s.normalize('NFKC').replace(/\s+/g, ' ').trim();
  return JSON.stringify([
    text(req.question),
    (req.history ?? []).map((h) => [text(h.question), h.answer ?? null, h.resolved ?? null]),
    req.reader ?? reader ?? null,
    req.routes ?? null,
    req.topK ?? null,
    req.filters ?? null,
    req.explain ?? false,
  ]);
}

export class AnswerCache {
  private readonly entries = new Map<string, { version: number; answer: Answer }>();

  constructor(readonly size: number) {}

  get(key: string, version: number): Answer | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    if (hit.version !== version) return undefined;
    this.entries.set(key, hit);
    return hit.answer;
  }

  set(key: string, version: number, answer: Answer): void {
    if (this.size === 0) return;
    this.entries.delete(key);
    this.entries.set(key, { version, answer });
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
  }
}
