import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  startTelemetry,
  TELEMETRY_EVENTS,
  telemetryConnectionString,
  trackEvent,
} from '../../bot/telemetry.js';

/**
 * Telemetry is off unless APPLICATIONINSIGHTS_CONNECTION_STRING is set, and then costs nothing:
 * OpenTelemetry is only ever imported dynamically, once it is switched on. (What it sends when on
 * was checked against a stand-in ingestion endpoint: requests, Graph and Bot Connector
 * dependencies, custom events.)
 */

describe('telemetry', () => {
  it('is off without a connection string, and tracking is then a no-op', async () => {
    for (const env of [{}, { APPLICATIONINSIGHTS_CONNECTION_STRING: '   ' }]) {
      const telemetry = await startTelemetry(env);
      expect(telemetry.enabled).toBe(false);
      expect(() => trackEvent(TELEMETRY_EVENTS.actionLogged, { ref: 'A-0042', owners: 2 })).not.toThrow();
      await expect(telemetry.shutdown()).resolves.toBeUndefined();
    }
  });

  it('reads the connection string App Service and the Bicep set', () => {
    expect(
      telemetryConnectionString({ APPLICATIONINSIGHTS_CONNECTION_STRING: ' InstrumentationKey=x ' }),
    ).toBe('InstrumentationKey=x');
    expect(telemetryConnectionString({})).toBeUndefined();
  });

  it('imports OpenTelemetry only when it is switched on', () => {
    const source = readFileSync(new URL('../../bot/telemetry.ts', import.meta.url), 'utf8');
    const staticImports = source.match(/^import\s+(?!type\b)[^;]*;/gm) ?? [];
    expect(staticImports.filter((i) => /@azure|@opentelemetry/.test(i))).toEqual([]);
    expect(source).toMatch(/await Promise\.all\(\[\s*import\('@azure\/monitor-opentelemetry'\)/);
  });

  it('names its custom events once, distinctly', () => {
    const names = Object.values(TELEMETRY_EVENTS);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[A-Z][A-Za-z]+$/);
  });
});
