import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLocalService } from '../../infra/conformance/cli.js';
import type { ConformanceReport, Exchange } from '../../infra/conformance/suite.js';
import type { StrictSettings } from '../../infra/local/server.js';

/**
 * `npm run conformance` inside `npm test`: the suite against the local lists service (answers
 * validated against the vendored Graph schemas), then every saved fixture replayed: the local
 * service, set up as the recorded site was, must give the answers the site gave.
 */

const FIXTURES = join(import.meta.dirname, '../../infra/conformance/fixtures');

describe('npm run conformance against the local lists service', () => {
  it('passes every check, with answers shaped as Graph describes them', async () => {
    const report = await checkLocalService();
    const failed = report.results.filter((r) => !r.ok);
    expect(failed).toEqual([]);
    expect(report.results.filter((r) => r.skipped)).toEqual([]);
    expect(report.results.length).toBeGreaterThanOrEqual(13);
  }, 60_000);
});

/** The local service's knobs for the site a fixture was recorded from. */
function knobsFor(report: ConformanceReport): Partial<StrictSettings> {
  const o = report.observations;
  const knobs: Partial<StrictSettings> = {};
  if (o.duplicateStatus === 400 || o.duplicateStatus === 409 || o.duplicateStatus === 500) {
    knobs.duplicateStatus = o.duplicateStatus;
  }
  if (o.createKeptColumnFlags === false) knobs.lossyCreate = true;
  if (o.dateOnlyOffsetMinutes !== undefined && o.dateOnlyOffsetMinutes % 60 === 0) {
    const hours = o.dateOnlyOffsetMinutes / 60;
    // Etc/GMT zones count the other way: Etc/GMT-1 is UTC+1.
    knobs.timeZone = hours === 0 ? 'UTC' : `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
  }
  return knobs;
}

/** Where the local service may be stricter than a site: Graph documents neither way. */
const STRICTER_ALLOWED = (e: Exchange) => e.step.startsWith('undocumented:') || e.step.startsWith('orderby');

const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));

describe.each(fixtures)('the fixture %s, replayed against the local service', (file) => {
  const recorded = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as ConformanceReport;

  it('says where it came from', () => {
    expect(recorded.note).toMatch(
      recorded.target === 'local' ? /local lists service itself/ : /real SharePoint site/,
    );
  });

  it('gets the same answer to every request the site was asked', async () => {
    const replay = await checkLocalService(() => undefined, knobsFor(recorded));
    const key = (e: Exchange) => `${e.check} / ${e.step} / ${e.method} ${e.path}`;
    const local = new Map(replay.exchanges.map((e) => [key(e), e]));
    const differences: string[] = [];
    for (const site of recorded.exchanges) {
      const mine = local.get(key(site));
      if (!mine) {
        differences.push(`${key(site)}: not asked of the local service`);
        continue;
      }
      if (mine.status === site.status) continue;
      if (STRICTER_ALLOWED(site) && site.status < 300 && mine.status === 400) continue;
      differences.push(`${key(site)}: the site answered ${site.status}, the local service ${mine.status}`);
    }
    expect(differences).toEqual([]);
    if (recorded.observations.dateOnlyStored && knobsFor(recorded).timeZone) {
      expect(replay.observations.dateOnlyStored).toBe(recorded.observations.dateOnlyStored);
    }
  }, 60_000);
});
