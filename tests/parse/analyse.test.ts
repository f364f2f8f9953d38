import { describe, expect, it } from 'vitest';
import { analyse, findMentions, normalize, sentenceSpans } from '../../src/parse/analyse.js';

const mentions = (text: string) => findMentions(text).map((m) => m.text);

describe('normalize', () => {
  it('applies NFKC, collapses whitespace and trims', () => {
    expect(normalize('  Ｗhat\u00a0is   the\tcapital\nof ﬁji？ ')).toBe('What is the capital of fiji?');
  });
});

describe('question type and answer type', () => {
  it.each([
    ['What is the capital of Kenya?', 'factoid', 'place'],
    ['How many countries border China?', 'count', 'number'],
    ['Which countries border both China and India?', 'list', 'place'],
    ['What is the population of Kenya?', 'factoid', 'number'],
    ["What is Kenya's population?", 'factoid', 'number'],
    ['What percentage of Kenya is forest?', 'factoid', 'number'],
    ['When did Kenya gain independence?', 'factoid', 'date'],
    ['In what year did Super Bowl 50 take place?', 'factoid', 'date'],
    ['Who is the president of Kenya?', 'factoid', 'person'],
    ['Through who did the masses have access to the divine?', 'factoid', 'person'],
    ['Where is Lake Victoria?', 'factoid', 'place'],
    ['What languages are spoken in Kenya?', 'list', 'entity'],
    ['Name the capital of Kenya', 'factoid', 'place'],
    ['List the countries bordering China', 'list', 'place'],
    ['What was the unemployment rate in Switzerland in 2014?', 'factoid', 'number'],
    ['How long is the Nile?', 'factoid', 'number'],
    ['Why did the Roman Empire fall?', 'factoid', 'description'],
    ['Is Kenya in Africa?', 'yesno', 'entity'],
    ["Didn't the U.S. boycott the 1980 Olympics?", 'yesno', 'entity'],
    ['What is a prion?', 'definition', 'description'],
    ['Define photosynthesis', 'definition', 'description'],
    ['What does "hygge" mean?', 'definition', 'description'],
    ['What is a group of crows called?', 'factoid', 'entity'],
    ['How do I renew my residence permit?', 'howto', 'description'],
    ['how to make text strikethrough on github', 'howto', 'description'],
    ['Which is the best bank in Qatar?', 'opinion', 'description'],
    ['Should I buy a car in Doha or lease one?', 'opinion', 'description'],
    ['Can anyone recommend a good dentist?', 'opinion', 'description'],
    ['What was the best-selling album of 1982?', 'factoid', 'entity'],
    ['Does anyone know where I can buy a bike in Doha?', 'factoid', 'place'],
    // MetaQA: lower case, no question mark, the question word late.
    ['what movies did joel zwick direct', 'list', 'entity'],
    ['the films acted by sharon tate were released in which years', 'list', 'date'],
    ['which person directed the films starring tom hanks', 'factoid', 'person'],
    // Shouting and lower case parse the same.
    ['WHAT IS THE CAPITAL OF KENYA?', 'factoid', 'place'],
    ["what's the capital of kenya", 'factoid', 'place'],
    // A forum post: the sentence that asks decides, opinion cues count anywhere.
    ['Good Bank. Which is a good bank as per your experience in Doha', 'opinion', 'description'],
    [
      'Family visa. Hello; I would like to know what documents are required for a family visa',
      'list',
      'entity',
    ],
  ])('%s → %s, %s', (q, type, answerType) => {
    const a = analyse(q);
    expect([a.type, a.answerType]).toEqual([type, answerType]);
  });

  it('keeps the text and gives the normalised form', () => {
    const a = analyse('  Who   wrote  Hamlet? ');
    expect(a.text).toBe('  Who   wrote  Hamlet? ');
    expect(a.normalized).toBe('Who wrote Hamlet?');
  });
});

describe('mentions', () => {
  it('finds capitalised spans with offsets into the original text, past a sentence-initial question word', () => {
    const text = '  Which countries border both China and India?';
    const found = findMentions(text);
    expect(found.map((m) => m.text)).toEqual(['China', 'India']);
    for (const m of found) expect(text.slice(m.start, m.end)).toBe(m.text);
  });

  it('leaves the article out of "the United Kingdom" and the possessive out of "Kenya\'s"', () => {
    expect(mentions('Who is the head of state of the United Kingdom?')).toEqual(['United Kingdom']);
    expect(mentions("What is Kenya's population?")).toEqual(['Kenya']);
    expect(mentions('What is Kenya’s population?')).toEqual(['Kenya']);
  });

  it('keeps abbreviations, apostrophes and name particles inside a name', () => {
    expect(mentions('Is the U.S. Navy older than NASA?')).toEqual(['U.S. Navy', 'NASA']);
    expect(mentions('When did St. Louis host the Olympics?')).toEqual(['St. Louis', 'Olympics']);
    expect(mentions("Where was Sinéad O'Connor born?")).toEqual(["Sinéad O'Connor"]);
    expect(mentions('What did Leonardo da Vinci paint?')).toEqual(['Leonardo da Vinci']);
    expect(mentions('Who owns the Bank of America?')).toEqual(['Bank of America']);
    expect(mentions('In what year did Super Bowl 50 take place?')).toEqual(['Super Bowl 50']);
    expect(mentions('Who designed the iPhone?')).toEqual(['iPhone']);
  });

  it('keeps a sentence-initial name and skips "I"', () => {
    expect(mentions('Kenya borders which countries?')).toEqual(['Kenya']);
    expect(mentions("I'm moving to Doha. Can I bring my cat?")).toEqual(['Doha']);
  });

  it('takes quoted and bracketed spans whole, and no capitalised span inside them', () => {
    expect(mentions('Who wrote "The Big Sleep"?')).toEqual(['The Big Sleep']);
    expect(mentions("Who wrote 'The Big Sleep'?")).toEqual(['The Big Sleep']);
    expect(mentions('Who sang “Let It Be” in London?')).toEqual(['Let It Be', 'London']);
    expect(mentions('what movies did [Joel Zwick] direct')).toEqual(['Joel Zwick']);
    const text = 'which films did [Sharon Tate] act in';
    const [m] = findMentions(text);
    expect(m && text.slice(m.start, m.end)).toBe('Sharon Tate');
  });

  it('does not take apostrophes for quotes', () => {
    expect(mentions("Is Kenya's coast warmer than Uganda's lakes?")).toEqual(['Kenya', 'Uganda']);
    expect(mentions("Who played rock 'n' roll in Memphis?")).toEqual(['Memphis']);
  });

  it('finds no capitalised spans where casing says nothing (all lower case, all caps)', () => {
    expect(mentions('what is the capital of kenya')).toEqual([]);
    expect(mentions('WHAT IS THE CAPITAL OF KENYA?')).toEqual([]);
    expect(mentions('WHO WROTE "HAMLET"?')).toEqual(['HAMLET']);
  });
});

describe('sentenceSpans', () => {
  it('does not split after an abbreviation', () => {
    const text = 'I moved to the U.S. last year. Dr. Smith said so! Is it true?';
    expect(sentenceSpans(text).map((s) => text.slice(s.start, s.end))).toEqual([
      'I moved to the U.S. last year.',
      'Dr. Smith said so!',
      'Is it true?',
    ]);
  });
});
