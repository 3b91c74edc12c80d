/**
 * The parts of a ScenarioEnv that providers build alike (lab-env.ts, kind-env.ts, cluster-env.ts): app fixtures,
 * deploy-and-wait, the user's DNS zones (each edit returns once public DNS serves it), the DNS probes, the routing
 * objects for diagnostics, and, where a provider has none, the embedded lab's hooks as errors that name the
 * missing capability.
 */
import { execRunner } from '../../exec/runner.ts';
import { runRenderer } from '../../stack/external-renderer.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SkyprobeError } from '../../errors.ts';
import { repoRoot } from '../../paths.ts';
import type { Clients } from '../../k8s/client.ts';
import { type DnsProbeContext, caa, query, resolveChain } from '../../probes/dns.ts';
import { type AppFixture, parseAppFixture } from '../../stack/app-fixture.ts';
import { type InstanceApp, instanceApp } from '../../stack/instance.ts';
import { type AppMetadata, type DeployTarget, deleteApp, deployApp, readMetadata } from '../../stack/deploy.ts';
import { type DnsRecord, editRecords, readRecords, setRecords } from '../../stack/public-dns.ts';
import { orgNamespace } from '../../stack/render.ts';
import type { Routing } from '../../stack/routing.ts';
import { waitUntil } from '../../converge.ts';
import { POLL, TIMEOUTS } from '../../timeouts.ts';
import type { DeployMember, LabHook, ManagementMember, ScenarioEnv } from '../env.ts';

/**
 * env.app: fixtures/apps/<name>.yaml, each parsed once, under the names of the instance `tag` (stack/instance.ts;
 * '' keeps the fixture's own names).
 */
export function appFixtures(tag = ''): ScenarioEnv['app'] {
  const apps = new Map<string, InstanceApp>();
  return (name) => {
    if (!apps.has(name)) {
      const file = join(repoRoot(), 'fixtures', 'apps', `${name}.yaml`);
      apps.set(name, instanceApp(parseAppFixture(readFileSync(file, 'utf8'), file), tag, file));
    }
    return apps.get(name) as InstanceApp;
  };
}

/** The environment variable that carries `skyprobe run --renderer CMD` to the scenarios' deploys. */
export const RENDERER_ENV = 'SKYPROBE_RENDERER';

/**
 * env.deploy: deploy (or switch the routing of) an app as the platform does, then wait until its pods are Ready.
 * With `--renderer CMD` (RENDERER_ENV) the app's objects are what CMD prints for it (stack/external-renderer.ts).
 */
export async function deployAndWait(t: DeployTarget, app: AppFixture, routing: Routing): Promise<AppMetadata> {
  const cmd = process.env[RENDERER_ENV];
  const rendered = cmd ? await runRenderer(cmd, app, routing, execRunner) : undefined;
  const meta = await deployApp(t, app, routing, { rendered });
  await waitUntil(
    `${app.org}/${app.app} pods Ready`,
    async () => {
      const d = await t.k.apps.readNamespacedDeployment({ name: app.app, namespace: orgNamespace(app.org) });
      const st = d.status ?? {};
      if ((st.readyReplicas ?? 0) >= app.replicas && st.updatedReplicas === app.replicas) return true;
      // the evidence of a wait that runs out: the Deployment's status as the controller last wrote it
      throw new Error(
        `ready ${st.readyReplicas ?? 0}, updated ${st.updatedReplicas ?? 0}, replicas ${st.replicas ?? 0} of ${app.replicas}; status of generation ${st.observedGeneration ?? 'none'} (spec ${d.metadata?.generation ?? '?'})`,
      );
    },
    { timeoutMs: TIMEOUTS.appPodsReady, intervalMs: POLL.api },
  );
  return meta;
}

/** The `deploy` members, alike on every provider that deploys: fixtures, deploy-and-wait, remove, the records. */
export function deployMembers(t: DeployTarget): Pick<ScenarioEnv, DeployMember> {
  return {
    app: appFixtures(),
    deploy: (app, routing) => deployAndWait(t, app, routing),
    remove: (app, routing) => deleteApp(t, app, routing),
    metadata: () => readMetadata(t.metadataDir),
  };
}

/** Wait (bounded) until public DNS serves `serial` for the zone. */
export async function servedSerial(dns: DnsProbeContext, zone: string, serial: number): Promise<void> {
  await waitUntil(
    `public DNS serves ${zone} serial ${serial}`,
    async () => {
      const soa = await query(dns, zone, 'SOA');
      const got = Number(soa.answers.find((a) => a.type === 'SOA')?.value.split(/\s+/)[2] ?? 0);
      if (got >= serial) return true;
      // what it serves instead is the evidence of a wait that runs out (an older serial, or no zone at all)
      throw new Error(got > 0 ? `serves serial ${got}` : `no SOA (rcode ${soa.rcode ?? 'none'})`);
    },
    { timeoutMs: TIMEOUTS.dnsSerialServed, intervalMs: POLL.local },
  );
}

/**
 * env.userDns: the zone files public DNS serves (`nameserverIp` is its address, written into each zone), edited as
 * the zone's owner would; every change returns once `dns` (that public DNS) serves its serial.
 */
export function userZones(zonesDir: string, nameserverIp: string, dns: DnsProbeContext): ScenarioEnv['userDns'] {
  const byUser = (r: DnsRecord): DnsRecord => ({ by: 'user', ...r });
  return {
    get: (zone) => readRecords(zonesDir, zone),
    set: (zone, records) => servedSerial(dns, zone, setRecords(zonesDir, zone, records.map(byUser), nameserverIp)),
    edit: (zone, drop, add) =>
      servedSerial(dns, zone, editRecords(zonesDir, zone, drop, add.map(byUser), nameserverIp)),
  };
}

/** env.dns: questions to public DNS from where the user stands (`c.netns`, or this machine). */
export function dnsProbes(c: DnsProbeContext): ScenarioEnv['dns'] {
  return {
    query: (name, type) => query(c, name, type),
    resolve: (name, type) => resolveChain(c, name, type),
    caa: (name) => caa(c, name),
  };
}

/**
 * The embedded lab's hooks and the management path for a provider without them: each throws a SkyprobeError naming
 * the capability (labHooks or management). A
 * scenario that uses one declares needs ['lab'] or ['management'] and is skipped before it could get here (register.ts).
 */
export function withoutLabHooks(provider: string): Pick<ScenarioEnv, LabHook | ManagementMember> {
  const missing =
    (member: string, capability = 'labHooks', need = 'lab', what = "one of the embedded lab's own hooks") =>
    (): never => {
      throw new SkyprobeError(
        `env.${member} is ${what} (capability ${capability}), which provider ${provider} does not have`,
        {
          hint: `a scenario that uses it declares needs: ['${need}'], and is then skipped on this provider`,
        },
      );
    };
  const missingAsync = (member: string) => async (): Promise<never> => missing(member)();
  const noMgmt = (member: string) => missing(`mgmt.${member}`, 'management', 'management', 'the management path');
  return {
    inPod: missingAsync('inPod'),
    edgeAccessLog: missing('edgeAccessLog'),
    mgmt: {
      overlay: async () => noMgmt('overlay')(),
      apid: async () => noMgmt('apid')(),
      tcp: async () => noMgmt('tcp')(),
      exec: async () => noMgmt('exec')(),
      publicKeys: noMgmt('publicKeys'),
      iface: noMgmt('iface'),
      addresses: noMgmt('addresses'),
    },
    rewriteMetadata: missing('rewriteMetadata'),
    selfSignedSecret: missingAsync('selfSignedSecret'),
    stopComponent: missingAsync('stopComponent'),
    startComponent: missingAsync('startComponent'),
    blockPort: missingAsync('blockPort'),
    restartComponent: missingAsync('restartComponent'),
  };
}

/** The routing objects of every namespace with their status (name and status only), for diagnostics. */
export async function routingObjects(k: Clients): Promise<Record<string, unknown[]>> {
  const objects: Record<string, unknown[]> = {};
  for (const [apiVersion, kind] of [
    ['gateway.networking.k8s.io/v1', 'HTTPRoute'],
    ['networking.k8s.io/v1', 'Ingress'],
    ['cert-manager.io/v1', 'Certificate'],
    ['acme.cert-manager.io/v1', 'Challenge'],
  ] as const) {
    const list = (await k.objects.list(apiVersion, kind).catch(() => ({ items: [] }))) as {
      items: { metadata?: { name?: string; namespace?: string }; status?: Record<string, unknown> }[];
    };
    objects[kind] = list.items.map((o) => ({ name: `${o.metadata?.namespace}/${o.metadata?.name}`, status: o.status }));
  }
  return objects;
}
