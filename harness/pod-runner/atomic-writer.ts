/**
 * Writing a volume's files the way the kubelet's AtomicWriter does: the files live in a timestamped data dir
 * (`..2026_12_01_20_00_00.123456789`), `..data` is a symlink to it that is swapped atomically (rename), and each
 * top-level name is a symlink into `..data`. A reader sees the old set or the new set, never a mix.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

export interface PayloadFile {
  content: Buffer;
  mode: number;
}

/** Relative path -> file. */
export type Payload = Map<string, PayloadFile>;

const DATA = '..data';

function stamp(): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `..${d.getUTCFullYear()}_${p(d.getUTCMonth() + 1)}_${p(d.getUTCDate())}_${p(d.getUTCHours())}_${p(d.getUTCMinutes())}_${p(d.getUTCSeconds())}.${randomBytes(4).readUInt32BE()}`;
}

function current(dir: string): string | undefined {
  try {
    return readlinkSync(join(dir, DATA));
  } catch {
    return undefined;
  }
}

function same(dataDir: string, payload: Payload): boolean {
  const files = (d: string, rel = ''): string[] =>
    readdirSync(join(d, rel), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(d, join(rel, e.name)) : [join(rel, e.name)],
    );
  try {
    const have = files(dataDir);
    if (have.length !== payload.size) return false;
    return [...payload].every(([path, f]) => {
      const full = join(dataDir, path);
      return (statSync(full).mode & 0o7777) === f.mode && readFileSync(full).equals(f.content);
    });
  } catch {
    return false;
  }
}

/** Make `dir` hold `payload`; returns false when it already did (nothing written). */
export function writePayload(dir: string, payload: Payload): boolean {
  for (const path of payload.keys())
    if (path.startsWith('/') || path.split('/').some((s) => s === '..' || s === '' || s.startsWith('..')))
      throw new Error(`volume path ${JSON.stringify(path)} must be relative and must not contain '..'`);
  mkdirSync(dir, { recursive: true });
  const old = current(dir);
  if (old && same(join(dir, old), payload)) return false;
  const next = stamp();
  for (const [path, f] of payload) {
    const full = join(dir, next, path);
    mkdirSync(dirname(full), { recursive: true, mode: 0o755 });
    writeFileSync(full, f.content);
    chmodSync(full, f.mode);
  }
  mkdirSync(join(dir, next), { recursive: true, mode: 0o755 });
  const tops = new Set([...payload.keys()].map((p) => p.split('/')[0] as string));
  for (const top of tops) {
    try {
      lstatSync(join(dir, top));
    } catch {
      symlinkSync(join(DATA, top), join(dir, top));
    }
  }
  symlinkSync(next, join(dir, `${DATA}_tmp`));
  renameSync(join(dir, `${DATA}_tmp`), join(dir, DATA));
  for (const name of readdirSync(dir)) {
    if (name === DATA || name === next) continue;
    if (name.startsWith('..') || !tops.has(name)) rmSync(join(dir, name), { recursive: true, force: true });
  }
  return true;
}
