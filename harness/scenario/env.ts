/**
 * The scenario environment's contract: what a scenario may touch. ClusterEnv is what every provider gives (the
 * cluster, the four domain facts, diagnostics); ScenarioEnv adds the lab, the probes bound to the internet host,
 * apps, the user's DNS zone, and fault hooks (stop or restart a lab component). Suites reach the world only
 * through this. Each member beyond ClusterEnv belongs to one need (define.ts): deploy, internet or lab (the types
 * below). Each provider's environment is made in one file of envs/, picked by provider in envs/by-provider.ts.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Runner } from '../exec/runner.ts';
import type { DomainsReport } from '../facts/fact.ts';
import type { Clients } from '../k8s/client.ts';
import type { caa, query, resolveChain } from '../probes/dns.ts';
import type { NetnsHttpOptions, httpFromNetns, tcpFromNetns } from '../probes/http.ts';
import type { apidProbe, overlayStatus } from '../probes/mgmt.ts';
import type { probeTls } from '../probes/tls.ts';
import type { LabState } from '../providers/embedded/state.ts';
import type { Capabilities, ProviderName } from '../providers/provider.ts';
import type { AppFixture } from '../stack/app-fixture.ts';
import type { AppMetadata } from '../stack/deploy.ts';
import type { InstanceApp } from '../stack/instance.ts';
import type { DnsRecord } from '../stack/public-dns.ts';
import type { Routing } from '../stack/routing.ts';

export interface ClusterEnv {
  provider: ProviderName;
  capabilities: Capabilities;
  k: Clients;
  run: Runner;
  /** The run's own namespace, where `apps` scenarios create objects (existing provider). */
  namespace?: string;
  /** The four domain facts for hosts, as `skyprobe domains check` establishes them against this cluster. */
  facts(hosts: string[]): Promise<DomainsReport>;
  /** What a failed scenario attaches (runScenario): the routing objects with their status, and more where there is. */
  diagnostics(): Promise<Record<string, unknown>>;
}

export interface ScenarioEnv extends ClusterEnv {
  lab: LabState;
  lbIp: string;
  edgeIp: string;
  publicDns: string;
  pebbleRoot: string;
  internet: string;
  /**
   * An app fixture under this scenario run's names (stack/instance.ts: its org, namespace and hosts carry the
   * run's tag, so that runs side by side never share a name); bodies and twins reach names only through it.
   */
  app(name: string): InstanceApp;
  /** Deploy (or switch the routing of) an app and wait until its pods are Ready. */
  deploy(app: AppFixture, routing: Routing): Promise<AppMetadata>;
  remove(app: AppFixture, routing: Routing): Promise<void>;
  metadata(): AppMetadata[];
  /**
   * A zone at its DNS provider, edited as its owner would (records marked `by: user` unless said otherwise).
   * Each change returns once public DNS serves it (the new SOA serial), so a check never races a reload.
   */
  userDns: {
    get(zone: string): DnsRecord[];
    set(zone: string, records: DnsRecord[]): Promise<void>;
    edit(zone: string, drop: (r: DnsRecord) => boolean, add: DnsRecord[]): Promise<void>;
  };
  /** Probes acting as a user on the internet (the lab's internet host). */
  http(url: string, opts?: NetnsHttpOptions): ReturnType<typeof httpFromNetns>;
  dns: {
    query(name: string, type: string): ReturnType<typeof query>;
    resolve(name: string, type: 'A' | 'AAAA'): ReturnType<typeof resolveChain>;
    caa(name: string): ReturnType<typeof caa>;
  };
  tls(host: string): ReturnType<typeof probeTls>;
  /** Run a command inside a pod's network namespace (what the pod's program would see). */
  inPod(pod: V1Pod, argv: string[]): Promise<{ exitCode: number; output: string }>;
  /** Lines of the edge's access log so far. */
  edgeAccessLog(): string[];
  /** The management path: the overlay as WireGuard reports it, apid over an address, TCP reachability. */
  mgmt: {
    overlay(role?: string): ReturnType<typeof overlayStatus>;
    apid(address: string, from?: string): ReturnType<typeof apidProbe>;
    tcp(fromRole: string, host: string, port: number): ReturnType<typeof tcpFromNetns>;
    /** Run a command in a lab host's namespace (fault injection on the management path: routes, NAT rules, keys). */
    exec(role: string, argv: string[]): Promise<{ exitCode: number; output: string }>;
    /** The overlay's public keys (the private ones never leave the lab folder). */
    publicKeys(): { cp: string; machine: string };
    /** The SideroLink interface name on one side. */
    iface(side: 'cp' | 'machine'): string;
    /** The management path's addresses and ports (plain data: the provider's address plan). */
    addresses(): MgmtAddresses;
  };
  /** Fault hook: rewrite the platform's record of a deployed app (as a broken backend would). */
  rewriteMetadata(app: AppFixture, change: (m: AppMetadata) => AppMetadata): void;
  /** A kubernetes.io/tls Secret holding a self-signed certificate for `host` (for faults: an untrusted chain). */
  selfSignedSecret(namespace: string, name: string, host: string): Promise<void>;
  /** What a failed scenario attaches: the tails of the stack's logs and the routing objects with their conditions. */
  diagnostics(): Promise<Record<string, unknown>>;
  /** Fault hooks: stop a lab component, start it again the same way. */
  stopComponent(name: string): Promise<void>;
  startComponent(name: string): Promise<void>;
  /**
   * Fault hook: make a lab host refuse TCP on a port (iptables inside that host's namespace only), or open it
   * again. The program keeps running, with its state (stopping Pebble would lose its CA and ACME accounts).
   */
  blockPort(role: string, port: number, blocked: boolean): Promise<void>;
  /** Restart a component with extra arguments (a misconfiguration); without them, as it was. */
  restartComponent(name: string, extraArgs?: string[]): Promise<void>;
}

/** The management path as a scenario addresses it: the SideroLink overlay, the NAT, the machine behind it. */
export interface MgmtAddresses {
  /** The SideroLink prefix (a ULA /64), the control plane's address in it and the machine's. */
  prefix: string;
  serverUla: string;
  machineUla: string;
  /** WireGuard's UDP port on the control plane; the Talos API's TCP port on the machine. */
  wgPort: number;
  apidPort: number;
  /** The NAT router's public address (the machine's endpoint as the control plane sees it). */
  nat: { publicIp: string };
  /** The machine's private LAN address (reachable from no other host) and its name (apid answers with it). */
  machine: { lanIp: string; name: string };
}

/** Members by need: `deploy` (the platform's deploy; it creates org namespaces). */
export type DeployMember = 'app' | 'deploy' | 'remove' | 'metadata';
/** `internet`: a user on the internet and at their DNS provider. */
export type InternetMember = 'lbIp' | 'edgeIp' | 'publicDns' | 'pebbleRoot' | 'userDns' | 'http' | 'dns' | 'tls';
/** `lab`: the embedded lab's own hooks (functions; envs/env-parts.ts withoutLabHooks makes them errors elsewhere) ... */
export type LabHook =
  | 'inPod'
  | 'edgeAccessLog'
  | 'rewriteMetadata'
  | 'selfSignedSecret'
  | 'stopComponent'
  | 'startComponent'
  | 'blockPort'
  | 'restartComponent';
/** ... and its data, which no other provider has. */
export type LabMember = LabHook | 'lab' | 'internet';
/** `management`: the management path (SideroLink overlay, the Talos API behind NAT). */
export type ManagementMember = 'mgmt';
/** Every member beyond ClusterEnv has a need: a member added to ScenarioEnv without one is a compile error here. */
export const EVERY_MEMBER_HAS_A_NEED: [
  Exclude<keyof ScenarioEnv, keyof ClusterEnv | DeployMember | InternetMember | LabMember | ManagementMember>,
] extends [never]
  ? true
  : never = true;
