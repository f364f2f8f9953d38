/**
 * What each document is about: its subject ("Kenya") and section ("Background"), read from its
 * title ("Kenya — Background", "Kenya: Background"; a title without a separator is all subject).
 * A question names subjects either directly or through the names the KB linker found (its labels
 * and aliases: "Burma" → "Myanmar"), so the knowledge base and the documents share one notion of
 * what a question is about.
 */
import { foldLabel } from '../core/words.js';
import type { DocStore } from './doc-store.js';

export interface DocTopic {
  docId: number;
  /** Folded subject: the key questions are matched on. */
  subject: string;
  /** The section as written, or undefined when the title names only the subject. */
  section?: string;
  /** Ingestion order among the subject's documents: the first is its overview. */
  order: number;
}

// An em or en dash, a spaced hyphen, or a colon separates subject and section.
const SEPARATOR = /\s+[—–-]\s+|:\s+/u;
/** Subjects longer than this are titles of prose, not names. */
const MAX_SUBJECT_WORDS = 6;

export function splitTitle(title: string): { subject: string; section?: string } {
  const m = SEPARATOR.exec(title);
  if (!m || m.index === 0) return { subject: title.trim() };
  const section = title.slice(m.index + m[0].length).trim();
  return { subject: title.slice(0, m.index).trim(), ...(section ? { section } : {}) };
}

export class DocTopics {
  private readonly byDoc = new Map<number, DocTopic>();
  private readonly bySubject = new Map<string, DocTopic[]>();
  /** Each subject as its titles write it ("Kenya"). */
  private readonly names = new Map<string, string>();
  /** Each part of a coordinated subject ("antigua" of "antigua and barbuda") names it, when only it. */
  private readonly parts = new Map<string, string | null>();
  private readonly longest: number;

  constructor(docs: Iterable<{ id: number; title: string | null }>) {
    for (const d of docs) {
      if (!d.title) continue;
      const { subject, section } = splitTitle(d.title);
      const key = foldLabel(subject);
      if (!key || key.split(' ').length > MAX_SUBJECT_WORDS) continue;
      const list = this.bySubject.get(key) ?? [];
      const topic: DocTopic = {
        docId: d.id,
        subject: key,
        ...(section ? { section } : {}),
        order: list.length,
      };
      list.push(topic);
      this.bySubject.set(key, list);
      if (!this.names.has(key)) this.names.set(key, subject);
      this.byDoc.set(d.id, topic);
    }
    for (const key of this.bySubject.keys()) {
      const parts = key.split(/ (?:and|&) /);
      if (parts.length < 2) continue;
      for (const part of parts) {
        if (part.length < 4 || this.bySubject.has(part)) continue;
        this.parts.set(part, this.parts.has(part) ? null : key);
      }
    }
    this.longest = Math.max(0, ...[...this.bySubject.keys()].map((k) => k.split(' ').length));
  }

  /** The subject a folded name is: itself, or the coordinated subject it is a part of. */
  private subjectNamed(name: string): string | undefined {
    if (this.bySubject.has(name)) return name;
    return this.parts.get(name) ?? undefined;
  }

  static fromStore(store: DocStore): DocTopics {
    return new DocTopics(store.documents());
  }

  get size(): number {
    return this.bySubject.size;
  }

  of(docId: number): DocTopic | undefined {
    return this.byDoc.get(docId);
  }

  documentsAbout(subject: string): readonly DocTopic[] {
    return this.bySubject.get(subject) ?? [];
  }

  has(subject: string): boolean {
    return this.bySubject.has(subject);
  }

  /**
   * The subjects a question names, where: its word n-grams that are a subject ("kenya's" counts as
   * "kenya", "antigua" as "antigua and barbuda"). Longest first, never overlapping; in text order.
   */
  namesIn(question: string): Array<{ subject: string; label: string; start: number; end: number }> {
    const ws = [...question.matchAll(/[\p{L}\p{N}]+(?:[-'’.&][\p{L}\p{N}]+)*/gu)].map((m) => ({
      key: foldLabel(m[0].replace(/['’]s$/u, '')),
      start: m.index,
      end: m.index + m[0].replace(/['’]s$/u, '').length,
    }));
    const taken = new Array<boolean>(ws.length).fill(false);
    const found: Array<{ subject: string; label: string; start: number; end: number }> = [];
    for (let n = Math.min(this.longest, ws.length); n >= 1; n--) {
      for (let i = 0; i + n <= ws.length; i++) {
        if (taken.slice(i, i + n).some(Boolean)) continue;
        const k = this.subjectNamed(
          ws
            .slice(i, i + n)
            .map((w) => w.key)
            .join(' '),
        );
        if (!k) continue;
        for (let j = i; j < i + n; j++) taken[j] = true;
        const first = ws[i] as { start: number };
        const last = ws[i + n - 1] as { end: number };
        found.push({ subject: k, label: this.names.get(k) ?? k, start: first.start, end: last.end });
      }
    }
    return found.sort((a, b) => a.start - b.start);
  }

  /** The subjects a question names directly, and those among the KB linker's `names` and aliases. */
  subjectsIn(question: string, names: readonly string[] = []): string[] {
    const found = new Set<string>();
    for (const n of names) {
      const k = this.subjectNamed(foldLabel(n));
      if (k) found.add(k);
    }
    for (const n of this.namesIn(question)) found.add(n.subject);
    return [...found];
  }
}
