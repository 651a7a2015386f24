import { createHmac } from 'node:crypto';
import type { Anonymity, Consultation, Invitee } from './model.js';

/**
 * Who may know who said what. Partners never see anyone else's answers. With "Named" and
 * "Anonymous to partners" the feedback keeps the respondent's Entra id, so officers and chairs see
 * names in Teams; exports name people only when the consultation is Named, because a file travels.
 * With "Anonymous to everyone" the list keeps only a keyed one-way hash of the person and the
 * consultation: the bot can still find a person's own answers, remind those who have not
 * answered and pass an officer's response on, but nobody reading the list or a card can tell who.
 */

export function respondentKey(
  secret: string,
  c: Pick<Consultation, 'ref' | 'anonymity'>,
  aadObjectId: string,
): string {
  const id = aadObjectId.trim().toLowerCase();
  if (c.anonymity !== 'Anonymous to everyone') return id;
  const hash = createHmac('sha256', secret).update(`respondent|${c.ref}|${id}`).digest('hex');
  return `anon:${hash.slice(0, 48)}`;
}

export function feedbackKey(ref: string, respondent: string): string {
  return `${ref}|${respondent}`;
}

/** The invitee behind a respondent key, for the bot's own use (reminders, passing a response on). */
export function inviteeFor(
  secret: string,
  c: Pick<Consultation, 'ref' | 'anonymity' | 'invitees'>,
  respondent: string,
): Invitee | undefined {
  return c.invitees.find((i) => respondentKey(secret, c, i.aadObjectId) === respondent);
}

/** Officers and chairs see names in Teams unless nobody may. */
export function namesVisibleToOfficers(anonymity: Anonymity): boolean {
  return anonymity !== 'Anonymous to everyone';
}

/** Files and channel posts travel beyond the officers: they name people only when Named. */
export function namesInExports(anonymity: Anonymity): boolean {
  return anonymity === 'Named';
}

/** With "anonymous to everyone", an organisation is kept only when it is the unit that counts. */
export function keepsOrganisation(c: Pick<Consultation, 'anonymity' | 'countPer'>): boolean {
  return c.anonymity !== 'Anonymous to everyone' || c.countPer === 'Organisation';
}

export function describeAnonymity(a: Anonymity): string {
  switch (a) {
    case 'Named':
      return 'Named: officers and chairs see who said what, and the export names respondents';
    case 'Anonymous to partners':
      return 'Anonymous to other partners: officers and chairs see who said what in Teams; the export names nobody';
    case 'Anonymous to everyone':
      return 'Anonymous to everyone: nobody, officers included, sees who said what';
  }
}
