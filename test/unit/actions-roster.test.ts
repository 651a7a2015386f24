import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  editDistance,
  fuzzyNameMatches,
  matchOwner,
  normaliseName,
  type RosterMember,
} from '../../bot/people/roster.js';

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

/** The full table, as editDistance was first written: what the bounded one must agree with. */
function referenceDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  return d[a.length]![b.length]!;
}

describe('editDistance, bounded', () => {
  // Few letters, so that random names share many and the swaps and near misses really happen.
  const name = fc.string({ unit: fc.constantFrom('a', 'b', 'n', 'o', 's', ' ', 'é'), maxLength: 12 });

  it('without a bound it is the full distance', () => {
    fc.assert(fc.property(name, name, (a, b) => editDistance(a, b) === referenceDistance(a, b)));
  });

  it('with a bound: exact up to it, and above it exactly when the distance is', () => {
    fc.assert(
      fc.property(name, name, fc.integer({ min: 0, max: 4 }), (a, b, max) => {
        const full = referenceDistance(a, b);
        const bounded = editDistance(a, b, max);
        return full <= max ? bounded === full : bounded > max;
      }),
      { numRuns: 2_000 },
    );
  });

  it('stops early for names that are far apart', () => {
    expect(editDistance('shields', 'patel', 1)).toBe(2);
    expect(editDistance('sonia', 'sonai', 1)).toBe(1);
    expect(editDistance('anne marie', 'annemarie', 0)).toBe(1);
  });
});

describe('normaliseName, remembered', () => {
  it('gives the same answer the second time, and for many different names', () => {
    for (let round = 0; round < 2; round++) {
      expect(normaliseName("Ma'am Claire Crawley")).toBe('claire crawley');
      expect(normaliseName('Khan, Sonia')).toBe('sonia khan');
    }
    // More names than it remembers: still right after it forgets.
    for (let i = 0; i < 6_000; i++) expect(normaliseName(`Dr Person ${i}`)).toBe(`person ${i}`);
    expect(normaliseName('Siobhán O’Brien')).toBe('siobhan obrien');
  });
});
