/**
 * The Gateway API suite's own result file (kind ConformanceReport, gateway.networking.k8s.io/v1): per profile, the
 * core and extended results with their counts, failed and skipped tests, and the extended features attempted or
 * not. Read as plain data; only the fields skyprobe shows or compares are typed.
 */
import { parse } from 'yaml';

export interface LevelResult {
  result: string;
  passed: number;
  failed: number;
  skipped: number;
  failedTests: string[];
  skippedTests: string[];
}

export interface ProfileResult {
  name: string;
  summary: string;
  core: LevelResult;
  extended?: LevelResult & { supportedFeatures: string[]; unsupportedFeatures: string[] };
}

export interface ConformanceReport {
  gatewayAPIVersion: string;
  gatewayAPIChannel: string;
  implementation: { project?: string; version?: string };
  profiles: ProfileResult[];
}

type Raw = Record<string, unknown>;
const rec = (v: unknown): Raw => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

function level(v: unknown): LevelResult {
  const r = rec(v);
  const s = rec(r.statistics);
  return {
    result: String(r.result ?? 'unknown'),
    passed: Number(s.Passed ?? 0),
    failed: Number(s.Failed ?? 0),
    skipped: Number(s.Skipped ?? 0),
    failedTests: strings(r.failedTests),
    skippedTests: strings(r.skippedTests),
  };
}

/** Parse a ConformanceReport; anything that is not one is an Error naming what is missing. */
export function parseConformanceReport(text: string): ConformanceReport {
  const doc = rec(parse(text));
  if (doc.kind !== 'ConformanceReport') throw new Error(`not a ConformanceReport (kind: ${String(doc.kind)})`);
  // The suite writes `profiles: null` when it stopped before its tests (its set-up failed).
  if (doc.profiles !== null && !Array.isArray(doc.profiles)) throw new Error('ConformanceReport without profiles');
  const impl = rec(doc.implementation);
  const profiles = Array.isArray(doc.profiles) ? doc.profiles : [];
  return {
    gatewayAPIVersion: String(doc.gatewayAPIVersion ?? ''),
    gatewayAPIChannel: String(doc.gatewayAPIChannel ?? ''),
    implementation: { project: impl.project as string | undefined, version: impl.version as string | undefined },
    profiles: profiles.map((p) => {
      const r = rec(p);
      const out: ProfileResult = { name: String(r.name), summary: String(r.summary ?? ''), core: level(r.core) };
      if (r.extended !== undefined) {
        const x = rec(r.extended);
        out.extended = {
          ...level(x),
          supportedFeatures: strings(x.supportedFeatures),
          unsupportedFeatures: strings(x.unsupportedFeatures),
        };
      }
      return out;
    }),
  };
}
