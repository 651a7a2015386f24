import { createRequire } from 'node:module';
import { CARD_BUDGET_BYTES, cardBytes, type AdaptiveCard } from '../../cards/adaptive.js';
import { verbByName } from '../../cards/verbs.js';

// The ESM build of adaptivecards does not resolve in Node; its UMD bundle does.
const require = createRequire(import.meta.url);
const AC = require('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => {
    parse(json: unknown, ctx: unknown): void;
    validateProperties(): { validationEvents: { message: string }[] };
  };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

/** Every problem Microsoft's Adaptive Cards parser and our verb declarations find in a card. */
export function cardProblems(card: AdaptiveCard): string[] {
  const problems: string[] = [];
  const ctx = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, ctx);
  for (let i = 0; i < ctx.eventCount; i++) problems.push(ctx.getEventAt(i).message);
  for (const e of parsed.validateProperties().validationEvents) problems.push(e.message);
  if (card.version !== '1.5') problems.push(`version ${card.version}, expected 1.5`);
  const bytes = cardBytes(card);
  if (bytes > CARD_BUDGET_BYTES) problems.push(`${bytes} bytes, over the 40 KB budget`);
  // The Playground's renderer (Microsoft's) treats a data field named `key` as its own and throws
  // on the click, so the button silently does nothing.
  if (buttonData(card).some((data) => Object.hasOwn(data, 'key'))) {
    problems.push("a button's data has a field named 'key', which the Teams renderer swallows");
  }
  for (const action of executeActions(card)) {
    const def = verbByName(action.verb);
    if (!def) problems.push(`undeclared verb ${action.verb}`);
    else if (!def.data.safeParse(action.data ?? {}).success)
      problems.push(`bad data for verb ${action.verb}`);
  }
  return problems;
}

/** The data of every Action.Execute and Action.Submit anywhere in a card. */
function buttonData(node: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if ((o.type === 'Action.Execute' || o.type === 'Action.Submit') && o.data && typeof o.data === 'object') {
      found.push(o.data as Record<string, unknown>);
    }
    Object.values(o).forEach(walk);
  };
  walk(node);
  return found;
}

/** All Action.Execute buttons anywhere in a card (body, action sets, show-cards, refresh). */
export function executeActions(
  node: unknown,
): { verb: string; title: string; data?: Record<string, unknown> }[] {
  const found: { verb: string; title: string; data?: Record<string, unknown> }[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.type === 'Action.Execute' && typeof o.verb === 'string') {
      found.push({
        verb: o.verb,
        title: String(o.title ?? ''),
        ...(o.data ? { data: o.data as Record<string, unknown> } : {}),
      });
    }
    Object.values(o).forEach(walk);
  };
  walk(node);
  return found;
}

/** The visible text of a card, for assertions. */
export function cardText(node: unknown): string {
  const parts: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if ((o.type === 'TextBlock' || o.type === 'TextRun') && typeof o.text === 'string') parts.push(o.text);
    if (o.type === 'FactSet' && Array.isArray(o.facts))
      for (const f of o.facts as { title: string; value: string }[]) parts.push(`${f.title}: ${f.value}`);
    Object.entries(o).forEach(([k, v]) => k !== 'facts' && walk(v));
  };
  walk(node);
  return parts.join('\n');
}

/**
 * The text of every TextBlock in a card. TextBlocks render markdown, so anything a person typed must
 * appear only in TextRuns: tests check it is not among these.
 */
export function textBlocks(node: unknown): string[] {
  const found: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') found.push(o.text);
    Object.values(o).forEach(walk);
  };
  walk(node);
  return found;
}
