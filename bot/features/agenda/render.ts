import { cardBytes, type AdaptiveCard } from '../../../cards/adaptive.js';
import {
  packCard,
  packPartCard,
  packSummaryCard,
  type ItemView,
  type PackView,
  type PartView,
  type ViewerView,
} from '../../../cards/agenda.js';

/**
 * A pack as messages. Teams refuses a message over about 40 KB, and the delivery log stores each
 * planned message whole, so a pack that would not fit one card comfortably becomes a summary card
 * plus item cards, each well under the limit: never a failed send.
 */

/** Room for the activity around the card. */
export const PACK_BUDGET_BYTES = 28 * 1024;

export interface RenderedPack {
  /** The pack card, or the summary of a long pack. */
  main: AdaptiveCard;
  /** Item cards of a long pack (empty when it fits on one card). */
  parts: AdaptiveCard[];
  partViews: PartView[];
}

/** Items grouped so that each item card fits the budget. */
export function splitItems(vm: PackView, budget = PACK_BUDGET_BYTES): ItemView[][] {
  const groups: ItemView[][] = [];
  let current: ItemView[] = [];
  const fits = (items: ItemView[]) =>
    // Measured as a middle part (both neighbour buttons) with the widest item numbers.
    cardBytes(packPartCard(vm, items, { index: 2, count: 3, from: '999', to: '999' }, true)) <= budget;
  for (const item of vm.items) {
    if (current.length && !fits([...current, item])) {
      groups.push(current);
      current = [];
    }
    current.push(item);
  }
  if (current.length) groups.push(current);
  return groups;
}

export function partViewsOf(groups: ItemView[][]): PartView[] {
  return groups.map((g, i) => ({
    index: i + 1,
    count: groups.length,
    from: g[0]?.number ?? '',
    to: g[g.length - 1]?.number ?? '',
  }));
}

/**
 * The pack for a viewer. `inThread`: the item cards follow the summary in its thread (the channel
 * post); otherwise the summary has buttons to open them (a personal copy, a card on request).
 */
export function renderPack(
  vm: PackView,
  viewer: ViewerView,
  options: { supplementKey?: string; inThread?: boolean; budget?: number } = {},
): RenderedPack {
  const budget = options.budget ?? PACK_BUDGET_BYTES;
  const whole = packCard(vm, viewer, options);
  if (cardBytes(whole) <= budget) return { main: whole, parts: [], partViews: [] };
  const groups = splitItems(vm, budget);
  const partViews = partViewsOf(groups);
  let summary: AdaptiveCard | undefined;
  const tries = [
    { titleMax: 90 },
    { titleMax: 50 },
    { titleMax: 24 },
    { titleMax: 24, maxLines: 50 },
    { titleMax: 24, maxLines: 0 },
  ];
  for (const t of tries) {
    summary = packSummaryCard(vm, viewer, partViews, { ...options, ...t, showParts: !options.inThread });
    if (cardBytes(summary) <= budget) break;
  }
  return {
    main: summary!,
    parts: groups.map((g, i) => packPartCard(vm, g, partViews[i]!, !options.inThread)),
    partViews,
  };
}
