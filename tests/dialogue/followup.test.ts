import { describe, expect, it } from 'vitest';
import { type FindNames, type Named, type PriorTurn, rewrites } from '../../src/dialogue/followup.js';

/** A workspace that knows these names (whole words, any case). */
function finder(known: Record<string, string>): FindNames {
  return (text) => {
    const found: Named[] = [];
    for (const [surface, label] of Object.entries(known)) {
      const m = new RegExp(`\\b${surface}\\b`, 'i').exec(text);
      if (!m) continue;
      found.push({ label, id: `urn:${label}`, start: m.index, end: m.index + m[0].length, surface: m[0] });
    }
    return found.sort((a, b) => a.start - b.start);
  };
}

const find = finder({
  Peru: 'Peru',
  Lima: 'Lima',
  Chile: 'Chile',
  Kenya: 'Kenya',
  Mongolia: 'Mongolia',
  Asia: 'Asia',
  Italy: 'Italy',
  he: 'he',
});

function turn(question: string, answer?: string, resolved = question): PriorTurn {
  const named = find(resolved)[0];
  return {
    question,
    resolved,
    ...(named ? { topic: { label: named.label, id: named.id as string, surface: named.surface } } : {}),
    ...(answer ? { answer } : {}),
  };
}

const first = (q: string, prior: PriorTurn[]) => rewrites(q, prior, find).map((r) => r.resolved);

describe('rewrites', () => {
  it('leaves a first question, and one that names a new topic, as they are', () => {
    expect(first('What is the capital of Peru?', [])).toEqual(['What is the capital of Peru?']);
    expect(first('What is the capital of Chile?', [turn('What is the capital of Peru?', 'Lima')])).toEqual([
      'What is the capital of Chile?',
    ]);
  });

  it('reads "there" and "it" as the last answer first, then the topic', () => {
    const prior = [turn('What is the capital of Peru?', 'Lima')];
    expect(first('And how many people live there?', prior)).toEqual([
      'How many people live in Lima?',
      'How many people live in Peru?',
    ]);
  });

  it('reads a possessive as the topic first ("its capital" after "which continent is Mongolia in")', () => {
    const prior = [turn('Which continent is Mongolia in?', 'Asia')];
    expect(first("What's its capital?", prior)[0]).toBe("What's Mongolia's capital?");
  });

  it('asks the last question again about a new name ("and Chile?")', () => {
    const prior = [
      turn('What is the capital of Peru?', 'Lima'),
      turn('how many people live there?', '7,737,002', 'How many people live in Lima?'),
    ];
    expect(rewrites('what about Chile?', prior, find)[0]).toEqual({
      resolved: 'How many people live in Chile?',
      topic: { label: 'Chile', id: 'urn:Chile' },
    });
  });

  it('completes a fragment with the topic ("and its capital?", "the population?")', () => {
    const prior = [turn('What is the currency of Kenya?', 'Kenyan Shilling')];
    expect(first('and its capital?', prior)[0]).toBe("What is Kenya's capital?");
    expect(first('the population?', prior)[0]).toBe('What is the population of Kenya?');
  });

  it('takes a name in the same question as the referent ("back to Italy: what currency does it use?")', () => {
    const prior = [turn('What is the capital of Peru?', 'Lima')];
    expect(first('back to Italy: what currency does it use?', prior)[0]).toBe(
      'What currency does Italy use?',
    );
  });

  it('reads "he" as a person answered before, never as a pronoun-shaped name', () => {
    const prior = [turn('Who was the first president of Kenya?', 'Jomo KENYATTA')];
    expect(first('when did he die?', prior)).toEqual(['When did Jomo KENYATTA die?']);
  });

  it('gives a follow-up no name resolves the last question as context', () => {
    const prior = [turn('How do I report a bug in Debian?')];
    expect(first('and where can I see the known ones?', prior)).toEqual([
      'and where can I see the known ones?',
      'Where can I see the known ones? (How do I report a bug in Debian)',
    ]);
    expect(first('zxqv florp blarg wibble?', prior)).toEqual(['zxqv florp blarg wibble?']);
  });
});
