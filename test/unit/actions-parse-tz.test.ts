import { afterAll, describe, expect, it } from 'vitest';

import { findDueDate } from '../../bot/dates/due.js';
import { formatLongDate, londonDate, londonDateTimeToUtc, toIsoDate } from '../../bot/dates/london.js';
import { parseActionText } from '../../bot/features/actions/parse.js';

/**
 * The host's time zone must not change what an action means. chrono-node works in the host's local
 * time internally, so this runs the parser under several TZ values in this process (Node applies a
 * change of process.env.TZ at once) and checks that each switch really took effect.
 */

const ROSTER = [
  { id: 'u-sk', name: 'Sonia Khan' },
  { id: 'u-rd', name: 'Rachel Duke' },
  { id: 'u-ts', name: 'Tim Shields' },
];

// [message timestamp, text]: around midnight, the clock changes, New Year and 29 February.
const CORPUS: [string, string][] = [
  [
    '2018-02-26T10:00:00Z',
    'LBH Policy Team to use all feedback by end of June 2018 – Sonia Khan & Rachel Duke',
  ],
  ['2018-02-26T10:00:00Z', 'Sonia to report back this autumn'],
  ['2018-02-26T23:59:00Z', 'Tim to circulate the slides tomorrow'],
  ['2018-02-26T00:01:00Z', 'Tim to circulate the slides by Friday'],
  ['2018-03-24T23:30:00Z', 'Rachel to circulate notes tomorrow'],
  ['2018-03-25T00:30:00Z', 'Rachel to circulate notes by next Friday'],
  ['2018-03-25T23:30:00Z', 'Rachel to circulate notes tomorrow'],
  ['2018-10-27T23:30:00Z', 'Rachel to circulate notes in two weeks'],
  ['2018-10-28T01:30:00Z', 'Rachel to circulate notes end of next week'],
  ['2018-06-30T23:30:00Z', 'Rachel to circulate notes by end of the month'],
  ['2018-12-31T23:30:00Z', 'Sonia to send the report by 5 Jan'],
  ['2018-12-31T12:00:00Z', 'Sonia to send the report in 3 months'],
  ['2019-03-01T10:00:00Z', 'Rachel to check the figures by 29 February'],
  ['2018-11-04T01:30:00Z', 'Tim to chase partners the day after tomorrow'],
  ['2018-03-11T06:30:00Z', 'Tim to chase partners next Monday'], // the US clocks change that night
  ['2018-04-01T15:30:00Z', 'Tim to chase partners within 2 weeks'], // and Sydney's then
];

const ZONES = ['UTC', 'America/New_York', 'Australia/Sydney', 'Pacific/Kiritimati', 'Europe/London'];
// Minutes behind UTC (as getTimezoneOffset reports them) on 1 July 2018, to prove each switch happened.
const JULY_OFFSETS: Record<string, number> = {
  UTC: 0,
  'America/New_York': 240,
  'Australia/Sydney': -600,
  'Pacific/Kiritimati': -840,
  'Europe/London': -60,
};

function readAll(): unknown[] {
  return CORPUS.map(([now, text]) => {
    const instant = new Date(now);
    const result = parseActionText(`action ${text}`, { now: instant, roster: ROSTER });
    const finding = findDueDate(text, instant);
    const today = londonDate(instant);
    return {
      result,
      due: finding?.kind === 'dated' ? toIsoDate(finding.date) : finding?.kind,
      today: formatLongDate(today),
      nine: londonDateTimeToUtc(today, '09:00').toISOString(),
    };
  });
}

describe('independence from the host time zone', () => {
  const originalTz = process.env.TZ;
  afterAll(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('reads every phrasing the same under five TZ values', () => {
    const byZone = new Map<string, unknown[]>();
    for (const zone of ZONES) {
      process.env.TZ = zone;
      expect(new Date('2018-07-01T12:00:00Z').getTimezoneOffset(), `TZ=${zone} did not take effect`).toBe(
        JULY_OFFSETS[zone],
      );
      byZone.set(zone, readAll());
    }
    const baseline = byZone.get('Europe/London');
    for (const zone of ZONES) expect(byZone.get(zone), zone).toEqual(baseline);

    // And the shared answer is the right one.
    const dues = (baseline ?? []).map((row) => (row as { due: unknown }).due);
    expect(dues).toEqual([
      '2018-06-30',
      '2018-11-30',
      '2018-02-27',
      '2018-03-02',
      '2018-03-25',
      '2018-03-30', // Sunday night: next week's Friday
      '2018-03-27',
      '2018-11-11',
      '2018-11-02',
      '2018-07-31',
      '2019-01-05',
      '2019-03-31',
      '2020-02-29',
      '2018-11-06',
      '2018-03-12', // from Sunday, next week's Monday
      '2018-04-15',
    ]);
  });
});
