import { describe, expect, it } from 'vitest';

import {
  editDistance,
  fuzzyNameMatches,
  matchOwner,
  normaliseName,
  type RosterMember,
} from '../../bot/features/actions/roster.js';

const ROSTER: RosterMember[] = [
  { id: 'u-sk', name: 'Sonia Khan', email: 'sonia.khan@example.org' },
  { id: 'u-rd', name: 'Rachel Duke' },
  { id: 'u-ts', name: 'Tim Shields' },
  { id: 'u-sh', name: 'Stephen Haynes' },
  { id: 'u-mg', name: 'Melba Gomes' },
  { id: 'u-gn', name: 'Guy Nicholson' },
  { id: 'u-cn', name: 'Claire Nicholson' },
  { id: 'u-ob', name: 'Siobhán O’Brien' },
  { id: 'u-nb', name: 'Áine Ní Bhriain' },
  { id: 'u-am', name: 'Anne-Marie Walsh' },
  { id: 'u-ac', name: 'Cooper, Adi (Adults Safeguarding Board)' },
  { id: 'u-jf', name: 'Jake Ferguson' },
  { id: 'u-jf2', name: 'Jake Fergusson' },
];

const idOf = (name: string, roster: RosterMember[] = ROSTER) => matchOwner(name, roster)?.id;

describe('normaliseName', () => {
  it.each([
    ['Sonia Khan', 'sonia khan'],
    ['  SONIA   KHAN ', 'sonia khan'],
    ['Siobhán O’Brien', 'siobhan obrien'],
    ["Siobhan O'Brien", 'siobhan obrien'],
    ['Anne-Marie Walsh', 'anne marie walsh'],
    ["Ma'am Claire Crawley", 'claire crawley'],
    ['Dr. Adi Cooper', 'adi cooper'],
    ['Cllr Guy Nicholson', 'guy nicholson'],
    ['Cooper, Adi (Adults Safeguarding Board)', 'adi cooper'],
    ['Mayor', 'mayor'],
  ])('%j → %j', (name, expected) => {
    expect(normaliseName(name)).toBe(expected);
  });
});

describe('matchOwner', () => {
  it('matches exactly first', () => {
    expect(idOf('Sonia Khan')).toBe('u-sk');
  });

  it('ignores case, accents, apostrophes, hyphens and titles', () => {
    expect(idOf('sonia khan')).toBe('u-sk');
    expect(idOf('Siobhan OBrien')).toBe('u-ob');
    expect(idOf("Siobhán O'Brien")).toBe('u-ob');
    expect(idOf('Aine Ni Bhriain')).toBe('u-nb');
    expect(idOf('Anne Marie Walsh')).toBe('u-am');
    expect(idOf('Dr Adi Cooper')).toBe('u-ac');
    expect(idOf('Cllr Guy Nicholson')).toBe('u-gn');
  });

  it('matches a unique first name or surname', () => {
    expect(idOf('Sonia')).toBe('u-sk');
    expect(idOf('Khan')).toBe('u-sk');
    expect(idOf('Cllr Haynes')).toBe('u-sh');
    expect(idOf('O’Brien')).toBe('u-ob');
    expect(idOf('S Khan')).toBe('u-sk');
    expect(idOf('S. Khan')).toBe('u-sk');
  });

  it('refuses an ambiguous first name or surname', () => {
    expect(idOf('Nicholson')).toBeUndefined();
    expect(idOf('Cllr Nicholson')).toBeUndefined();
    expect(idOf('Jake')).toBeUndefined();
  });

  it('forgives a small spelling mistake only when one person is that close', () => {
    expect(idOf('Melba Gnomes')).toBe('u-mg');
    expect(idOf('Sonia Kahn')).toBe('u-sk');
    expect(idOf('Stephen Hayes')).toBe('u-sh');
    expect(idOf('Rachael')).toBe('u-rd');
    // Jake Ferguson and Jake Fergusson are both one letter from this.
    expect(idOf('Jake Fergusen')).toBeUndefined();
    // Short names are too easily confused to guess at.
    expect(idOf('Tin')).toBeUndefined();
    expect(matchOwner('Melba Gnomes', ROSTER, { fuzzy: false })).toBeUndefined();
  });

  it('matches an email address', () => {
    expect(idOf('sonia.khan@example.org')).toBe('u-sk');
  });

  it('keeps unknown names unknown', () => {
    expect(idOf('Andrew Munk')).toBeUndefined();
    expect(idOf('')).toBeUndefined();
    expect(matchOwner('Sonia Khan', [])).toBeUndefined();
  });

  it('refuses two members with the very same name', () => {
    const twins = [...ROSTER, { id: 'u-sk2', name: 'Sonia Khan' }];
    expect(idOf('Sonia Khan', twins)).toBeUndefined();
  });
});

describe('fuzzyNameMatches', () => {
  const OWNERS = [
    'Sonia Khan',
    'Rachel Duke',
    'Siobhán O’Brien',
    'Anne-Marie Walsh',
    'Tim Shields',
    'Sonia Patel',
  ];

  it.each([
    ['obrien', ['Siobhán O’Brien']],
    ["O'Brien", ['Siobhán O’Brien']],
    ['siobhan', ['Siobhán O’Brien']],
    ['sonia', ['Sonia Khan', 'Sonia Patel']],
    ['Sonia Khan', ['Sonia Khan']],
    ['khan', ['Sonia Khan']],
    ['son kh', ['Sonia Khan']],
    ['annemarie', ['Anne-Marie Walsh']],
    ['anne marie', ['Anne-Marie Walsh']],
    ['shiel', ['Tim Shields']],
    ['Rachael Duke', ['Rachel Duke']],
    ['Dr Tim Shields', ['Tim Shields']],
    ['nobody', []],
    ['', []],
  ])('%j finds %j', (query, expected) => {
    expect(fuzzyNameMatches(query, OWNERS)).toEqual(expected);
  });

  it('puts the best match first', () => {
    expect(fuzzyNameMatches('tim', ['Timothy Jones', 'Tim Shields'])).toEqual([
      'Tim Shields',
      'Timothy Jones',
    ]);
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps', () => {
    expect(editDistance('gomes', 'gnomes')).toBe(1);
    expect(editDistance('sonia', 'sonai')).toBe(1);
    expect(editDistance('khan', 'kahn')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
