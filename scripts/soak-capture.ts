/**
 * The egress proof: tcpdump on the root namespace's uplinks (the links of its default routes: the machine's own way
 * out, never a lab link) while a run goes on, counting outgoing packets whose source is a lab address. A lab
 * program's packet that left the lab and the machine would carry one (the root namespace routes only 10.89.0.0/16
 * and 10.244.0.0/16 into the lab and NATs nothing). Outgoing only (-Q out): the machine's own traffic with the
 * registries, which answer inside 203.0.113.0/24 here, comes in from them. The count must be 0.
 */
import { execa, type ResultPromise } from 'execa';
import { execRunner } from '../harness/exec/runner.ts';

export const LAB_SOURCES = ['10.89.0.0/16', '10.244.0.0/16', '10.96.0.0/16', '198.51.100.0/24', '203.0.113.0/24'];
export const CAPTURE_FILTER = LAB_SOURCES.map((n) => `src net ${n}`).join(' or ');

export interface Capture {
  interfaces: string[];
  filter: string;
  direction: 'out';
  packets: number;
  /** Up to ten of them, as tcpdump prints them. */
  sample: string[];
  /**
   * The control: every outgoing packet on the same links (the machine's own traffic), counted by a second capture
   * with no filter, so that a count of 0 above is a capture that saw traffic and found none of the lab's.
   */
  control: number;
}

/** The root namespace's uplinks: the devices of its default routes. */
export async function uplinks(): Promise<string[]> {
  const r = await execRunner('ip', ['-o', 'route', 'show', 'default'], { timeoutMs: 10_000 });
  return [
    ...new Set(
      r.output
        .split('\n')
        .map((l) => / dev (\S+)/.exec(l)?.[1] ?? '')
        .filter(Boolean),
    ),
  ];
}

/** Start capturing; stop() ends it (SIGINT, so tcpdump flushes) and returns what it saw. */
export async function startCapture(): Promise<{ stop(): Promise<Capture> }> {
  const interfaces = await uplinks();
  const dump = (iface: string, filter: string[]) =>
    execa('tcpdump', ['-i', iface, '-Q', 'out', '-n', '-l', '-q', ...filter], { reject: false, buffer: true });
  const dumps: { iface: string; p: ResultPromise }[] = interfaces.map((iface) => ({
    iface,
    p: dump(iface, [CAPTURE_FILTER]),
  }));
  // The control counts without printing (-w /dev/null): its figure is tcpdump's own count.
  const controls = interfaces.map((iface) =>
    execa('tcpdump', ['-i', iface, '-Q', 'out', '-n', '-w', '/dev/null'], { reject: false, buffer: true }),
  );
  return {
    async stop() {
      for (const d of dumps) d.p.kill('SIGINT');
      for (const c of controls) c.kill('SIGINT');
      let control = 0;
      for (const c of controls)
        control += Number(/(\d+) packets? captured/.exec(String((await c).stderr ?? ''))?.[1] ?? 0);
      const lines: string[] = [];
      let packets = 0;
      for (const d of dumps) {
        const r = await d.p;
        const out = String(r.stdout ?? '');
        const got = out.split('\n').filter((l) => /^\d\d:\d\d:\d\d/.test(l));
        lines.push(...got.map((l) => `${d.iface}: ${l}`));
        // tcpdump's own count, on stderr: "N packets captured".
        const captured = /(\d+) packets? captured/.exec(String(r.stderr ?? ''))?.[1];
        packets += captured === undefined ? got.length : Number(captured);
      }
      return { interfaces, filter: CAPTURE_FILTER, direction: 'out', packets, sample: lines.slice(0, 10), control };
    },
  };
}
