import type { ListsError } from '../../sharepoint/index.js';
import { TELEMETRY_EVENTS, trackEvent } from '../../telemetry.js';
import type { ActionRecord } from './model.js';
import type { ImportRow } from './import-table.js';
import { newActionFields, type Who } from './service.js';
import type { ActionStore } from './store.js';

/**
 * Confirming an import: each row's SourceKey is the import's key and its line, so a second Confirm
 * (or the same click delivered twice) finds the rows already there and creates only what is missing.
 * Telemetry hears of an import as one ActionLogged with counts, not one per row: minutes of a hundred
 * actions are one thing an officer did, and a hundred events would swamp the board's others.
 */

export interface ImportResult {
  created: ActionRecord[];
  already: ActionRecord[];
  failed: { line: number; error: ListsError }[];
}

export function rowKey(importKey: string, line: number): string {
  return `imp:${importKey}:${line}`;
}

export async function importActions(
  store: ActionStore,
  rows: readonly ImportRow[],
  who: Who,
  at: Date,
  importKey: string,
): Promise<ImportResult> {
  const existing = await store.bySourceKeyPrefix(`imp:${importKey}:`);
  const byKey = new Map(existing.map((r) => [r.sourceKey, r]));
  const missing = rows.filter((row) => !byKey.has(rowKey(importKey, row.line)));
  const already = rows.flatMap((row) => {
    const found = byKey.get(rowKey(importKey, row.line));
    return found ? [found] : [];
  });
  const fields = missing.map((row) =>
    newActionFields({
      draft: row.draft,
      who,
      at,
      sourceKey: rowKey(importKey, row.line),
      how: 'from minutes (import)',
      noOwner: 'nobody',
    }),
  );
  const { results, failures } = await store.createMany(fields);
  const created: ActionRecord[] = [];
  results.forEach((result) => {
    if (!result) return;
    (result.created ? created : already).push(result.record);
  });
  if (created.length)
    trackEvent(TELEMETRY_EVENTS.actionLogged, {
      source: 'import',
      count: created.length,
      already: already.length,
      failed: failures.length,
      owners: created.reduce((n, r) => n + r.owners.length, 0),
      unowned: created.filter((r) => r.owners.length === 0).length,
      tentative: created.filter((r) => r.tentative).length,
    });
  return {
    created,
    already,
    failed: failures.map((f) => ({ line: missing[f.index]?.line ?? 0, error: f.error })),
  };
}
