/**
 * Public DNS as the internet sees it: zone files served by CoreDNS (auto plugin) on the lab's DNS host.
 * Satusky owns satusky.com, so its DNS automation (publishGenerated) writes there; a user's zone is written only
 * by scenarios, acting as that user at their DNS provider (setRecords), right or wrong.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type RecordType = 'A' | 'AAAA' | 'CNAME' | 'CAA' | 'TXT';
export interface DnsRecord {
  /** Owner name, fully qualified without the trailing dot (e.g. www.example.com). */
  name: string;
  type: RecordType;
  value: string;
  ttl?: number;
  /** Who wrote it: Satusky's DNS automation, or the zone's owner (a user). */
  by?: 'satusky' | 'user';
}

export const SATUSKY_ZONE = 'satusky.com';

const recordsFile = (dir: string, zone: string) => join(dir, `${zone}.records.json`);
const zoneFile = (dir: string, zone: string) => join(dir, `db.${zone}`);

export function readRecords(dir: string, zone: string): DnsRecord[] {
  try {
    return JSON.parse(readFileSync(recordsFile(dir, zone), 'utf8')) as DnsRecord[];
  } catch {
    return [];
  }
}

function currentSerial(dir: string, zone: string): number {
  try {
    return Number(/SOA\s+\S+\s+\S+\s+(\d+)/.exec(readFileSync(zoneFile(dir, zone), 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Zone file text (RFC 1035 master format). Pure. */
export function renderZone(zone: string, records: DnsRecord[], serial: number, nameserverIp: string): string {
  const lines = [
    `$ORIGIN ${zone}.`,
    `@ 60 IN SOA ns1.${zone}. hostmaster.${zone}. ${serial} 60 60 600 5`,
    `@ 60 IN NS ns1.${zone}.`,
    `ns1 60 IN A ${nameserverIp}`,
  ];
  for (const r of records) {
    if (r.name !== zone && !r.name.endsWith(`.${zone}`)) throw new Error(`${r.name} is not in zone ${zone}`);
    const owner = `${r.name}.`;
    const value = r.type === 'CNAME' ? `${r.value.replace(/\.$/, '')}.` : r.type === 'TXT' ? `"${r.value}"` : r.value;
    lines.push(`${owner} ${r.ttl ?? 5} IN ${r.type} ${value}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Replace every record of a zone; CoreDNS picks the new serial up within a second. Returns the serial. */
export function setRecords(dir: string, zone: string, records: DnsRecord[], nameserverIp: string): number {
  mkdirSync(dir, { recursive: true });
  const serial = Math.max(Math.floor(Date.now() / 1000), currentSerial(dir, zone) + 1);
  writeFileSync(recordsFile(dir, zone), `${JSON.stringify(records, null, 2)}\n`);
  const tmp = `${zoneFile(dir, zone)}.tmp`;
  writeFileSync(tmp, renderZone(zone, records, serial, nameserverIp));
  renameSync(tmp, zoneFile(dir, zone));
  return serial;
}

/** Change some records of a zone: drop those `drop` matches, add `add`. */
export function editRecords(
  dir: string,
  zone: string,
  drop: (r: DnsRecord) => boolean,
  add: DnsRecord[],
  nameserverIp: string,
): number {
  return setRecords(dir, zone, [...readRecords(dir, zone).filter((r) => !drop(r)), ...add], nameserverIp);
}

/** Satusky's DNS automation: the generated host points at the load balancer. */
export function publishGenerated(dir: string, host: string, lbIp: string, nameserverIp: string): void {
  editRecords(
    dir,
    SATUSKY_ZONE,
    (r) => r.name === host,
    [{ name: host, type: 'A', value: lbIp, by: 'satusky' }],
    nameserverIp,
  );
}

export function unpublishGenerated(dir: string, host: string, nameserverIp: string): void {
  if (existsSync(recordsFile(dir, SATUSKY_ZONE)))
    editRecords(dir, SATUSKY_ZONE, (r) => r.name === host, [], nameserverIp);
}

export function publicCorefile(zonesDir: string, ip: string): string {
  return `.:53 {
    bind ${ip}
    log
    errors
    ready ${ip}:8181
    auto {
        directory ${zonesDir} db\\.(.*) {1}
        reload 500ms
    }
}
`;
}
