import { describe, expect, it } from 'vitest';
import { botAdded, installed, invoke, message, PEOPLE, type Person } from '../support/activities.js';
import {
  anyValue,
  CANARY,
  cardLeaks,
  cardsIn,
  changesBetween,
  fc,
  MARKUP,
  ODATA,
  snapshotLists,
  startHostileBed,
  STRANGER,
  unentitled,
  userText,
  type Change,
  type Leak,
  unknownLeaks,
  textLeaks,
} from '../support/hostile.js';
import { useStarted } from '../support/use-test-bot.js';

/**
 * Malformed and hostile activities at `/api/messages`: every text command (as the router lists
 * them) followed by hostile text, the Action.Submit fallback with forged data, and activities
 * whose envelope is broken in every way a generator can think of (wrong types, missing fields,
 * unknown types and names, huge strings, unicode, markup, OData quotes). Nothing may answer 5xx
 * or bring the bot down; nothing may change that the sender was not entitled to; no card may
 * render their text as markup.
 */

const bed = useStarted(startHostileBed, (b) => b.close());
const answered: unknown[] = [];

async function send(activity: unknown): Promise<number> {
  const res = await bed.t.post(activity);
  answered.push(res.body);
  return res.status;
}

/** The literal words each command starts with: "action <ref> …" → "action A-0001". */
function commandPrefixes(): string[] {
  const refs = [bed.refs.officers, bed.refs.jakesOwn];
  return bed.t.bot.router.commandNames().flatMap((name) => {
    const words = name.replace(/[…]/g, '').trim();
    const head = words.split(/\s+[<[]/)[0]!.trim();
    const options = /\[([^\]]+)\]/.exec(words)?.[1]?.split('|') ?? [];
    const withRef = /<ref>/.test(words) ? refs.map((r) => `${head} ${r}`) : [head];
    return [...withRef, ...options.map((o) => `${head} ${o}`)];
  });
}

const conversationsOf = (stranger: boolean) =>
  new Set(
    stranger
      ? [`a:personal-${STRANGER.aadObjectId}`]
      : [`a:personal-${PEOPLE.partner.aadObjectId}`, '19:general@thread.tacv2'],
  );

describe('text commands with hostile text', () => {
  it('covers every command the router has, the new features’ included', () => {
    const prefixes = commandPrefixes();
    expect(prefixes.length).toBeGreaterThanOrEqual(bed.t.bot.router.commandNames().length);
    for (const word of ['help', 'action', 'actions']) expect(prefixes).toContain(word);
  });

  it('each command followed by markup, OData quotes and unicode, from a partner and a stranger', async () => {
    for (const stranger of [false, true]) {
      const before = await snapshotLists(bed.t.bot.lists);
      for (const prefix of commandPrefixes())
        for (const tail of [
          MARKUP.join(' '),
          ODATA.join(' '),
          `${MARKUP[0]} ${'ẞ'.repeat(12_000)}`,
          '\u202e\u0000',
        ]) {
          const from: Person = stranger ? STRANGER : PEOPLE.partner;
          const activity = message(`${prefix} ${tail}`, from, bed.personal());
          expect(await send(stranger ? bed.asStranger(activity) : activity)).toBeLessThan(500);
        }
      const changes = changesBetween(before, await snapshotLists(bed.t.bot.lists));
      expect(
        unentitled(changes, PEOPLE.partner, { stranger, conversations: conversationsOf(stranger) }),
      ).toEqual([]);
    }
  });

  it('random commands and text (property): no 5xx, nothing unentitled', async () => {
    const prefix = fc.constantFrom('', ...commandPrefixes());
    const run = fc.record({
      stranger: fc.boolean(),
      inChannel: fc.boolean(),
      text: fc.tuple(prefix, userText()).map(([p, t]) => `${p} ${t}`.trim()),
    });
    await fc.assert(
      fc.asyncProperty(run, async ({ stranger, inChannel, text }) => {
        const before = await snapshotLists(bed.t.bot.lists);
        const from: Person = stranger ? STRANGER : PEOPLE.partner;
        // Someone from another tenant in the board's channel is a guest, so a partner there.
        const activity = message(text, from, inChannel && !stranger ? bed.channel() : bed.personal());
        expect(await send(stranger ? bed.asStranger(activity) : activity)).toBeLessThan(500);
        const changes = changesBetween(before, await snapshotLists(bed.t.bot.lists));
        expect(
          unentitled(changes, PEOPLE.partner, { stranger, conversations: conversationsOf(stranger) }),
        ).toEqual([]);
      }),
      { numRuns: 120, seed: 4242, endOnFailure: true },
    );
  });

  it('the Action.Submit fallback (card data in the message value) with forged verbs and data', async () => {
    const forged = fc.constantFrom(...bed.forgedRefs);
    const run = fc.record({
      stranger: fc.boolean(),
      value: fc.oneof(
        fc.record({ verb: fc.constantFrom(...bed.verbs), ref: forged, note: userText() }),
        fc.record({ verb: anyValue() }),
        anyValue(),
      ),
    });
    await fc.assert(
      fc.asyncProperty(run, async ({ stranger, value }) => {
        const before = await snapshotLists(bed.t.bot.lists);
        const activity = message('', stranger ? STRANGER : PEOPLE.partner, bed.personal(), { value });
        expect(await send(stranger ? bed.asStranger(activity) : activity)).toBeLessThan(500);
        const changes = changesBetween(before, await snapshotLists(bed.t.bot.lists));
        expect(
          unentitled(changes, PEOPLE.partner, { stranger, conversations: conversationsOf(stranger) }),
        ).toEqual([]);
      }),
      { numRuns: 80, seed: 99, endOnFailure: true },
    );
  });
});

/** A change nobody may cause by breaking the envelope: to an item that was someone else's. */
function othersTouched(changes: Change[]): string[] {
  const theirs = changes.filter(
    (c) =>
      ['Meetings', 'AgendaItems', 'Consultations'].includes(c.list) ||
      (c.kind !== 'added' && c.list !== 'Conversations' && c.list !== 'Deliveries'),
  );
  return unentitled(theirs, PEOPLE.partner);
}

describe('malformed activities', () => {
  /** Real activities of each kind a Teams client causes, to break. */
  const originals = () => [
    message('action write to the VCS partners about the envelope', PEOPLE.partner, bed.personal()),
    message('help', PEOPLE.partner, bed.channel()),
    invoke(
      'adaptiveCard/action',
      { action: { type: 'Action.Execute', verb: 'actions.done', data: { ref: bed.refs.jakesOwn } } },
      PEOPLE.partner,
      bed.personal(),
    ),
    invoke(
      'task/fetch',
      { data: { dialog: [...bed.dialogs.keys()][0] ?? 'x' } },
      PEOPLE.partner,
      bed.channel(),
    ),
    invoke(
      'composeExtension/fetchTask',
      { commandId: 'logAsAction', messagePayload: { body: { content: 'x' } } },
      PEOPLE.partner,
      bed.channel(),
    ),
    installed(PEOPLE.partner, { ...bed.personal(), conversationId: 'a:personal-envelope' }),
    botAdded(PEOPLE.partner, { ...bed.channel(), conversationId: '19:envelope@thread.tacv2' }),
    {
      ...message('', PEOPLE.partner, bed.personal()),
      type: 'messageReaction',
      reactionsAdded: [{ type: 'like' }],
    },
    {
      ...message('', PEOPLE.partner, bed.personal()),
      type: 'event',
      name: 'application/vnd.microsoft.meetingStart',
      value: {},
    },
    {
      ...message('', PEOPLE.partner, bed.personal()),
      type: 'conversationUpdate',
      membersRemoved: [{ id: '28:partnership-board' }],
    },
    { ...message('', PEOPLE.partner, bed.personal()), type: 'installationUpdate', action: 'remove' },
    { ...message('', PEOPLE.partner, bed.personal()), type: 'typing' },
  ];

  const PATHS = [
    'type',
    'name',
    'text',
    'value',
    'from',
    'from.id',
    'from.name',
    'from.aadObjectId',
    'recipient',
    'recipient.id',
    'conversation.id',
    'conversation.conversationType',
    'conversation.tenantId',
    'channelData',
    'channelData.tenant',
    'channelData.team',
    'entities',
    'attachments',
    'timestamp',
    'localTimestamp',
    'replyToId',
    'id',
    'channelId',
    'locale',
    'membersAdded',
    'action',
  ];

  function setPath(target: Record<string, unknown>, path: string, value: unknown, remove: boolean) {
    const keys = path.split('.');
    let node: Record<string, unknown> = target;
    for (const k of keys.slice(0, -1)) {
      const next = node[k];
      if (!next || typeof next !== 'object') node[k] = {};
      node = node[k] as Record<string, unknown>;
    }
    const last = keys.at(-1)!;
    if (remove) delete node[last];
    else node[last] = value;
  }

  const typeNames = fc.constantFrom(
    'message',
    'invoke',
    'event',
    'conversationUpdate',
    'installationUpdate',
    'messageReaction',
    'messageUpdate',
    'messageDelete',
    'typing',
    'endOfConversation',
    'trace',
    'handoff',
    'command',
    'Message',
    'constructor',
  );
  const invokeNames = fc.constantFrom(
    'adaptiveCard/action',
    'task/fetch',
    'task/submit',
    'composeExtension/fetchTask',
    'composeExtension/submitAction',
    'composeExtension/query',
    'signin/verifyState',
    'fileConsent/invoke',
    'actionableMessage/executeAction',
    'config/fetch',
    'tab/fetch',
    'healthCheck',
    '__proto__',
  );

  it('broken in random ways (property): never 5xx, nobody else’s item touched', async () => {
    const originalsNow = originals();
    const edit = fc.record({
      path: fc.constantFrom(...PATHS),
      remove: fc.boolean(),
      value: fc.oneof(
        anyValue(),
        typeNames,
        invokeNames,
        fc.constantFrom(...ODATA),
        fc.constantFrom(...MARKUP),
      ),
    });
    const run = fc.record({
      original: fc.integer({ min: 0, max: originalsNow.length - 1 }),
      edits: fc.array(edit, { minLength: 1, maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(run, async ({ original, edits }) => {
        const activity = JSON.parse(JSON.stringify(originals()[original])) as Record<string, unknown>;
        for (const e of edits) setPath(activity, e.path, e.value, e.remove);
        const before = await snapshotLists(bed.t.bot.lists);
        expect(await send(activity)).toBeLessThan(500);
        expect(othersTouched(changesBetween(before, await snapshotLists(bed.t.bot.lists)))).toEqual([]);
      }),
      { numRuns: 250, seed: 31337, endOnFailure: true },
    );
  });

  it('every activity type and invoke name the generator knows, with hostile values: never 5xx', async () => {
    const types = [
      'message',
      'invoke',
      'event',
      'conversationUpdate',
      'installationUpdate',
      'messageReaction',
      'messageUpdate',
      'messageDelete',
      'typing',
      'endOfConversation',
      'trace',
      'handoff',
      'command',
    ];
    const names = [
      'adaptiveCard/action',
      'task/fetch',
      'task/submit',
      'composeExtension/fetchTask',
      'composeExtension/submitAction',
      'composeExtension/query',
      'composeExtension/queryLink',
      'composeExtension/selectItem',
      'signin/verifyState',
      'signin/tokenExchange',
      'fileConsent/invoke',
      'actionableMessage/executeAction',
      'config/fetch',
      'config/submit',
      'tab/fetch',
      'tab/submit',
      'message/submitAction',
      'healthCheck',
      'unknown/name',
    ];
    const values: unknown[] = [
      undefined,
      null,
      'x',
      42,
      [],
      {},
      { data: null },
      { data: { dialog: 42 } },
      { commandId: ['x'] },
      { action: 'x' },
    ];
    for (const type of types)
      for (const name of type === 'invoke' ? names : [undefined])
        for (const value of values) {
          const activity = {
            ...message(MARKUP.join(' '), PEOPLE.partner, bed.personal()),
            type,
            ...(name ? { name } : {}),
            value,
          };
          expect(await send(activity), `${type} ${name ?? ''} ${JSON.stringify(value)}`).toBeLessThan(500);
        }
  });

  it('bodies that are not activities: refused with 4xx, never 5xx', async () => {
    const big = JSON.stringify({ ...message('x'.repeat(1_200_000), PEOPLE.partner, bed.personal()) });
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    const cases: [string, string, Record<string, string>][] = [
      ['over the 1 MB limit', big, {}],
      ['nested 5,000 deep', deep, {}],
      [
        'an activity nested deep',
        `{"type":"message","conversation":{"id":"a"},"value":${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}}`,
        {},
      ],
      [
        'text/plain',
        JSON.stringify(message('help', PEOPLE.partner, bed.personal())),
        { 'content-type': 'text/plain' },
      ],
      ['form-encoded', 'type=message&text=help', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['not UTF-8', '\xff\xfe{"type":"message"}', {}],
      [
        'JSON with duplicate keys',
        '{"type":"message","type":"invoke","conversation":{"id":"a:x"},"name":"task/fetch"}',
        {},
      ],
      ['a number', '42', {}],
      ['a string', '"message"', {}],
      ['null', 'null', {}],
      ['a conversation with no id', '{"type":"message","conversation":{}}', {}],
      ['a conversation id that is an object', '{"type":"message","conversation":{"id":{"$ne":1}}}', {}],
      ['a serviceUrl that is a number', '{"type":"message","serviceUrl":5,"conversation":{"id":"a:x"}}', {}],
    ];
    for (const [what, body, headers] of cases) {
      const res = await bed.t.postRaw(body, headers);
      expect(res.status, what).toBeLessThan(500);
    }
  });
});

describe('after all of that', () => {
  it('never rendered anyone’s text as markup, or a link that is not a web link, in a card', () => {
    const leaks: Leak[] = [];
    let echoed = 0;
    for (const body of [...answered, ...bed.t.connector.calls.map((c) => c.body)])
      for (const card of cardsIn(body)) {
        leaks.push(...cardLeaks(card));
        if (JSON.stringify(card).includes(CANARY)) echoed++;
      }
    expect(echoed).toBeGreaterThan(0);
    expect(unknownLeaks(leaks)).toEqual([]);
    console.info(
      'text replies echoing markup:',
      textLeaks([...answered, ...bed.t.connector.calls.map((c) => c.body)]),
    );
  });

  it('keeps serving', async () => {
    bed.t.connector.reset();
    const res = await bed.t.post(message('help', PEOPLE.partner, bed.personal()));
    expect(res.status).toBe(200);
    expect(JSON.stringify(bed.t.connector.sent())).toContain('Partnership Board');
  });
});

describe('reported: people’s text rendered as markup (each test fails until fixed)', () => {
  const PLANTED = `**${CANARY}** [${CANARY}](https://evil.invalid/${CANARY})`;

  it('a name asked about, in the heading of the list card', async () => {
    bed.t.connector.reset();
    await bed.t.post(message(`actions for ${PLANTED}`, PEOPLE.chair, bed.personal()));
    expect(bed.t.connector.sent().flatMap((b) => cardsIn(b).flatMap((c) => cardLeaks(c)))).toEqual([]);
  });

  it('what someone typed, echoed in a text reply, is sent as plain text', async () => {
    bed.t.connector.reset();
    await bed.t.post(message(`action ${bed.refs.jakesOwn} ${PLANTED}`, PEOPLE.partner, bed.personal()));
    expect(textLeaks(bed.t.connector.sent())).toEqual([]);
  });
});
