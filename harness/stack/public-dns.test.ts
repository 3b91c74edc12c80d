import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishGenerated, readRecords, renderZone, setRecords, unpublishGenerated } from './public-dns.ts';

describe('public DNS zones', () => {
  it('renders a zone with SOA, NS and the records, CNAME targets and TXT quoted', () => {
    const z = renderZone(
      'example.com',
      [
        { name: 'shop.example.com', type: 'A', value: '203.0.113.10' },
        { name: 'www.shop.example.com', type: 'CNAME', value: 'shop.example.com' },
        { name: 'example.com', type: 'CAA', value: '0 issue "letsencrypt.org"' },
        { name: 'example.com', type: 'TXT', value: 'v=spf1 -all' },
      ],
      7,
      '198.51.100.53',
    );
    expect(z).toContain('@ 60 IN SOA ns1.example.com. hostmaster.example.com. 7 60 60 600 5');
    expect(z).toContain('shop.example.com. 5 IN A 203.0.113.10');
    expect(z).toContain('www.shop.example.com. 5 IN CNAME shop.example.com.');
    expect(z).toContain('example.com. 5 IN CAA 0 issue "letsencrypt.org"');
    expect(z).toContain('example.com. 5 IN TXT "v=spf1 -all"');
  });

  it('refuses a record outside its zone', () => {
    expect(() =>
      renderZone('example.com', [{ name: 'shop.example.net', type: 'A', value: '1.2.3.4' }], 1, 'x'),
    ).toThrow('not in zone example.com');
  });

  it('raises the serial on every change so that CoreDNS reloads, and DNS automation adds and removes the generated host', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skyprobe-zones-'));
    setRecords(dir, 'satusky.com', [], '198.51.100.53');
    const serial = () => Number(/SOA \S+ \S+ (\d+)/.exec(readFileSync(join(dir, 'db.satusky.com'), 'utf8'))?.[1]);
    const s1 = serial();
    publishGenerated(dir, 'shop-acme.satusky.com', '203.0.113.10', '198.51.100.53');
    expect(serial()).toBeGreaterThan(s1);
    expect(readRecords(dir, 'satusky.com')).toEqual([
      { name: 'shop-acme.satusky.com', type: 'A', value: '203.0.113.10', by: 'satusky' },
    ]);
    unpublishGenerated(dir, 'shop-acme.satusky.com', '198.51.100.53');
    expect(readRecords(dir, 'satusky.com')).toEqual([]);
    expect(readFileSync(join(dir, 'db.satusky.com'), 'utf8')).not.toContain('shop-acme');
  });
});
