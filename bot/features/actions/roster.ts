/**
 * Matching the names people type ("Sonia", "Cllr Nicholson", "obrien") to the team's members.
 * A wrong match assigns someone else's action, so every loose step only counts when it is unambiguous.
 */

export interface RosterMember {
  /** Entra object id. */
  id: string;
  name: string;
  email?: string;
}

/** Honorifics and offices that come before a name and are not part of it. */
export const NAME_TITLES: readonly string[] = [
  'dr',
  'cllr',
  'councillor',
  'mayor',
  "ma'am",
  'madam',
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'prof',
  'professor',
  'sir',
  'dame',
  'lord',
  'lady',
  'baroness',
  'rev',
  'revd',
  'reverend',
  'canon',
  'supt',
  'superintendent',
  'inspector',
  'insp',
  'dci',
  'sgt',
  'commander',
  'cmdr',
  'deputy',
  'chief',
];
// Compared without apostrophes, as names are ("Ma'am", "Ma’am" and "Maam" alike).
const TITLE_SET = new Set(NAME_TITLES.map((title) => title.replace(/'/gu, '')));

function foldApostrophes(text: string): string {
  return text.replace(/[’‘`´]/gu, "'");
}

/** True for "Dr", "Cllr.", "Ma’am". */
export function isNameTitle(word: string): boolean {
  return TITLE_SET.has(foldApostrophes(word).toLowerCase().replace(/['.]/gu, ''));
}

/**
 * A name reduced for comparison: lower case, no accents, no apostrophes, hyphens as spaces, no titles,
 * "Khan, Sonia" turned round and "(Hackney Council)" dropped. "Ma'am Claire Crawley" → "claire crawley".
 */
export function normaliseName(name: string): string {
  let text = foldApostrophes(name)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\s*\([^)]*\)\s*/gu, ' ')
    .trim();
  const reversed = /^([^,]+),\s*([^,]+)$/u.exec(text);
  if (reversed?.[1] && reversed[2] && !/\s/u.test(reversed[1].trim())) text = `${reversed[2]} ${reversed[1]}`;
  const words = text
    .toLowerCase()
    .replace(/'/gu, '')
    .replace(/[-‐‑–.]/gu, ' ')
    .split(/\s+/u)
    .filter(Boolean);
  while (words.length > 1 && words[0] !== undefined && isNameTitle(words[0])) words.shift();
  return words.join(' ');
}

/** Edit distance counting a swap of neighbours as one edit ("Sonai" → "Sonia"). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** How many typos a name of this length may carry and still be recognised. */
function typoAllowance(length: number): number {
  if (length <= 4) return 0;
  if (length <= 8) return 1;
  return 2;
}

function only<T>(items: readonly T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

function words(normalised: string): string[] {
  return normalised.split(' ').filter(Boolean);
}

function firstAndLast(normalised: string): { first: string; last: string } {
  const parts = words(normalised);
  return { first: parts[0] ?? '', last: parts[parts.length - 1] ?? '' };
}

export interface MatchOptions {
  /** Allow small spelling mistakes (when unambiguous). Default true. */
  fuzzy?: boolean;
}

/**
 * The roster member a typed name means: exact, then ignoring case, accents, apostrophes and titles,
 * then a unique first name or surname ("Sonia", "Cllr Nicholson"), then — only when exactly one
 * member is that close — a small spelling mistake ("Melba Gnomes" → "Melba Gomes"). Undefined when
 * nobody or more than one person fits.
 */
export function matchOwner(
  name: string,
  roster: readonly RosterMember[],
  options: MatchOptions = {},
): RosterMember | undefined {
  const typed = name.trim();
  if (!typed || roster.length === 0) return undefined;

  const exact = roster.filter((member) => member.name.trim() === typed);
  if (exact.length > 0) return only(exact);

  const query = normaliseName(typed);
  if (!query) return undefined;
  const normalised = roster.map((member) => ({ member, name: normaliseName(member.name) }));
  const same = normalised.filter((entry) => entry.name === query);
  if (same.length > 0) return only(same)?.member;

  const byEmail = normalised.filter((entry) => entry.member.email?.toLowerCase() === typed.toLowerCase());
  if (byEmail.length > 0) return only(byEmail)?.member;

  const queryWords = words(query);
  const { first, last } = firstAndLast(query);
  const partial = normalised.filter((entry) => {
    const member = firstAndLast(entry.name);
    if (queryWords.length === 1) return member.first === query || member.last === query;
    // "Sonia A Khan" for "Sonia Khan", and "S Khan" for "Sonia Khan".
    const firstFits = member.first === first || (first.length === 1 && member.first.startsWith(first));
    return firstFits && member.last === last;
  });
  if (partial.length > 0) return only(partial)?.member;

  if (options.fuzzy === false) return undefined;
  const compact = query.replace(/ /gu, '');
  const close = normalised.filter((entry) => {
    if (queryWords.length === 1) {
      return words(entry.name).some((word) => editDistance(word, query) <= typoAllowance(query.length));
    }
    return editDistance(entry.name.replace(/ /gu, ''), compact) <= typoAllowance(compact.length);
  });
  return only(close)?.member;
}

/**
 * Names that a query like "actions for obrien" means, best first: the same name, then a whole word
 * ("khan"), then word beginnings ("son kh"), then a part ("obri"); small spelling mistakes only when
 * nothing else fits.
 */
export function fuzzyNameMatches(query: string, names: readonly string[]): string[] {
  const wanted = normaliseName(query);
  if (!wanted) return [];
  const wantedWords = words(wanted);
  const wantedCompact = wanted.replace(/ /gu, '');
  const scored: { name: string; score: number; order: number }[] = [];
  const seen = new Set<string>();
  names.forEach((name, order) => {
    if (seen.has(name)) return;
    seen.add(name);
    const candidate = normaliseName(name);
    const candidateWords = words(candidate);
    const candidateCompact = candidate.replace(/ /gu, '');
    let score: number | undefined;
    if (candidate === wanted || candidateCompact === wantedCompact) score = 0;
    else if (wantedWords.length === 1 && candidateWords.includes(wanted)) score = 1;
    else if (wantedWords.every((word) => candidateWords.some((own) => own.startsWith(word)))) score = 2;
    else if (wantedCompact.length >= 3 && candidateCompact.includes(wantedCompact)) score = 3;
    else {
      const allowance = typoAllowance(wantedCompact.length);
      const nearWhole = editDistance(candidateCompact, wantedCompact) <= allowance;
      const nearWord =
        wantedWords.length === 1 && candidateWords.some((own) => editDistance(own, wanted) <= allowance);
      if (allowance > 0 && (nearWhole || nearWord)) score = 4;
    }
    if (score !== undefined) scored.push({ name, score, order });
  });
  const exactEnough = scored.filter((entry) => entry.score < 4);
  return (exactEnough.length > 0 ? exactEnough : scored)
    .sort((a, b) => a.score - b.score || a.order - b.order)
    .map((entry) => entry.name);
}
