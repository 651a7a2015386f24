import { loadPack, type AgendaContext, type LoadedPack } from './context.js';
import { LIMITS } from './model.js';
import { refreshPosted } from './publishing.js';
import { isWebAddress } from './validate.js';
import { hasStarted } from './views.js';

/**
 * After the meeting the officer records what was resolved on each item and links the minutes; the
 * posted pack shows them. An empty box keeps a decision, "-" clears it. Once the meeting has started
 * and something is recorded, the meeting counts as held.
 */

export type DecisionsOutcome =
  { kind: 'recorded'; pack: LoadedPack; changed: number } | { kind: 'message'; message: string };

export async function recordDecisions(
  ctx: AgendaContext,
  req: { ref: string; decisions: Map<string, string>; minutesUrl?: string; at: Date },
): Promise<DecisionsOutcome> {
  const pack = await loadPack(ctx, req.ref);
  if (!pack) return { kind: 'message', message: `I can't find meeting ${req.ref}.` };
  const m = pack.meeting;
  if (m.status === 'Draft')
    return { kind: 'message', message: `${req.ref} is not published yet; decisions come after the meeting.` };
  if (m.status === 'Cancelled') return { kind: 'message', message: `${req.ref} was discarded.` };

  const problems: string[] = [];
  const live = new Map(pack.items.filter((i) => !i.withdrawn).map((i) => [i.number.toLowerCase(), i]));
  for (const [number, text] of req.decisions) {
    if (!live.has(number.toLowerCase())) problems.push(`There is no item ${number} in ${req.ref}.`);
    if (text.length > LIMITS.decision)
      problems.push(`The decision for item ${number} is too long (at most ${LIMITS.decision} characters).`);
  }
  const minutesUrl = req.minutesUrl?.trim();
  if (minutesUrl && !isWebAddress(minutesUrl))
    problems.push(
      `The minutes link "${minutesUrl.slice(0, 80)}" is not a web address. Give the full link, starting with https://.`,
    );
  if (problems.length)
    return { kind: 'message', message: ['Nothing was saved:', ...problems.map((p) => `- ${p}`)].join('\n') };

  let changed = 0;
  for (const [number, raw] of req.decisions) {
    const text = raw.trim();
    if (!text) continue;
    const item = live.get(number.toLowerCase())!;
    const next = text === '-' ? null : text;
    if ((item.decision ?? null) === next) continue;
    await ctx.store.updateItem(item.id, (current) =>
      (current.decision ?? null) === next ? undefined : { Decision: next },
    );
    changed++;
  }
  const held = hasStarted(m, req.at) && (changed > 0 || Boolean(minutesUrl) || m.status === 'Held');
  if ((minutesUrl && minutesUrl !== m.minutesUrl) || (held && m.status !== 'Held')) {
    await ctx.store.updateMeeting(m.id, (current) => {
      const patch = {
        ...(minutesUrl && minutesUrl !== current.minutesUrl ? { MinutesUrl: minutesUrl } : {}),
        ...(held && current.status === 'Published' ? { Status: 'Held' as const } : {}),
      };
      return Object.keys(patch).length ? patch : undefined;
    });
    if (minutesUrl && minutesUrl !== m.minutesUrl) changed++;
  }
  if (changed) await refreshPosted(ctx, req.ref, { items: true, now: req.at });
  return { kind: 'recorded', pack: (await loadPack(ctx, req.ref))!, changed };
}
