import { seededRandom } from '../../../infra/local/faults.js';
import type { ActionFields } from '../../../bot/sharepoint/index.js';
import { cardAction, message } from '../../support/activities.js';

/**
 * A mixed workload for load and soak runs: each request is a Teams-shaped activity from one of 200
 * personal conversations (200 people: a few officers and chairs, the rest partners), drawn from a
 * fixed mix with a seeded PRNG, so two runs with the same seed send the same sequence of turns.
 *
 * The mix, per request (MIX below):
 *
 * | kind      | share | what                                                                      |
 * | --------- | ----: | ------------------------------------------------------------------------- |
 * | `help`    |  30 % | "help" and its variants                                                   |
 * | `query`   |  25 % | "my actions" (2/5), "actions for <name>" (2/5), "what's overdue" (1/5)     |
 * | `log`     |  12 % | "action: <name> to <task> by <when>"                                      |
 * | `verb`    |  13 % | an `adaptiveCard/action` invoke on an action that exists (see below)       |
 * | `read`    |  10 % | "consult", "consult C-0001", "agenda", "agenda M-0001"                    |
 * | `unknown` |  10 % | chat the bot does not understand ("thanks", "tell me a joke", …)           |
 *
 * Card verbs act only on actions that exist: first on the actions this workload logged (once the
 * bot has answered the turn that logged them), which an officer or a chair drops or undoes, so the
 * open actions stay about as many as were seeded however long the run; when none is waiting, the
 * owner of a seeded action marks it done (or reopens it if it is done), adds a note, or shows it.
 * That is why logging is 12 % and card verbs 13 % rather than 15 % and 10 %: with more logged than
 * closed, every "my actions" would read a longer list as the run goes on, and a soak would measure
 * the list's growth, not the bot. Closing by drop or undo, not by "done", keeps the "done in the last
 * 30 days" list (which every question also reads) from growing as well; each is the same code path
 * as "done" (read by reference, ETag write, card).
 *
 * Kinds, people and texts depend only on the seed and the draw's position; which action a verb
 * acts on also depends on the answers so far (`answered`). Bodies are built from per-person JSON
 * templates, so a draw costs a few concatenations.
 */

export type TurnKind = 'help' | 'query' | 'log' | 'verb' | 'read' | 'unknown';

export const MIX: Readonly<Record<TurnKind, number>> = {
  help: 0.3,
  query: 0.25,
  log: 0.12,
  verb: 0.13,
  read: 0.1,
  unknown: 0.1,
};

export const TURN_KINDS = Object.keys(MIX) as TurnKind[];

export interface BenchPerson {
  /** Bot Framework channel account id. */
  id: string;
  aadObjectId: string;
  name: string;
  role: 'officer' | 'chair' | 'partner';
  /** Their personal chat with the bot. */
  conversationId: string;
}

export const PEOPLE_COUNT = 200;

const OFFICERS = ['Sonia Khan', 'Tim Shields', 'Stephen Haynes'];
const CHAIRS = ['Mayor Philip Glanville', 'Amira Mensah'];
/** People the questions ask about by name, always among the partners. */
const NAMED_PARTNERS = ["Dara O'Brien", 'Jake Ferguson', 'Zoë Müller-Jones', 'Siobhán Ní Bhriain'];
const FIRST = [
  'Kwame',
  'Helen',
  'Priya',
  'Rachel',
  'David',
  'Claire',
  'Melba',
  'Rory',
  'Aisha',
  'Tomasz',
  'Grace',
  'Femi',
  'Joanna',
  'Olu',
  'Niamh',
  'Hannah',
  'Mehmet',
  'Chloé',
  'Yusuf',
  'Beatriz',
];
const LAST = [
  'Begum',
  'Duke',
  'Maher',
  'Crawley',
  'Gomes',
  'McCallum',
  'Okafor',
  'Nowak',
  'Shah',
  "D'Souza",
  'Adeyemi',
  'Clarke',
  'Yilmaz',
  'Kowalczyk',
  'Fitzgerald',
  'Adebayo-Smith',
];

/** The 200 people, in a fixed order: officers, chairs, the named partners, then the rest. */
export function benchPeople(count = PEOPLE_COUNT): BenchPerson[] {
  const names: { name: string; role: BenchPerson['role'] }[] = [
    ...OFFICERS.map((name) => ({ name, role: 'officer' as const })),
    ...CHAIRS.map((name) => ({ name, role: 'chair' as const })),
    ...NAMED_PARTNERS.map((name) => ({ name, role: 'partner' as const })),
  ];
  const taken = new Set(names.map((n) => n.name));
  for (let i = 0; names.length < count && i < FIRST.length * LAST.length; i++) {
    // Walk the grid diagonally so neighbours differ in both names.
    const name = `${FIRST[i % FIRST.length]} ${LAST[(i + Math.floor(i / FIRST.length)) % LAST.length]}`;
    if (taken.has(name)) continue;
    taken.add(name);
    names.push({ name, role: 'partner' });
  }
  if (names.length < count) throw new Error(`only ${names.length} distinct names for ${count} people`);
  return names.slice(0, count).map(({ name, role }, k) => ({
    id: `29:bench-person-${k}`,
    aadObjectId: `00000000-0000-4000-8000-${String(k + 1).padStart(12, '0')}`,
    name,
    role,
    conversationId: `a:bench-personal-${k}`,
  }));
}

/** BOARD_OFFICERS and BOARD_CHAIRS for the bot, by Entra object id. */
export function roleEnv(people: readonly BenchPerson[]): { BOARD_OFFICERS: string; BOARD_CHAIRS: string } {
  const ids = (role: BenchPerson['role']) =>
    people
      .filter((p) => p.role === role)
      .map((p) => p.aadObjectId)
      .join(',');
  return { BOARD_OFFICERS: ids('officer'), BOARD_CHAIRS: ids('chair') };
}

// ── the seeded board ──

export const SEEDED_ACTIONS = 300;
export const CONSULTATION_REF = 'C-0001';
export const MEETING_REF = 'M-0001';

export interface SeededAction {
  ref: string;
  owner: BenchPerson;
  open: boolean;
}

export interface Seed {
  /** In reference order: created through `ActionStore.createMany` on an empty list, they are A-0001… */
  fields: Omit<ActionFields, 'ActionRef'>[];
  actions: SeededAction[];
}

const TASKS = [
  'circulate the draft strategy',
  'send the minutes to partners',
  'book Committee Room 102 for the next meeting',
  'share the Hackney Works slides',
  'confirm the venue with the Town Hall',
  'check the figures in the needs assessment',
  'write to the CCG about the consultation',
  'update the risk register',
  "bring the children's partnership report",
  'arrange a briefing for new members',
];

const formatActionRef = (n: number) => `A-${String(n).padStart(4, '0')}`;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * 300 actions owned by the 200 people (most by one, some by two), about 70 % open (a third of
 * those overdue) and 30 % done, so every question has something to list.
 */
export function seedActions(people: readonly BenchPerson[], at: Date, count = SEEDED_ACTIONS): Seed {
  const day = 86_400_000;
  const loggedBy = people.find((p) => p.role === 'officer')?.name ?? 'Sonia Khan';
  const fields: Seed['fields'] = [];
  const actions: SeededAction[] = [];
  for (let i = 0; i < count; i++) {
    const owner = people[(i * 7) % people.length]!;
    const second = i % 9 === 0 ? people[(i * 7 + 31) % people.length] : undefined;
    const open = i % 10 < 7;
    const status = open ? (i % 4 === 0 ? 'In progress' : 'Open') : 'Done';
    const dueInDays = open ? (i % 13) * 10 - 40 : -((i % 20) + 1);
    const owners = second && second !== owner ? [owner, second] : [owner];
    fields.push({
      Title: `${owner.name} to ${TASKS[i % TASKS.length]}`,
      Owners: owners.map((o) => o.name).join('; '),
      OwnerIds: owners.map((o) => o.aadObjectId).join('; '),
      DueDate: isoDay(at.getTime() + dueInDays * day),
      Status: status,
      SourceKey: `bench-seed:${i}`,
      LoggedBy: loggedBy,
    });
    actions.push({ ref: formatActionRef(i + 1), owner, open });
  }
  return { fields, actions };
}

const pick = <T>(list: readonly T[], r: number): T =>
  list[Math.min(list.length - 1, Math.floor(r * list.length))]!;

// ── the draws ──

export interface Draw {
  /** Position in the sequence, from 0. */
  seq: number;
  kind: TurnKind;
  /** The exact variant: "my actions", "actions for", "actions.drop", … */
  what: string;
  person: BenchPerson;
  /** A `message` is answered through the connector; an `invoke` answers in the HTTP body. */
  activity: 'message' | 'invoke';
  /** The activity id (unique per draw). */
  activityId: string;
  body: string;
  /** For card verbs: the action acted on. */
  ref?: string;
}

export interface KindStats {
  sent: number;
  answered: number;
  ok: number;
  non2xx: number;
  /** Invokes whose answer was a card, and those answered with a message (a refusal, "not found"…). */
  cards: number;
  messages: number;
  latencyMs: number[];
}

export interface WorkloadOptions {
  /** The connector stand-in the bot replies to. */
  serviceUrl: string;
  seed: number;
  /** Goes into every activity id, so that two workloads never share one. */
  tag: string;
  people?: readonly BenchPerson[];
  /** The seeded actions (for verbs and questions); without them verbs act only on logged ones. */
  seeded?: readonly SeededAction[];
  /** Activities' timestamp; now by default. */
  at?: Date;
}

const HELP = ['help', 'help', 'Help', 'help me', 'what can you do', 'commands', 'hi', '?'];
const OVERDUE = ["what's overdue", "What's overdue?", 'is anything overdue', 'overdue actions'];
const WHEN = [
  'next Friday',
  'end of next month',
  '30 September',
  'the next meeting',
  '14/08/2031',
  'end of June',
];
const READS = ['consult', `consult ${CONSULTATION_REF}`, 'agenda', `agenda ${MEETING_REF}`];
const UNKNOWN = [
  'thanks',
  'thank you!',
  'tell me a joke',
  "what's the weather like",
  'can you book me a taxi',
  'who won the match last night',
  'good morning',
  'ok 👍',
  'lunch?',
  'is the car park open on Saturday',
];
const NOTES = ['chased by email', 'on track for the next meeting', 'waiting for the figures', 'draft shared'];
/** Logged actions are closed only once this many more logging turns have been answered. */
const CLOSE_LAG = 2;
/** Bodies kept per variant to explain a surprising answer. */
const SAMPLES = 3;

/** A draw before its body is built: a message's text, or an invoke's verb and data. */
interface Pending {
  what: string;
  person: BenchPerson;
  activity: 'message' | 'invoke';
  text?: string;
  verb?: string;
  data?: unknown;
  ref?: string;
}

/** An activity as JSON, split around its `"@@name@@"` markers: [text, name, text, name, …, text]. */
function template(activity: unknown): string[] {
  return JSON.stringify(activity).split(/"@@(\w+)@@"/);
}

function fill(parts: readonly string[], values: Record<string, string>): string {
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) out += values[parts[i]!]! + parts[i + 1]!;
  return out;
}

export class MixedWorkload {
  readonly people: readonly BenchPerson[];
  private readonly random: () => number;
  private readonly messages: string[][];
  private readonly invokes: string[][];
  private readonly seeded: { ref: string; owner: BenchPerson; open: boolean }[];
  private readonly closers: BenchPerson[];
  /** Asked about by name more than anyone else. */
  private readonly dara: BenchPerson | undefined;
  private readonly cumulative: [TurnKind, number][];
  private seq = 0;
  /** Logging turns the bot has answered 2xx: A-(seeded + 1) … A-(seeded + loggedAnswered) exist. */
  private loggedAnswered = 0;
  private closed = 0;
  private readonly byKind = new Map<TurnKind, KindStats>();
  private readonly samples = new Map<string, string[]>();
  /** Requests sent per variant ("my actions", "actions.drop (logged)", …). */
  private readonly variants = new Map<string, number>();

  constructor(private readonly opts: WorkloadOptions) {
    this.people = opts.people ?? benchPeople();
    this.random = seededRandom(opts.seed);
    this.seeded = (opts.seeded ?? []).map((a) => ({ ...a }));
    this.closers = this.people.filter((p) => p.role !== 'partner');
    this.dara = this.people.find((p) => p.name === "Dara O'Brien");
    if (!this.closers.length) throw new Error('the workload needs at least one officer or chair');
    let sum = 0;
    this.cumulative = TURN_KINDS.map((k) => [k, (sum += MIX[k])]);
    const timestamp = (opts.at ?? new Date()).toISOString();
    this.messages = this.people.map((p) => {
      const where = { serviceUrl: opts.serviceUrl, conversationId: p.conversationId };
      return template({ ...message('@@text@@', p, where), id: '@@id@@', timestamp });
    });
    this.invokes = this.people.map((p) => {
      const where = { serviceUrl: opts.serviceUrl, conversationId: p.conversationId };
      const a = cardAction('@@verb@@', {}, p, where);
      return template({
        ...a,
        id: '@@id@@',
        timestamp,
        value: { ...a.value, action: { ...a.value.action, data: '@@data@@' } },
      });
    });
    for (const k of TURN_KINDS)
      this.byKind.set(k, { sent: 0, answered: 0, ok: 0, non2xx: 0, cards: 0, messages: 0, latencyMs: [] });
  }

  /** The next request; `kind` forces the kind (the draw still takes its random numbers). */
  next(kind?: TurnKind): Draw {
    const seq = this.seq++;
    // Always five numbers a draw, so that what follows never depends on which branch ran.
    const r = [this.random(), this.random(), this.random(), this.random(), this.random()] as const;
    const chosen = kind ?? this.cumulative.find(([, c]) => r[0] < c)?.[0] ?? 'unknown';
    const activityId = `bench-${this.opts.tag}-${seq}`;
    const sender = pick(this.people, r[1]);
    let draw: Pending;
    switch (chosen) {
      case 'help':
        draw = { what: 'help', person: sender, activity: 'message', text: pick(HELP, r[2]) };
        break;
      case 'query': {
        if (r[2] < 0.4) {
          draw = { what: 'my actions', person: sender, activity: 'message', text: 'my actions' };
        } else if (r[2] < 0.8) {
          const about = (r[3] < 0.15 ? this.dara : undefined) ?? pick(this.people, r[4]);
          // Sometimes as people type it: a surname in lower case, a curly apostrophe.
          const name =
            r[3] < 0.05
              ? 'obrien'
              : r[3] < 0.1
                ? about.name.replace("'", '’')
                : r[3] > 0.9
                  ? lastName(about)
                  : about.name;
          draw = { what: 'actions for', person: sender, activity: 'message', text: `actions for ${name}` };
        } else {
          draw = { what: "what's overdue", person: sender, activity: 'message', text: pick(OVERDUE, r[3]) };
        }
        break;
      }
      case 'log': {
        const owner = r[2] < 0.4 ? sender : pick(this.people, r[3]);
        // r[2] decided the owner; its lower digits pick the due phrase independently of that.
        const text = `action: ${owner.name} to ${pick(TASKS, r[4])} by ${pick(WHEN, (r[2] * 1000) % 1)}`;
        draw = { what: 'log', person: sender, activity: 'message', text };
        break;
      }
      case 'verb':
        draw = this.verb(r);
        break;
      case 'read':
        draw = { what: pick(READS, r[2]), person: sender, activity: 'message', text: pick(READS, r[2]) };
        break;
      case 'unknown':
        draw = { what: 'unknown', person: sender, activity: 'message', text: pick(UNKNOWN, r[2]) };
        break;
    }
    const index = this.people.indexOf(draw.person);
    const body =
      draw.activity === 'message'
        ? fill(this.messages[index]!, { id: JSON.stringify(activityId), text: JSON.stringify(draw.text) })
        : fill(this.invokes[index]!, {
            id: JSON.stringify(activityId),
            verb: JSON.stringify(draw.verb),
            data: JSON.stringify(draw.data),
          });
    this.byKind.get(chosen)!.sent++;
    this.variants.set(draw.what, (this.variants.get(draw.what) ?? 0) + 1);
    return {
      seq,
      kind: chosen,
      what: draw.what,
      person: draw.person,
      activity: draw.activity,
      activityId,
      body,
      ...(draw.ref ? { ref: draw.ref } : {}),
    };
  }

  private verb(r: readonly number[]): Pending {
    const base = this.seeded.length;
    if (this.closed < this.loggedAnswered - CLOSE_LAG) {
      // The oldest logged action not yet closed: an officer or a chair drops or undoes it.
      const ref = formatActionRef(base + 1 + this.closed++);
      const person = pick(this.closers, r[2]!);
      return r[3]! < 0.5
        ? {
            what: 'actions.drop (logged)',
            person,
            activity: 'invoke',
            verb: 'actions.drop',
            data: { ref, reason: 'No longer needed: covered by the refreshed strategy' },
            ref,
          }
        : {
            what: 'actions.undo (logged)',
            person,
            activity: 'invoke',
            verb: 'actions.undo',
            data: { ref },
            ref,
          };
    }
    const item = this.seeded.length ? pick(this.seeded, r[4]!) : undefined;
    if (!item) {
      // Nothing seeded and nothing logged yet: a card button that needs no action.
      const person = pick(this.people, r[2]!);
      return { what: 'help.role', person, activity: 'invoke', verb: 'help.role', data: {} };
    }
    const ref = item.ref;
    const person = item.owner;
    if (r[3]! < 0.6) {
      // The owner marks it done, or reopens it if it is done.
      const verb = item.open ? 'actions.done' : 'actions.start';
      item.open = !item.open;
      return { what: `${verb} (seeded)`, person, activity: 'invoke', verb, data: { ref }, ref };
    }
    if (r[3]! < 0.85) {
      const note = `${pick(NOTES, r[2]!)} (${this.opts.tag} ${this.seq})`;
      return {
        what: 'actions.note (seeded)',
        person,
        activity: 'invoke',
        verb: 'actions.note',
        data: { ref, note },
        ref,
      };
    }
    return {
      what: 'actions.show (seeded)',
      person,
      activity: 'invoke',
      verb: 'actions.show',
      data: { ref },
      ref,
    };
  }

  /** How a draw was answered; `body` is the HTTP answer (the invoke response, empty for messages). */
  answered(draw: Draw, status: number, body: string, latencyMs: number): void {
    const s = this.byKind.get(draw.kind)!;
    s.answered++;
    s.latencyMs.push(latencyMs);
    const ok = status >= 200 && status < 300;
    if (ok) s.ok++;
    else s.non2xx++;
    if (ok && draw.kind === 'log') this.loggedAnswered++;
    if (draw.activity === 'invoke' && ok) {
      if (body.includes('application/vnd.microsoft.card.adaptive')) s.cards++;
      else s.messages++;
    }
    // Keep a few answers per variant that are not what the variant should give, to explain them.
    const surprising =
      !ok || (draw.activity === 'invoke' && !body.includes('application/vnd.microsoft.card.adaptive'));
    if (surprising) {
      const key = `${draw.what}: ${status}`;
      const list = this.samples.get(key) ?? [];
      if (list.length < SAMPLES) {
        list.push(body.slice(0, 300));
        this.samples.set(key, list);
      }
    }
  }

  stats(): Record<TurnKind, KindStats> {
    return Object.fromEntries(this.byKind) as Record<TurnKind, KindStats>;
  }

  /** Requests sent per variant since the last reset. */
  sentByVariant(): Record<string, number> {
    return Object.fromEntries([...this.variants].sort((a, b) => b[1] - a[1]));
  }

  /** Unexpected answers by variant and status, a few bodies each. */
  surprises(): Record<string, string[]> {
    return Object.fromEntries(this.samples);
  }

  /** Clear the per-kind figures (between runs); the sequence and what exists carry on. */
  resetStats(): void {
    for (const s of this.byKind.values()) {
      s.sent = s.answered = s.ok = s.non2xx = s.cards = s.messages = 0;
      s.latencyMs = [];
    }
    this.samples.clear();
    this.variants.clear();
  }

  /** Actions this workload logged (answered) and closed so far. */
  progress(): { logged: number; closed: number } {
    return { logged: this.loggedAnswered, closed: this.closed };
  }
}

function lastName(p: BenchPerson): string {
  return (p.name.split(' ').at(-1) ?? p.name).toLowerCase();
}
