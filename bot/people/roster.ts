/**
 * Matching the names people type ("Sonia", "Cllr Nicholson", "obrien") to the team's members, for
 * every feature (an action's owners, a consultation's chosen people). A wrong match assigns someone
 * else's action or asks the wrong person, so every loose step only counts when it is unambiguous.
 */

export interface RosterMember {
  /** Entra object id. */
  id: string;
  name: string;
  email?: string;
  upn?: string;
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

/** Names already normalised: the same few dozen owners are compared on every question. */
const normalised = new Map<string, string>();
const NORMALISED_MAX = 5_000;

/**
 * A name reduced for comparison: lower case, no accents, no apostrophes, hyphens as spaces, no titles,
 * "Khan, Sonia" turned round and "(Hackney Council)" dropped. "Ma'am Claire Crawley" → "claire crawley".
 */
export function normaliseName(name: string): string {
  let result = normalised.get(name);
  if (result === undefined) {
    result = normaliseNameOnce(name);
    if (normalised.size >= NORMALISED_MAX) normalised.clear();
    normalised.set(name, result);
  }
  return result;
}

function normaliseNameOnce(name: string): string {
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

/**
 * Edit distance counting a swap of neighbours as one edit ("Sonai" → "Sonia"). With `max`, the
 * exact distance when it is at most `max`, and some number above `max` otherwise (found early, without
 * finishing the table): `editDistance(a, b, max) <= max` exactly when `editDistance(a, b) <= max`.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const rows = a.length;
  const cols = b.length;
  // Every edit changes the length by at most one.
  if (Math.abs(rows - cols) > max) return max + 1;
  if (rows === 0 || cols === 0) return Math.max(rows, cols);
  // Three rows of the table: two back (for swaps), the previous one and the one being filled.
  let twoBack = new Array<number>(cols + 1).fill(0);
  let previous = Array.from({ length: cols + 1 }, (_, j) => j);
  let current = new Array<number>(cols + 1).fill(0);
  let previousMin = 0;
  for (let i = 1; i <= rows; i += 1) {
    const ai = a.charCodeAt(i - 1);
    const aBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= cols; j += 1) {
      const bj = b.charCodeAt(j - 1);
      const diagonal = previous[j - 1]! + (ai === bj ? 0 : 1);
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, diagonal);
      if (j > 1 && ai === b.charCodeAt(j - 2) && aBefore === bj) best = Math.min(best, twoBack[j - 2]! + 1);
      current[j] = best;
      if (best < rowMin) rowMin = best;
    }
    // Costs only grow along a path, and a path passes through this row or the one before (a swap
    // skips one row, never two): when both are past `max`, so is the distance.
    if (rowMin > max && previousMin > max) return max + 1;
    [twoBack, previous, current] = [previous, current, twoBack];
    previousMin = rowMin;
  }
  return previous[cols]!;
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
  return only(candidatesFor(name, roster, options));
}

/**
 * Everyone a typed name could mean, by the steps of `matchOwner`: the members of the first step that
 * finds any (several when the name is ambiguous), or nobody.
 */
export function candidatesFor(
  name: string,
  roster: readonly RosterMember[],
  options: MatchOptions = {},
): RosterMember[] {
  const typed = name.trim();
  if (!typed || roster.length === 0) return [];

  const exact = roster.filter((member) => member.name.trim() === typed);
  if (exact.length > 0) return exact;

  const query = normaliseName(typed);
  if (!query) return [];
  const members = roster.map((member) => ({ member, name: normaliseName(member.name) }));
  const same = members.filter((entry) => entry.name === query);
  if (same.length > 0) return same.map((entry) => entry.member);

  const typedLower = typed.toLowerCase();
  const byEmail = members.filter(
    (entry) =>
      entry.member.email?.toLowerCase() === typedLower || entry.member.upn?.toLowerCase() === typedLower,
  );
  if (byEmail.length > 0) return byEmail.map((entry) => entry.member);

  const queryWords = words(query);
  const { first, last } = firstAndLast(query);
  const partial = members.filter((entry) => {
    const member = firstAndLast(entry.name);
    if (queryWords.length === 1) return member.first === query || member.last === query;
    // "Sonia A Khan" for "Sonia Khan", and "S Khan" for "Sonia Khan".
    const firstFits = member.first === first || (first.length === 1 && member.first.startsWith(first));
    return firstFits && member.last === last;
  });
  if (partial.length > 0) return partial.map((entry) => entry.member);

  if (options.fuzzy === false) return [];
  const compact = query.replace(/ /gu, '');
  const allowance = typoAllowance(compact.length);
  const close = members.filter((entry) => {
    if (queryWords.length === 1) {
      return words(entry.name).some((word) => editDistance(word, query, allowance) <= allowance);
    }
    return editDistance(entry.name.replace(/ /gu, ''), compact, allowance) <= allowance;
  });
  return close.map((entry) => entry.member);
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
  // Small spelling mistakes, only for names long enough to tell apart.
  const allowance = typoAllowance(wantedCompact.length);
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
    else if (allowance > 0) {
      const near = (x: string, y: string) => editDistance(x, y, allowance) <= allowance;
      const nearWhole = near(candidateCompact, wantedCompact);
      const nearWord =
        !nearWhole && wantedWords.length === 1 && candidateWords.some((own) => near(own, wanted));
      if (nearWhole || nearWord) score = 4;
    }
    if (score !== undefined) scored.push({ name, score, order });
  });
  const exactEnough = scored.filter((entry) => entry.score < 4);
  return (exactEnough.length > 0 ? exactEnough : scored)
    .sort((a, b) => a.score - b.score || a.order - b.order)
    .map((entry) => entry.name);
}
