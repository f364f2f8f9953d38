import { describe, expect, it } from 'vitest';
import {
  firstValue,
  parseArea,
  parseBorders,
  parseCapitals,
  parseCoordinates,
  parseCount,
  parseDate,
  parseGovernmentType,
  parseHighestPoint,
  parseUsd,
  scaleDecimal,
  splitCountryNames,
  withoutBrackets,
} from '../../scripts/kb/parse-factbook.js';

describe('numbers', () => {
  it('scales decimals exactly, without float rounding', () => {
    expect(scaleDecimal('10.38', 12)).toBe('10380000000000');
    expect(scaleDecimal('1,904,569')).toBe('1904569');
    expect(scaleDecimal('0.15')).toBe('0.15');
    expect(scaleDecimal('1.2345', 2)).toBe('123.45');
    expect(scaleDecimal('007.500')).toBe('7.5');
    expect(scaleDecimal('0.000', 3)).toBe('0');
    expect(() => scaleDecimal('12a')).toThrow(/not a number/);
  });

  it('takes the newest of several yearly values', () => {
    expect(firstValue('$132.4 billion (2014 est.) ++ $125.8 billion (2013 est.)')).toBe(
      '$132.4 billion (2014 est.)',
    );
    expect(firstValue(' ++ urban: 81.6% of population')).toBe('urban: 81.6% of population');
    expect(firstValue('')).toBe('');
  });

  it('reads head counts, with or without estimates and scale words', () => {
    expect(parseCount('45,925,301')).toBe('45925301');
    expect(parseCount('13,451 (July 2015 est.)')).toBe('13451');
    expect(parseCount('25.4 million')).toBe('25400000');
    expect(parseCount('1.3 billion (2016)')).toBe('1300000000');
    expect(parseCount('1.2345678 million')).toBe('1234568');
    expect(parseCount('842 (July 2014 est.)')).toBe('842');
    expect(
      parseCount(
        '8,049,314 (includes populations of the Golan Heights of Golan Sub-District) (July 2014 est.)',
      ),
    ).toBe('8049314');
  });

  it('reads no head count from prose, percentages or other units', () => {
    expect(parseCount('uninhabited')).toBeUndefined();
    expect(parseCount('no indigenous inhabitants')).toBeUndefined();
    expect(parseCount('approximately 15,700 live on the Sovereign Base Areas')).toBeUndefined();
    expect(parseCount('48.1% (2011 est.)')).toBeUndefined();
    expect(parseCount('1,032 sq km (2003)')).toBeUndefined();
    expect(parseCount('3,457 km')).toBeUndefined();
    expect(parseCount('1.5 million sq km')).toBeUndefined();
    expect(parseCount('NA')).toBeUndefined();
  });

  it('reads areas in square kilometres', () => {
    expect(parseArea('1,904,569 sq km')).toBe('1904569');
    expect(parseArea('1.284 million sq km')).toBe('1284000');
    expect(parseArea('14 million sq km')).toBe('14000000');
    expect(parseArea('4,167 sq km (118 islands and atolls; 67 are inhabited)')).toBe('4167');
    expect(parseArea('442.6 sq km (Antigua 280 sq km; Barbuda 161 sq km)')).toBe('442.6');
    expect(parseArea('less than 3 sq km')).toBeUndefined();
    expect(parseArea('6 km')).toBeUndefined();
  });

  it('reads US dollar amounts', () => {
    expect(parseUsd('$1.2 trillion (2023 est.)')).toBe('1200000000000');
    expect(parseUsd('$10.38 trillion')).toBe('10380000000000');
    expect(parseUsd('$60.77 billion (2014 est.)')).toBe('60770000000');
    expect(parseUsd('$748.6 million (2005)')).toBe('748600000');
    expect(parseUsd('$5.771 billion (FY 2012/13 est.)')).toBe('5771000000');
    expect(parseUsd('$3,100 (2014 est.) ++ $2,900 (2013 est.)')).toBe('3100');
    expect(parseUsd('-$5.01 billion (2014 est.)')).toBe('-5010000000');
    expect(parseUsd('$1.2 trillion.')).toBe('1200000000000');
    expect(parseUsd('$NA')).toBeUndefined();
    expect(parseUsd('NA')).toBeUndefined();
    expect(parseUsd('13.3% of GDP')).toBeUndefined();
  });
});

describe('dates', () => {
  it('reads the date a field starts with', () => {
    expect(parseDate('12 December 1963 (from the UK)')).toBe('1963-12-12');
    expect(parseDate('4 July 1776 (declared); 3 September 1783 (recognized by Great Britain)')).toBe(
      '1776-07-04',
    );
    expect(parseDate('26 April 1964; Tanganyika became independent on 9 December 1961')).toBe('1964-04-26');
    expect(parseDate('1 August 1291 (founding of the Swiss Confederation)')).toBe('1291-08-01');
    expect(parseDate('29 February 2000')).toBe('2000-02-29');
  });

  it('gives no date for years alone, approximations, prose or impossible days', () => {
    expect(parseDate('1238 (traditional founding date; never colonized)')).toBeUndefined();
    expect(parseDate('ca. 965 (unified and Christianized under HARALD I Gormson)')).toBeUndefined();
    expect(parseDate('none (overseas territory of the UK)')).toBeUndefined();
    expect(parseDate('no official date of independence: 486 (Frankish tribes unified)')).toBeUndefined();
    expect(parseDate('31 June 1990')).toBeUndefined();
    expect(parseDate('29 February 1900')).toBeUndefined();
    expect(parseDate('12 Decembre 1963')).toBeUndefined();
  });
});

describe('coordinates', () => {
  it('turns degrees and minutes into signed decimal degrees', () => {
    expect(parseCoordinates('1 17 S, 36 49 E')).toEqual({ latitude: '-1.2833', longitude: '36.8167' });
    expect(parseCoordinates('38 53 N, 77 02 W')).toEqual({ latitude: '38.8833', longitude: '-77.0333' });
    expect(parseCoordinates('0 00 N, 0 00 E')).toEqual({ latitude: '0', longitude: '0' });
    expect(parseCoordinates('10 30 15 N, 120 00 30 E')).toEqual({
      latitude: '10.5042',
      longitude: '120.0083',
    });
    expect(parseCoordinates('somewhere')).toBeUndefined();
  });
});

describe('highest points', () => {
  it('names the summit and its elevation in metres', () => {
    expect(parseHighestPoint('Kilimanjaro 5,895 m (highest point in Africa)')).toEqual({
      name: 'Kilimanjaro',
      altNames: [],
      metres: '5895',
    });
    expect(parseHighestPoint('Mt. Christoffel 372m')).toMatchObject({
      name: 'Mt. Christoffel',
      metres: '372',
    });
    expect(parseHighestPoint('Fako 4,095 m (on Cameroon Mountain)')).toMatchObject({
      name: 'Fako',
      altNames: [],
    });
  });

  it('keeps other names of the summit, not where it is', () => {
    expect(parseHighestPoint('Denali (Mount McKinley) 6,190 m (highest point in North America)')).toEqual({
      name: 'Denali',
      altNames: ['Mount McKinley'],
      metres: '6190',
    });
    expect(parseHighestPoint('K2 (Mt. Godwin-Austen) 8,611 m')).toMatchObject({
      name: 'K2',
      altNames: ['Mt. Godwin-Austen'],
    });
    expect(parseHighestPoint('Pico de Teide (Tenerife) on Canary Islands 3,718 m')).toMatchObject({
      name: 'Pico de Teide',
      altNames: [],
    });
    expect(parseHighestPoint('Cheekha Dar (Kurdish for "Black Tent") 3,611 m')).toMatchObject({
      name: 'Cheekha Dar',
      altNames: [],
    });
    expect(parseHighestPoint('Gjeravica/Deravica 2,656 m')).toMatchObject({
      name: 'Gjeravica',
      altNames: ['Deravica'],
    });
  });

  it('picks the highest of several points, and knows unnamed ones by their elevation only', () => {
    expect(
      parseHighestPoint(
        'Mont de la Dives on Ile Amsterdam (Ile Amsterdam et Ile Saint-Paul) 867 m; unnamed location on ' +
          'Ile Saint-Paul 272 m; Mont Ross in Iles Kerguelen 1,850 m; unnamed location on Tromelin Island 7 m',
      ),
    ).toEqual({ name: 'Mont Ross', altNames: [], metres: '1850' });
    expect(
      parseHighestPoint(
        'Baker Island, unnamed location - 8 m; Johnston Atoll, Sand Island - 10 m; Kingman Reef, unnamed ' +
          'location - less than 2 m',
      ),
    ).toEqual({ name: 'Sand Island', altNames: [], metres: '10' });
    expect(parseHighestPoint('unnamed location on Viligili in the Addu Atholhu 2.4 m')).toEqual({
      altNames: [],
      metres: '2.4',
    });
  });

  it('reads no point from a sentence or a note', () => {
    expect(
      parseHighestPoint(
        'Soufriere Hills volcano pre-eruption height was 915 m; current lava dome is subject to periodic build up',
      ),
    ).toBeUndefined();
    expect(
      parseHighestPoint('Mont Blanc 4,807 m; note - situated on the border between France and Italy'),
    ).toEqual({
      name: 'Mont Blanc',
      altNames: [],
      metres: '4807',
    });
    expect(parseHighestPoint('NA')).toBeUndefined();
  });
});

describe('borders', () => {
  it('lists the neighbours once each, without lengths or remarks', () => {
    expect(
      parseBorders(
        'Democratic Republic of the Congo 2,646 km (of which 225 km is the boundary of discontiguous Cabinda ' +
          'Province), Republic of the Congo 231 km, Namibia 1,427 km, Zambia 1,065 km',
      ),
    ).toEqual(['Democratic Republic of the Congo', 'Republic of the Congo', 'Namibia', 'Zambia']);
    expect(parseBorders('Russia (northeast) 4,133 km, Russia (northwest) 46 km, Tajikistan 477 km')).toEqual([
      'Russia',
      'Tajikistan',
    ]);
    expect(parseBorders('Spain (Ceuta) 8 km, Spain (Melilla) 10.5 km, Zambia 0.15 km')).toEqual([
      'Spain',
      'Zambia',
    ]);
    expect(parseBorders('US 8,893 km (includes 2,477 km with Alaska)')).toEqual(['US']);
    expect(parseBorders("Guinea 590 km, Cote d'Ivoire 778 km")).toEqual(['Guinea', "Cote d'Ivoire"]);
    expect(parseBorders('')).toEqual([]);
  });
});

describe('capitals', () => {
  it('reads one capital, its other names, and drops remarks', () => {
    expect(parseCapitals('Nairobi')).toEqual([{ name: 'Nairobi', altNames: [] }]);
    expect(parseCapitals('Tripoli (Tarabulus)')).toEqual([{ name: 'Tripoli', altNames: ['Tarabulus'] }]);
    expect(parseCapitals('Baku (Baki, Baky)')).toEqual([{ name: 'Baku', altNames: ['Baki', 'Baky'] }]);
    expect(parseCapitals('Nicosia (Lefkosia/Lefkosa)')).toEqual([
      { name: 'Nicosia', altNames: ['Lefkosia', 'Lefkosa'] },
    ]);
    expect(parseCapitals('Chisinau in Romanian (Kishinev in Russian)')).toEqual([
      { name: 'Chisinau', altNames: ['Kishinev'] },
    ]);
    expect(parseCapitals('Washington, DC')).toEqual([{ name: 'Washington, DC', altNames: [] }]);
    expect(parseCapitals('Suva (on Viti Levu)')).toEqual([{ name: 'Suva', altNames: [] }]);
    expect(parseCapitals('Papeete (located on Tahiti)')).toEqual([{ name: 'Papeete', altNames: [] }]);
  });

  it('reads several capitals, and nothing after a note', () => {
    expect(
      parseCapitals(
        'Pretoria (administrative capital); Cape Town (legislative capital); Bloemfontein (judicial capital)',
      ),
    ).toEqual([
      { name: 'Pretoria', altNames: [] },
      { name: 'Cape Town', altNames: [] },
      { name: 'Bloemfontein', altNames: [] },
    ]);
    expect(parseCapitals('Porto-Novo (official capital); note - Cotonou (seat of government)')).toEqual([
      { name: 'Porto-Novo', altNames: [] },
    ]);
    expect(parseCapitals('Jerusalem: note - Israel proclaimed Jerusalem as its capital in 1950')).toEqual([
      { name: 'Jerusalem', altNames: [] },
    ]);
    expect(parseCapitals('Rangoon (Yangon); note - Nay Pyi Taw is the administrative capital')).toEqual([
      { name: 'Rangoon', altNames: ['Yangon'] },
    ]);
    expect(
      parseCapitals(
        'Episkopi Cantonment (base administrative center for Akrotiri and Dhekelia); located in Akrotiri',
      ),
    ).toEqual([{ name: 'Episkopi Cantonment', altNames: [] }]);
    expect(parseCapitals('none')).toEqual([]);
  });
});

describe('country names', () => {
  it('splits local forms, abbreviations and former names', () => {
    expect(splitCountryNames('Republic of Kenya/Jamhuri ya Kenya', 'local')).toEqual([
      'Republic of Kenya',
      'Jamhuri ya Kenya',
    ]);
    expect(splitCountryNames('Schweiz (German); Suisse (French); Svizzera (Italian)', 'local')).toEqual([
      'Schweiz',
      'Suisse',
      'Svizzera',
    ]);
    expect(splitCountryNames('Heung Kong (Eitel/Dyer-Ball); Xianggang (Hanyu Pinyin)', 'local')).toEqual([
      'Heung Kong',
      'Xianggang',
    ]);
    expect(splitCountryNames('US or USA', 'abbreviation')).toEqual(['US', 'USA']);
    expect(
      splitCountryNames('Saint-Barth (French); St. Barts or St. Barths (English)', 'abbreviation'),
    ).toEqual(['Saint-Barth', 'St. Barts', 'St. Barths']);
    expect(splitCountryNames('Khmer Republic, Democratic Kampuchea, State of Cambodia', 'former')).toEqual([
      'Khmer Republic',
      'Democratic Kampuchea',
      'State of Cambodia',
    ]);
    expect(
      splitCountryNames('Trust Territory of the Pacific Islands, Ponape, Truk, and Yap Districts', 'former'),
    ).toEqual(['Trust Territory of the Pacific Islands', 'Ponape', 'Truk, and Yap Districts']);
    expect(splitCountryNames('Senegambia (along with The Gambia), Mali Federation', 'former')).toEqual([
      'Senegambia',
      'Mali Federation',
    ]);
  });

  it('drops notes, remarks and "none"', () => {
    expect(
      splitCountryNames(
        'United Kingdom of Great Britain and Northern Ireland; note - Great Britain includes England, Scotland, and Wales',
        'form',
      ),
    ).toEqual(['United Kingdom of Great Britain and Northern Ireland']);
    expect(
      splitCountryNames(
        'Svalbard (sometimes referred to as Spitsbergen, the largest island in the archipelago)',
        'form',
      ),
    ).toEqual(['Svalbard']);
    expect(splitCountryNames('none', 'form')).toEqual([]);
  });

  it('removes nested brackets', () => {
    expect(withoutBrackets('Yemen Arab Republic [Yemen (Sanaa) or North Yemen] and South Yemen')).toBe(
      'Yemen Arab Republic and South Yemen',
    );
  });
});

describe('government type', () => {
  it('keeps the type, not the remarks after it', () => {
    expect(parseGovernmentType('republic')).toBe('republic');
    expect(parseGovernmentType('republic; multiparty presidential regime')).toBe('republic');
    expect(
      parseGovernmentType(
        'republic; note - the new constitution defines Bolivia as a "Social Unitarian State"',
      ),
    ).toBe('republic');
    expect(parseGovernmentType('NA')).toBeUndefined();
  });
});
