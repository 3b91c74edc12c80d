/**
 * The embedded lab's address plan (DESIGN.md "The embedded lab"). Every address lives only inside the lab's own
 * network namespaces; the harness reaches them through one veth whose routes cover these ranges and nothing else.
 */

/**
 * Ranges the root namespace routes into the lab, and nothing else. The lab's internet-side ranges
 * (198.51.100.0/24, 203.0.113.0/24) are never routed from the root namespace: documentation ranges are where
 * this machine's own package registries may live (the Go proxy answers at 203.0.113.80 here), so the harness
 * reaches internet-side hosts only by running its probes inside the lab's internet namespace.
 */
export const LAB_ROUTES = ['10.89.0.0/16', '10.244.0.0/16'] as const;

/** The /30 between the root namespace (the harness) and the lab's fabric router. */
export const HARNESS_LINK = { fabric: '10.89.255.1', root: '10.89.255.2', prefix: 30 } as const;

/** Segments the fabric routes between, with the fabric's own (gateway) address on each. */
export const SEGMENTS = {
  cluster: { cidr: '10.89.0.0/24', gateway: '10.89.0.254' },
  internet: { cidr: '198.51.100.0/24', gateway: '198.51.100.1' },
  lb: { cidr: '203.0.113.0/24', gateway: '203.0.113.1' },
} as const;
export type SegmentName = keyof typeof SEGMENTS;

export const CLUSTER = {
  serviceCidr: '10.96.0.0/16',
  /** The `kubernetes` Service's ClusterIP: the first of serviceCidr. */
  apiServiceIp: '10.96.0.1',
  dnsServiceIp: '10.96.0.10',
  podCidr: '10.244.0.0/16',
  domain: 'cluster.local',
  apiPort: 6443,
} as const;

/** A lab host: a network namespace with one address per segment it sits on. */
export interface HostPlan {
  role: string;
  addresses: { segment: SegmentName; ip: string }[];
}

export const CONTROL_PLANE: HostPlan = {
  role: 'cp',
  addresses: [
    { segment: 'cluster', ip: '10.89.0.1' },
    { segment: 'internet', ip: '198.51.100.20' },
  ],
};

/** Cluster DNS (CoreDNS for cluster.local) sits behind the kube-dns Service. */
export const CLUSTER_DNS_HOST: HostPlan = { role: 'cdns', addresses: [{ segment: 'cluster', ip: '10.89.0.3' }] };

/** node-N: 10.89.0.(10+N), pods 10.244.N.0/24. N is 1-based; at most 9 nodes. */
export function nodePlan(n: number): HostPlan & { name: string; podCidr: string; podGateway: string } {
  if (!Number.isInteger(n) || n < 1 || n > 9) throw new RangeError(`node number ${n} is outside 1..9`);
  return {
    role: `node-${n}`,
    name: `node-${n}`,
    addresses: [{ segment: 'cluster', ip: `10.89.0.${10 + n}` }],
    podCidr: `10.244.${n}.0/24`,
    podGateway: `10.244.${n}.1`,
  };
}

export const MAX_NODES = 9;

/** The n-th usable pod address of a node's /24 (2..254; .1 is the node's side of every pod link). */
export function podAddress(node: number, index: number): string {
  if (index < 2 || index > 254) throw new RangeError(`pod index ${index} is outside 2..254`);
  return `10.244.${node}.${index}`;
}

/** Names: every namespace of a lab starts with sky-<labid>-, which is how a sweep finds them. */
export function netnsName(labId: string, role: string): string {
  return `sky-${labId}-${role}`;
}

/** The one veth in the root namespace; its name carries the lab id (interface names are <= 15 chars). */
export function rootLinkName(labId: string): string {
  return `sky${labId}`;
}

export const LAB_ID = /^[0-9a-f]{4}$/;

/** A pod's namespace, and the name of its link in the node's namespace, from the pod's uid. */
export function podNetnsName(labId: string, uid: string): { netns: string; hostLink: string } {
  const short = uid.replace(/-/g, '').slice(0, 10);
  return { netns: netnsName(labId, `pod-${short}`), hostLink: `p${short}` };
}

/** The Satusky routing stack's hosts (issue: routing stack). */
export const STACK_HOSTS = {
  internet: { role: 'internet', addresses: [{ segment: 'internet', ip: '198.51.100.10' }] },
  dns: { role: 'dns', addresses: [{ segment: 'internet', ip: '198.51.100.53' }] },
  acme: { role: 'acme', addresses: [{ segment: 'internet', ip: '198.51.100.14' }] },
  lb: { role: 'lb', addresses: [{ segment: 'lb', ip: '203.0.113.10' }] },
  edge: { role: 'edge', addresses: [{ segment: 'cluster', ip: '10.89.0.2' }] },
} satisfies Record<string, HostPlan>;

const first = (h: HostPlan) => (h.addresses[0] as { ip: string }).ip;
export const PUBLIC_DNS_IP = first(STACK_HOSTS.dns);
export const ACME_IP = first(STACK_HOSTS.acme);
export const LB_IP = first(STACK_HOSTS.lb);
export const EDGE_IP = first(STACK_HOSTS.edge);

/** The management path (SideroLink stand-in): a machine on a private LAN behind a NAT router. */
export const MGMT = {
  nat: { role: 'nat', publicIp: '198.51.100.30', lanIp: '192.168.77.1' },
  machine: { role: 'machine', lanIp: '192.168.77.2', name: 'machine-1' },
  lanPrefix: 24,
  /** SideroLink prefix; the control plane is ::1 on UDP 50180, the machine gets ::2. */
  prefix: 'fdae:41e4:649b:9303::/64',
  serverUla: 'fdae:41e4:649b:9303::1',
  machineUla: 'fdae:41e4:649b:9303::2',
  wgPort: 50180,
  apidPort: 50000,
  /** Interface name prefix: wireguard-go's control socket (/var/run/wireguard/<iface>.sock) is machine-wide, so
   *  each lab and side gets its own name: wgIface(labId, 'cp' | 'machine'). */
  ifacePrefix: 'slk',
  talosVersion: 'v1.11.5',
} as const;

/** The SideroLink interface of one side of one lab (<= 15 characters, unique on the machine). */
export function wgIface(labId: string, side: 'cp' | 'machine'): string {
  return `${MGMT.ifacePrefix}${labId}${side === 'cp' ? 'c' : 'm'}`;
}
