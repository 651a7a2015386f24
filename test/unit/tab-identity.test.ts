import { describe, expect, it } from 'vitest';
import { TabTokenError, type TabTokenValidator } from '../../bot/auth/tab-token.js';
import { identify, type IdentityDeps } from '../../bot/tab-api/identity.js';
import { PEOPLE } from '../../scripts/board-fixture.js';

/** Who calls the tab's API: an SSO token, or a development person that production refuses. */

const validator: TabTokenValidator = {
  async validate(token) {
    if (token === 'good')
      return { aadObjectId: PEOPLE.chair.aadObjectId, tenantId: 'council', name: 'Philip Glanville' };
    if (token === 'partner') return { aadObjectId: 'someone-else', tenantId: 'council', name: 'A Partner' };
    throw new TabTokenError('bad signature');
  },
};
const dev: IdentityDeps = { validator, devIdentity: true, production: false };

describe('tab caller identity', () => {
  it("identifies a signed-in person (their role is their board's: routes.ts asks the boards)", async () => {
    const chair = await identify({ authorization: 'Bearer good' }, dev);
    expect(chair).toMatchObject({
      ok: true,
      caller: { via: 'sso', who: { aadObjectId: PEOPLE.chair.aadObjectId, name: 'Philip Glanville' } },
    });
  });

  it('refuses a token it cannot validate with 401, saying how to sign in', async () => {
    const reasons: string[] = [];
    const result = await identify(
      { authorization: 'Bearer forged' },
      { ...dev, onRefused: (r) => reasons.push(r) },
    );
    expect(result).toMatchObject({ ok: false, status: 401 });
    expect(reasons).toEqual(['bad signature']);
    expect(await identify({}, dev)).toMatchObject({ ok: false, status: 401 });
  });

  it('maps ?as= to the fixture people outside production', async () => {
    const officer = await identify({ devAs: 'officer' }, dev);
    expect(officer).toMatchObject({
      ok: true,
      caller: { via: 'dev', who: { name: 'Sonia Khan', aadObjectId: PEOPLE.officer.aadObjectId } },
    });
    expect(await identify({ devAs: 'jake' }, dev)).toMatchObject({
      caller: { who: { aadObjectId: PEOPLE.jake.aadObjectId } },
    });
    expect(await identify({ devAs: 'nobody' }, dev)).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a development identity in production, whatever the configuration says', async () => {
    for (const deps of [
      { ...dev, production: true },
      { ...dev, production: true, devIdentity: true },
      { ...dev, devIdentity: false },
    ]) {
      const result = await identify({ devAs: 'chair' }, deps);
      expect(result).toMatchObject({ ok: false, status: 401 });
      if (!result.ok) expect(result.error).toContain('Development identities are not accepted');
    }
  });

  // People outside the board are refused by the board the call is for (test/integration/boards.test.ts).
});
