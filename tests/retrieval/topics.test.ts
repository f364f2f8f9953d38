import { describe, expect, it } from 'vitest';
import { DocTopics, splitTitle } from '../../src/retrieval/topics.js';

describe('splitTitle', () => {
  it('reads subject and section from a dash or a colon, and a plain title as all subject', () => {
    expect(splitTitle('Kenya — Background')).toEqual({ subject: 'Kenya', section: 'Background' });
    expect(splitTitle('Guinea-Bissau - Economy')).toEqual({ subject: 'Guinea-Bissau', section: 'Economy' });
    expect(splitTitle('Brewing: Espresso')).toEqual({ subject: 'Brewing', section: 'Espresso' });
    expect(splitTitle('Green tea')).toEqual({ subject: 'Green tea' });
  });
});

describe('DocTopics', () => {
  const topics = new DocTopics([
    { id: 1, title: 'Kenya — Background' },
    { id: 2, title: 'Kenya — Terrain' },
    { id: 3, title: 'Antigua and Barbuda — Background' },
    { id: 4, title: 'Heard Island and McDonald Islands — Background' },
    { id: 5, title: 'United States — Economy' },
    { id: 6, title: 'A very long title that is the first line of some prose and not a name at all' },
    { id: 7, title: null },
  ]);

  it('keeps each subject with its sections in ingestion order, and no prose titles', () => {
    expect(topics.documentsAbout('kenya').map((t) => [t.docId, t.section, t.order])).toEqual([
      [1, 'Background', 0],
      [2, 'Terrain', 1],
    ]);
    expect(topics.size).toBe(4);
    expect(topics.of(7)).toBeUndefined();
  });

  it('finds subjects in any case, with possessives, and by one part of a coordinated name', () => {
    expect(topics.subjectsIn("Who was Kenya's first president?")).toEqual(['kenya']);
    expect(topics.subjectsIn('when was slavery abolished in antigua')).toEqual(['antigua and barbuda']);
    expect(topics.subjectsIn('When did Britain give Heard Island to Australia?')).toEqual([
      'heard island and mcdonald islands',
    ]);
    expect(topics.subjectsIn('what is the economy of the united states like')).toEqual(['united states']);
  });

  it("takes the KB linker's names and aliases for a subject", () => {
    expect(topics.subjectsIn('how big is the US economy', ['US', 'United States', 'USA'])).toEqual([
      'united states',
    ]);
    expect(topics.subjectsIn('tell me about Narnia')).toEqual([]);
  });
});
