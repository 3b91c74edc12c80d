/**
 * What `skyprobe setup --check` prints: every pinned thing of fixtures/components.yaml in one place. Go on PATH
 * against the pin, each Debian package with the version dpkg has installed, each Go component with the evidence
 * of its binaries, and the kind provider's pins (fetched by that provider when it runs, so listed, not checked).
 */
import type { checkSetup } from '../setup/setup.ts';

type Checked = Awaited<ReturnType<typeof checkSetup>>;

function columns(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((x, i) => (i === r.length - 1 ? x : x.padEnd(widths[i] ?? 0))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

export function checkTables(res: Checked, components: string): string {
  const out = [
    columns(['go', 'pinned', 'found'], [['go', `${res.goPinned ?? ''} or newer`, res.goVersion]]),
    '',
    columns(
      ['debian package', 'installed', 'state', 'proves it'],
      (res.debian.packages ?? []).map((p) => [
        p.name,
        p.version ?? '-',
        p.state,
        p.detail && p.state !== 'installed' ? `${p.commands.join(', ')}: ${p.detail}` : p.commands.join(', '),
      ]),
    ),
    '',
    components,
  ];
  if (res.kindPins) {
    const k = res.kindPins;
    out.push(
      '',
      columns(
        ['kind provider', 'pinned', 'what'],
        [
          ['kind', k.version, 'node image ' + k.nodeImage],
          ...Object.entries(k.components).map(([name, c]) => [
            name,
            c.version,
            [c.image, ...c.manifests].filter(Boolean).join(' '),
          ]),
        ],
      ),
      '(the kind provider fetches these when it runs: listed here, not checked)',
    );
  }
  return out.join('\n');
}
