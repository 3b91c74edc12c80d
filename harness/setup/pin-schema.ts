/**
 * The pin file's strict-parsing vocabulary, shared by its sections (Go components, the kind provider's pins):
 * one error type naming the file and the place, and the checks every section uses.
 */
import { SkyprobeError } from '../errors.ts';

export const SEMVER = /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

export class PinError extends SkyprobeError {
  constructor(file: string, where: string, problem: string) {
    super(`${file}: ${where}: ${problem}`, { hint: 'fix the pin file; its header explains each field' });
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function checkKeys(
  file: string,
  where: string,
  obj: Record<string, unknown>,
  allowed: string[],
  required: string[],
): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw new PinError(file, where, `unknown key "${k}"`);
  for (const k of required) if (obj[k] === undefined) throw new PinError(file, where, `missing "${k}"`);
}

export function stringList(file: string, where: string, v: unknown): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === ''))
    throw new PinError(file, where, 'must be a list of non-empty strings');
  return v as string[];
}
