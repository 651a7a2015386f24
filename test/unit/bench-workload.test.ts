import { describe, expect, it } from 'vitest';
import {
  benchPeople,
  MIX,
  MixedWorkload,
  PEOPLE_COUNT,
  roleEnv,
  seedActions,
  TURN_KINDS,
  type Draw,
  type TurnKind,
} from '../bench/lib/workload.js';

/** The bench's mixed workload (test/bench/lib/workload.ts): its mix, its bodies, its determinism. */

const AT = new Date('2026-02-12T09:30:00Z');
const SERVICE_URL = 'http://127.0.0.1:1/';
const people = benchPeople();
const seeded = seedActions(people, AT).actions;

function workload(seed = 42, tag = 'test') {
  return new MixedWorkload({ serviceUrl: SERVICE_URL, seed, tag, people, seeded, at: AT });
}

function draws(w: MixedWorkload, n: number): Draw[] {
  return Array.from({ length: n }, () => w.next());
}

type Activity = {
  id: string;
  type: string;
  text?: string;
  name?: string;
  serviceUrl: string;
  from: { id: string; name: string; aadObjectId: string };
  conversation: { id: string; conversationType: string };
  value?: { action: { type: string; verb: string; data: Record<string, unknown> } };
};

describe('the bench workload', () => {
  it('has 200 distinct people, a few officers and chairs, Dara O’Brien among the partners', () => {
    expect(people).toHaveLength(PEOPLE_COUNT);
    expect(new Set(people.map((p) => p.name)).size).toBe(PEOPLE_COUNT);
    expect(new Set(people.map((p) => p.aadObjectId)).size).toBe(PEOPLE_COUNT);
    expect(new Set(people.map((p) => p.conversationId)).size).toBe(PEOPLE_COUNT);
    expect(people.find((p) => p.name === "Dara O'Brien")?.role).toBe('partner');
    const roles = roleEnv(people);
    expect(roles.BOARD_OFFICERS.split(',')).toHaveLength(3);
    expect(roles.BOARD_CHAIRS.split(',')).toHaveLength(2);
  });

  it('draws each kind in its share of 10,000 requests, within 1.5 points', () => {
    const counts = new Map<TurnKind, number>();
    for (const d of draws(workload(), 10_000)) counts.set(d.kind, (counts.get(d.kind) ?? 0) + 1);
    expect(Object.values(MIX).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    for (const kind of TURN_KINDS) {
      const share = (counts.get(kind) ?? 0) / 10_000;
      expect(Math.abs(share - MIX[kind]), `${kind}: ${share}`).toBeLessThan(0.015);
    }
  });

  it('makes every body a valid Teams activity with its own id, from all 200 conversations', () => {
    const all = draws(workload(), 10_000);
    const ids = new Set<string>();
    const conversations = new Set<string>();
    for (const d of all) {
      const a = JSON.parse(d.body) as Activity;
      ids.add(a.id);
      conversations.add(a.conversation.id);
      expect(a.id).toBe(d.activityId);
      expect(a.serviceUrl).toBe(SERVICE_URL);
      expect(a.conversation.conversationType).toBe('personal');
      expect(a.from.aadObjectId).toBe(d.person.aadObjectId);
      expect(a.conversation.id).toBe(d.person.conversationId);
      if (d.activity === 'message') {
        expect(a.type).toBe('message');
        expect(a.text?.length).toBeGreaterThan(0);
      } else {
        expect(a.type).toBe('invoke');
        expect(a.name).toBe('adaptiveCard/action');
        expect(a.value?.action.type).toBe('Action.Execute');
        expect(a.value?.action.data.ref).toMatch(/^A-\d{4}$/);
      }
    }
    expect(ids.size).toBe(all.length);
    expect(conversations.size).toBe(PEOPLE_COUNT);
  });

  it('sends the same sequence for the same seed, and another for another seed', () => {
    const a = draws(workload(7), 2_000).map((d) => d.body);
    const b = draws(workload(7), 2_000).map((d) => d.body);
    const c = draws(workload(8), 2_000).map((d) => d.body);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('keeps activity ids apart between workloads with different tags', () => {
    const a = new Set(draws(workload(7, 'bot'), 500).map((d) => d.activityId));
    expect(draws(workload(7, 'echo'), 500).some((d) => a.has(d.activityId))).toBe(false);
  });

  it('asks about actions as people type them, and logs them in the documented form', () => {
    const texts = draws(workload(), 5_000);
    const queries = texts.filter((d) => d.kind === 'query').map((d) => JSON.parse(d.body).text as string);
    expect(queries).toContain('my actions');
    expect(queries).toContain("actions for Dara O'Brien");
    expect(queries.some((t) => /overdue/i.test(t))).toBe(true);
    const logs = texts.filter((d) => d.kind === 'log').map((d) => JSON.parse(d.body).text as string);
    for (const t of logs) expect(t).toMatch(/^action: .+ to .+ by .+$/);
  });

  it('acts with card buttons only on seeded actions, then on logged ones once their turns are answered', () => {
    const w = workload();
    const verbs = (list: Draw[]) => list.filter((d) => d.kind === 'verb');
    // Before any logging turn is answered: seeded actions only, each by its owner.
    const first = verbs(draws(w, 1_000));
    expect(first.length).toBeGreaterThan(0);
    for (const d of first) {
      const n = Number(d.ref?.slice(2));
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(seeded.length);
      expect(d.person.aadObjectId).toBe(seeded[n - 1]!.owner.aadObjectId);
    }
    // Answer 50 logging turns: the next verbs close A-0301… in order, by officers and chairs.
    for (let i = 0; i < 50; i++) w.answered(w.next('log'), 200, '', 5);
    const next = verbs(draws(w, 1_000)).filter((d) => d.what.endsWith('(logged)'));
    expect(next.length).toBeGreaterThan(0);
    expect(next.map((d) => d.ref)).toEqual(
      next.map((_, i) => `A-${String(seeded.length + 1 + i).padStart(4, '0')}`),
    );
    expect(next.every((d) => d.person.role !== 'partner')).toBe(true);
    expect(w.progress().closed).toBeLessThanOrEqual(w.progress().logged);
  });

  it('counts answers per kind', () => {
    const w = workload();
    const d = w.next('help');
    w.answered(d, 200, '', 3);
    w.answered(w.next('help'), 500, 'boom', 4);
    const s = w.stats().help;
    expect(s).toMatchObject({ sent: 2, answered: 2, ok: 1, non2xx: 1 });
    expect(s.latencyMs).toEqual([3, 4]);
    expect(Object.keys(w.surprises())).toEqual(['help: 500']);
    w.resetStats();
    expect(w.stats().help.sent).toBe(0);
  });
});
