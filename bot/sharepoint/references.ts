import type { ColumnOf } from './fields.js';
import type { ListRepository } from './list-repository.js';

/**
 * Human references (A-0042, M-0007, C-0003) without `$orderby`: sorting list items is undocumented
 * in Graph (microsoft-graph-docs#14191), so "the highest reference" is never read by sorting. The
 * reference column is unique and indexed, so each number is a claim: a create that takes a number
 * already held is refused as a duplicate (whatever status SharePoint answers it with) and the next
 * is tried. To start from the right place, the highest claimed number is found by probing the
 * unique column with `eq` (one selective indexed clause, documented grammar): gallop up by doubling,
 * then halve the gap. That costs about 2·log2(n) small reads, once per process, and a few more when
 * another process has claimed numbers meanwhile (probing resumes from the number that clashed).
 *
 * Numbers are dense (the bot never deletes an item with a reference); if an admin deletes one, the
 * probe may land below the true highest, and the unique column still refuses any number in use.
 */
export async function highestClaimed(
  exists: (n: number) => Promise<boolean>,
  /** A number known to be claimed (0: none known). */
  from = 0,
): Promise<number> {
  let low = Math.max(0, Math.floor(from));
  let step = 1;
  while (await exists(low + step)) {
    low += step;
    step *= 2;
  }
  let high = low + step; // not claimed
  while (high - low > 1) {
    const mid = low + Math.floor((high - low) / 2);
    if (await exists(mid)) low = mid;
    else high = mid;
  }
  return low;
}

/** `highestClaimed` over a list's unique reference column. */
export function referenceProbe<F extends object>(
  repo: ListRepository<F>,
  column: ColumnOf<F>,
  format: (n: number) => string,
): (from?: number) => Promise<number> {
  const exists = (n: number) => repo.holds(column, format(n));
  return (from = 0) => highestClaimed(exists, from);
}
