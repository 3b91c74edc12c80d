import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { execRunner } from '../exec/runner.ts';
import { fakeRunner } from '../testing/fake-runner.ts';
import { parseAppFixture } from './app-fixture.ts';
import { runRenderer } from './external-renderer.ts';
import { render } from './render.ts';
import {
  type RendererItem,
  contractItems,
  parseRendererOutput,
  rendererInput,
  validateRendered,
} from './renderer-contract.ts';
import { ROUTINGS } from './routing.ts';

const dir = new URL('../../fixtures/apps/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parseAppFixture(readFileSync(new URL(f, dir), 'utf8'), f));
const shop = fixtures.find((a) => a.app === 'shop') as (typeof fixtures)[number];

const items = contractItems(render(shop, 'target'), shop, 'target');

describe('the renderer contract', () => {
  it("the built-in renderer's output, read back under the contract, is what deploy applies (every fixture, both modes)", () => {
    for (const a of fixtures)
      for (const routing of ROUTINGS) {
        const r = render(a, routing);
        const back = validateRendered(a, parseRendererOutput(JSON.stringify(contractItems(r, a, routing)), a.app));
        expect(back, `${a.app} ${routing}`).toEqual(r);
        const yaml = contractItems(r, a, routing)
          .map((o) => `---\n${stringify(o)}`)
          .join('');
        expect(validateRendered(a, parseRendererOutput(yaml, a.app)), `${a.app} ${routing} as YAML`).toEqual(r);
      }
  });

  it('gives a renderer the app, its routing mode and its namespace', () => {
    expect(rendererInput(shop, 'target')).toMatchObject({
      schema: 'skyprobe.renderer/v1',
      routing: 'target',
      app: { org: 'acme', app: 'shop', namespace: 'org-acme', customDomains: ['shop.example.com'] },
    });
  });

  const refused = (extra: RendererItem) => () => validateRendered(shop, [...items, extra]);
  it('refuses what a renderer must never do, naming the app, the object and the reason', () => {
    const cases: [RendererItem, RegExp][] = [
      [
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'k', namespace: 'org-acme' } },
        /app acme\/shop: Secret org-acme\/k: a renderer never ships Secrets/,
      ],
      [
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'Gateway',
          metadata: { name: 'satusky-edge', namespace: 'satusky-edge' },
        },
        /Gateway satusky-edge\/satusky-edge: the edge's Gateway is shared/,
      ],
      [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'org-other' } },
        /Service org-other\/x: outside the app's org namespace org-acme/,
      ],
      [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } }, /the only namespace .* org-acme/],
      [
        { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'org-acme' } },
        /batch\/v1 Job is not a kind a renderer may create/,
      ],
      [
        {
          apiVersion: 'renderer.skyprobe.dev/v1',
          kind: 'GatewayListener',
          metadata: { name: 'https-evil' },
          spec: { name: 'https-evil', hostname: 'bank.example.com' },
        },
        /listener for bank\.example\.com, which is not a host of this app/,
      ],
      [
        {
          apiVersion: 'renderer.skyprobe.dev/v1',
          kind: 'DNSRecord',
          metadata: { name: 'r' },
          spec: { name: 'shop.example.com', type: 'A', pointsTo: 'edge' },
        },
        /publishes records in satusky\.com only/,
      ],
      [
        {
          apiVersion: 'renderer.skyprobe.dev/v1',
          kind: 'AppRecord',
          metadata: { name: 'blog', namespace: 'org-acme' },
          spec: { org: 'acme', app: 'blog', routing: 'target', hosts: [] },
        },
        /AppRecord org-acme\/blog: an AppRecord is the app's own: name shop/,
      ],
      [
        {
          apiVersion: 'renderer.skyprobe.dev/v1',
          kind: 'AppRecord',
          metadata: { name: 'shop' },
          spec: { org: 'acme', app: 'shop', routing: 'target', hosts: [{ host: 'bank.example.com' }] },
        },
        /it records bank\.example\.com, which is not a host of this app/,
      ],
      [
        {
          apiVersion: 'renderer.skyprobe.dev/v1',
          kind: 'DNSRecord',
          metadata: { name: 'shop-acme.satusky.com', namespace: 'org-other' },
          spec: { name: 'shop-acme.satusky.com', type: 'A', pointsTo: 'edge' },
        },
        /DNSRecord org-other\/shop-acme\.satusky\.com: outside the app's org namespace org-acme/,
      ],
    ];
    for (const [extra, shows] of cases) expect(refused(extra), extra.kind).toThrow(shows);
  });

  it('reads a YAML stream, a JSON list or {items}, and refuses anything else in one line', () => {
    const list = JSON.stringify(items);
    expect(parseRendererOutput(list, 'shop')).toHaveLength(items.length);
    expect(parseRendererOutput(JSON.stringify({ items }), 'shop')).toHaveLength(items.length);
    expect(() => parseRendererOutput('', 'shop')).toThrow(/printed nothing/);
    expect(() => parseRendererOutput('[{"kind": ', 'shop')).toThrow(/invalid JSON/);
    expect(() => parseRendererOutput('a: [b\n', 'shop')).toThrow(/invalid YAML/);
    expect(() => parseRendererOutput('- 1\n', 'shop')).toThrow(/item 0 has no apiVersion, kind or metadata.name/);
    expect(() => parseRendererOutput('{"kind": "x"}', 'shop')).toThrow(/expected a list/);
  });
});

describe('an external renderer (--renderer CMD)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'renderer-'));
  it('runs CMD with the app on stdin and deploys its stdout, not its stderr', async () => {
    const out = join(tmp, 'out.json');
    writeFileSync(out, JSON.stringify(items));
    const seen = join(tmp, 'stdin.json');
    const r = await runRenderer(`cat > ${seen}; echo 'a warning' >&2; cat ${out}`, shop, 'target', execRunner);
    expect(r).toEqual(render(shop, 'target'));
    expect(JSON.parse(readFileSync(seen, 'utf8'))).toEqual(rendererInput(shop, 'target'));
  });
  it('a renderer that fails, hangs or prints garbage: one line naming the app, exit 2', async () => {
    await expect(runRenderer("echo 'boom: no such app' >&2; exit 3", shop, 'current', execRunner)).rejects.toThrow(
      /renderer `.*` for app acme\/shop exited 3: boom: no such app; nothing was applied/,
    );
    await expect(runRenderer('echo "{not json"', shop, 'current', execRunner)).rejects.toThrow(/invalid JSON/);
    const hung = fakeRunner([{ match: /^sh -c/, reply: { timedOut: true, exitCode: 137 } }]);
    const err = await runRenderer('sleep 60', shop, 'current', hung.run).catch((e: unknown) => e);
    expect(String(err)).toMatch(/did not finish within 10 s; nothing was applied/);
    expect((err as { exitCode: number }).exitCode).toBe(2);
  });
});

describe('fixtures/renderers/reference.py, a renderer written apart from skyprobe', () => {
  const script = new URL('../../fixtures/renderers/reference.py', import.meta.url).pathname;
  const py = (fault?: string) => `python3 ${script}${fault ? ` --fault ${fault}` : ''}`;
  it('renders every fixture in both modes exactly as the built-in renderer does', async () => {
    for (const a of fixtures)
      for (const routing of ROUTINGS)
        expect(await runRenderer(py(), a, routing, execRunner), `${a.app} ${routing}`).toEqual(render(a, routing));
  });

  type Spec = Record<string, any>;
  const obj = (r: { objects: { kind?: string; metadata?: { name?: string } }[] }, kind: string, name: string) =>
    r.objects.find((o) => o.kind === kind && o.metadata?.name === name) as { spec: Spec; metadata: Spec };
  it('each --fault is a deployable output that differs from the reference in its one mistake', async () => {
    const current = (f: string) => runRenderer(py(f), shop, 'current', execRunner);
    const target = (f: string) => runRenderer(py(f), shop, 'target', execRunner);
    const redirectOf = (r: Awaited<ReturnType<typeof target>>) =>
      obj(r, 'HTTPRoute', 'shop-www').spec.rules[0].filters[0].requestRedirect;
    expect(obj(await current('www-302'), 'Middleware', 'shop-www-redirect').spec.redirectRegex.permanent).toBe(false);
    expect(redirectOf(await target('www-302')).statusCode).toBe(302);
    expect(obj(await current('www-drops-path'), 'Middleware', 'shop-www-redirect').spec.redirectRegex.replacement).toBe(
      'https://shop.example.com/',
    );
    expect(redirectOf(await target('www-drops-path')).path).toEqual({ type: 'ReplaceFullPath', replaceFullPath: '/' });
    expect(obj(await current('no-cert-annotation'), 'Ingress', 'shop-domains').metadata.annotations).toEqual({});
    const aliases = obj(await current('alias-other-service'), 'Ingress', 'shop-aliases');
    expect(aliases.spec.rules.map((r: Spec) => [r.host, r.http.paths[0].backend.service.name])).toEqual([
      ['store.example.com', 'blog'],
    ]);
    const wrong = obj(await target('wrong-listener'), 'HTTPRoute', 'shop-domains').spec.parentRefs;
    expect(wrong.map((p: Spec) => p.sectionName)).toEqual(['http', 'https-shop-acme-satusky-com']);
    // Everything else is as the reference renders it: each fault is one mistake.
    const ref = render(shop, 'current');
    const noCert = await current('no-cert-annotation');
    expect(noCert.objects.filter((o) => o.metadata?.name !== 'shop-domains')).toEqual(
      ref.objects.filter((o) => o.metadata?.name !== 'shop-domains'),
    );
  });
  it('refuses an unknown fault and a wrong input in one line', async () => {
    await expect(runRenderer(py('nope'), shop, 'current', execRunner)).rejects.toThrow(/exited 1: unknown fault nope/);
  });
});
