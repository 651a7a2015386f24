import { randomUUID } from 'node:crypto';
import { badRequest } from './errors.js';
import { zonedDate, zonedMidnight } from './strict.js';

/**
 * Columns as SharePoint keeps them: created from Graph `columnDefinition` JSON, rendered back as
 * such, and used to check and normalise every value written to or compared with a field.
 */

export type FieldType = 'text' | 'note' | 'dateTime' | 'dateOnly' | 'boolean' | 'number' | 'choice';
export type FieldValue = string | number | boolean;

export interface Column {
  id: string;
  name: string;
  displayName: string;
  description: string;
  type: FieldType;
  indexed: boolean;
  enforceUniqueValues: boolean;
  required: boolean;
  readOnly: boolean;
  hidden: boolean;
  columnGroup: string;
  /** The type facet (`text`, `dateTime`, …) as Graph renders it. */
  facetName: 'text' | 'dateTime' | 'boolean' | 'number' | 'choice';
  facet: Record<string, unknown>;
  maxLength?: number;
  choices?: string[];
}

const FACETS = ['text', 'dateTime', 'boolean', 'number', 'choice'] as const;
const UNSUPPORTED_FACETS = [
  'calculated',
  'contentApprovalStatus',
  'currency',
  'geolocation',
  'hyperlinkOrPicture',
  'lookup',
  'personOrGroup',
  'term',
  'thumbnail',
];
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;

/** The columns every generic list has; SharePoint adds them and they cannot be written (except Title). */
export function builtInColumns(): Column[] {
  const builtIn = (c: Partial<Column> & Pick<Column, 'name' | 'type' | 'facetName' | 'facet'>): Column => ({
    id: randomUUID(),
    displayName: c.name,
    description: '',
    indexed: false,
    enforceUniqueValues: false,
    required: false,
    readOnly: true,
    hidden: false,
    columnGroup: 'Base Columns',
    ...c,
  });
  return [
    // Real lists mark Title required but no API write enforces it; it stays optional here.
    builtIn({
      name: 'Title',
      type: 'text',
      readOnly: false,
      columnGroup: 'Custom Columns',
      facetName: 'text',
      facet: {
        allowMultipleLines: false,
        appendChangesToExistingText: false,
        linesForEditing: 0,
        maxLength: 255,
      },
      maxLength: 255,
    }),
    builtIn({ name: 'ID', type: 'number', facetName: 'number', facet: { decimalPlaces: 'none' } }),
    builtIn({
      name: 'Created',
      type: 'dateTime',
      facetName: 'dateTime',
      facet: { format: 'dateTime', displayAs: 'standard' },
    }),
    builtIn({
      name: 'Modified',
      type: 'dateTime',
      facetName: 'dateTime',
      facet: { format: 'dateTime', displayAs: 'standard' },
    }),
  ];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function optionalBool(def: Record<string, unknown>, key: string): boolean {
  const v = def[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw badRequest(`Column property '${key}' must be true or false.`);
  return v;
}

/** A Graph columnDefinition (as POSTed) → a column; throws 400 naming what is wrong. */
export function columnFromDefinition(def: unknown): Column {
  if (!isRecord(def)) throw badRequest('A column definition must be a JSON object.');
  const name = def.name;
  if (typeof name !== 'string' || !name) throw badRequest("A column definition needs a 'name'.");
  if (!NAME_RE.test(name)) {
    throw badRequest(`Column name '${name}' must start with a letter and hold only letters, digits and '_'.`);
  }
  const unsupported = UNSUPPORTED_FACETS.find((f) => def[f] !== undefined);
  if (unsupported) {
    throw badRequest(
      `Column '${name}': the '${unsupported}' type is not supported by the local lists service.`,
    );
  }
  const present = FACETS.filter((f) => def[f] !== undefined && def[f] !== null);
  if (present.length !== 1) {
    throw badRequest(
      `Column '${name}' needs exactly one type facet (${FACETS.join(', ')}); found ${present.length ? present.join(', ') : 'none'}.`,
    );
  }
  const facetName = present[0]!;
  const rawFacet = def[facetName];
  if (!isRecord(rawFacet)) throw badRequest(`Column '${name}': '${facetName}' must be a JSON object.`);
  const indexed = optionalBool(def, 'indexed');
  const enforceUniqueValues = optionalBool(def, 'enforceUniqueValues');
  if (enforceUniqueValues && !indexed) {
    throw badRequest(`Column '${name}': this field must be indexed to enforce unique values.`);
  }
  const displayName = typeof def.displayName === 'string' && def.displayName ? def.displayName : name;
  const description = typeof def.description === 'string' ? def.description : '';
  const base = {
    id: randomUUID(),
    name,
    displayName,
    description,
    indexed,
    enforceUniqueValues,
    required: optionalBool(def, 'required'),
    readOnly: false,
    hidden: optionalBool(def, 'hidden'),
    columnGroup: 'Custom Columns',
  };

  switch (facetName) {
    case 'text': {
      const multi = rawFacet.allowMultipleLines === true;
      if (multi && indexed)
        throw badRequest(`Column '${name}': multiple-lines text columns cannot be indexed.`);
      const maxLength = rawFacet.maxLength ?? 255;
      if (
        !multi &&
        (typeof maxLength !== 'number' || !Number.isInteger(maxLength) || maxLength < 1 || maxLength > 255)
      ) {
        throw badRequest(`Column '${name}': text maxLength must be a whole number from 1 to 255.`);
      }
      const facet = multi
        ? {
            allowMultipleLines: true,
            appendChangesToExistingText: false,
            linesForEditing: typeof rawFacet.linesForEditing === 'number' ? rawFacet.linesForEditing : 6,
            maxLength: 63999,
            textType: rawFacet.textType === 'richText' ? 'richText' : 'plain',
          }
        : { allowMultipleLines: false, appendChangesToExistingText: false, linesForEditing: 0, maxLength };
      return {
        ...base,
        type: multi ? 'note' : 'text',
        facetName,
        facet,
        ...(multi ? {} : { maxLength: maxLength as number }),
      };
    }
    case 'dateTime': {
      const format = rawFacet.format ?? 'dateTime';
      if (format !== 'dateTime' && format !== 'dateOnly') {
        throw badRequest(`Column '${name}': dateTime format must be 'dateTime' or 'dateOnly'.`);
      }
      const facet = { displayAs: rawFacet.displayAs ?? 'default', format };
      return { ...base, type: format === 'dateOnly' ? 'dateOnly' : 'dateTime', facetName, facet };
    }
    case 'boolean':
      return { ...base, type: 'boolean', facetName, facet: {} };
    case 'number':
      return {
        ...base,
        type: 'number',
        facetName,
        facet: { decimalPlaces: 'automatic', displayAs: 'number', ...rawFacet },
      };
    case 'choice': {
      const choices = rawFacet.choices;
      if (
        !Array.isArray(choices) ||
        choices.length === 0 ||
        !choices.every((c) => typeof c === 'string' && c)
      ) {
        throw badRequest(`Column '${name}': choice.choices must be a non-empty array of strings.`);
      }
      const facet = {
        allowTextEntry: rawFacet.allowTextEntry === true,
        choices: [...choices],
        displayAs: rawFacet.displayAs ?? 'dropDownMenu',
      };
      return { ...base, type: 'choice', facetName, facet, choices: [...(choices as string[])] };
    }
  }
}

/** The column as Graph's columnDefinition resource. */
export function columnJson(c: Column): Record<string, unknown> {
  return {
    columnGroup: c.columnGroup,
    description: c.description,
    displayName: c.displayName,
    enforceUniqueValues: c.enforceUniqueValues,
    hidden: c.hidden,
    id: c.id,
    indexed: c.indexed,
    name: c.name,
    readOnly: c.readOnly,
    required: c.required,
    [c.facetName]: c.facet,
  };
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** ISO 8601 → epoch ms, or undefined when not a valid date. A value without a zone is UTC. */
export function parseIsoInstant(value: string): number | undefined {
  const m = ISO_RE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00'] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(h) > 23 || Number(mi) > 59)
    return undefined;
  const probe = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (probe.getUTCDate() !== Number(d)) return undefined; // 31 February and the like
  const withZone = m[4] === undefined ? `${value}T00:00:00Z` : m[7] ? value : `${value}Z`;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? undefined : ms;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Check a value written to a field and return what SharePoint would store (null clears the field).
 * A dateOnly value is kept as midnight of its date in the site's regional time zone, in UTC (a real
 * site answers `2018-09-02T23:00:00Z` for 3 September in London summer time: pnp/pnpjs#1890). A date
 * written with a time is first read as that instant's date in the site's zone.
 */
export function coerceWrite(c: Column, value: unknown, timeZone = 'UTC'): FieldValue | null {
  if (value === null || value === undefined) return null;
  const wrong = (expected: string) =>
    badRequest(`Field '${c.name}' expects ${expected}; got ${JSON.stringify(value)?.slice(0, 80)}.`);
  switch (c.type) {
    case 'text':
    case 'note': {
      if (typeof value !== 'string') throw wrong('a string');
      if (value === '') return null; // SharePoint keeps an empty text as no value
      if (c.type === 'text' && value.length > (c.maxLength ?? 255)) {
        throw badRequest(
          `Field '${c.name}' holds at most ${c.maxLength ?? 255} characters; the value has ${value.length}.`,
        );
      }
      return value;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw wrong('true or false');
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw wrong('a number');
      return value;
    case 'choice':
      if (typeof value !== 'string') throw wrong('one of its choices');
      if (value === '') return null;
      if (!c.choices?.includes(value) && c.facet.allowTextEntry !== true) {
        throw badRequest(
          `Field '${c.name}' must be one of ${c.choices?.map((x) => `'${x}'`).join(', ')}; got '${value}'.`,
        );
      }
      return value;
    case 'dateTime':
    case 'dateOnly': {
      if (typeof value !== 'string') throw wrong('an ISO 8601 date');
      if (value === '') return null;
      const ms = parseIsoInstant(value);
      if (ms === undefined) throw wrong('an ISO 8601 date');
      if (c.type === 'dateTime') return isoSeconds(ms);
      const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : zonedDate(ms, timeZone);
      return isoSeconds(zonedMidnight(date, timeZone));
    }
  }
}

/**
 * A field value in the form used for comparisons, sorting and index keys: text compares without
 * regard to case (SharePoint's collation is case-insensitive), dates as instants, booleans as 0/1.
 */
export type Comparable = string | number;

export function comparable(type: FieldType, value: FieldValue | null | undefined): Comparable | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'text':
    case 'note':
    case 'choice':
      return String(value).toLowerCase();
    case 'number':
      return Number(value);
    case 'boolean':
      return value ? 1 : 0;
    case 'dateTime':
    case 'dateOnly':
      return parseIsoInstant(String(value)) ?? null;
  }
}
