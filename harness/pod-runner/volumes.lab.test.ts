/**
 * Volumes in real pods of a real lab: each volume type mounted where the pod spec says, with the content and mode
 * the kubelet would give, ConfigMap updates reaching the mounted file, in-cluster config from the service account
 * volume, an unsupported type failing with an event, and nothing left mounted after the pod, the lab, or a killed
 * pod runner.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRunner } from '../exec/runner.ts';
import { applyObjects, parseObjects } from '../k8s/apply.ts';
import { type Clients, clientsFor } from '../k8s/client.ts';
import { silentProgress } from '../log.ts';
import { labDown, labUp, liveLab } from '../providers/embedded/lab.ts';
import { labelledProcesses } from '../providers/embedded/processes.ts';
import type { LabState } from '../providers/embedded/state.ts';
import { sweepLabs } from '../providers/embedded/sweep.ts';
import { waitUntil } from '../converge.ts';

const NS = 'vol-test';

// Each pod prints what it sees, then (bounded: 240 rounds of 0.5 s) the file that the update test changes.
const manifests = `
apiVersion: v1
kind: Namespace
metadata: {name: ${NS}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: ${NS}}
data: {greeting: hello, other: "two"}
---
apiVersion: v1
kind: Secret
metadata: {name: app-secret, namespace: ${NS}}
stringData: {tls.crt: CERT-BYTES, tls.key: KEY-BYTES}
---
apiVersion: v1
kind: Pod
metadata:
  name: files
  namespace: ${NS}
  labels: {app: files, tier: "t1"}
  annotations: {note: "a b"}
spec:
  restartPolicy: Never
  containers:
  - name: sh
    image: skyprobe/toolbox
    command: [sh, -c]
    args:
    - |
      show() { echo "FILE $1 $(stat -L -c %a "$1") $(cat "$1" | tr '\\n' '|')"; }
      show /etc/cfg/greeting; show /etc/cfg/sub/other
      show /etc/secret-volume/crt; show /etc/secret-volume/key
      show /etc/pod/name; show /etc/pod/labels; show /etc/pod/annotations
      show /var/run/secrets/kubernetes.io/serviceaccount/namespace
      show /var/run/secrets/tokens/aud-token
      echo "LINK $(readlink /etc/cfg/..data) $(readlink /etc/cfg/greeting)"
      echo "MEMFS $(findmnt -n -o FSTYPE --target /scratch/mem) DISKFS $(findmnt -n -o FSTYPE --target /scratch/disk)"
      echo x > /scratch/mem/w && echo "MEMWRITE ok"
      echo x > /etc/cfg/new 2>/dev/null || echo "CFGWRITE refused"
      SA=/var/run/secrets/kubernetes.io/serviceaccount
      echo "WHOAMI $(curl -sS -m 5 --cacert $SA/ca.crt -H "Authorization: Bearer $(cat $SA/token)" \\
        -H 'Content-Type: application/json' -X POST \\
        -d '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}' \\
        https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/apis/authentication.k8s.io/v1/selfsubjectreviews \\
        | tr -d '\\n ')"
      echo DONE
      for i in $(seq 1 240); do echo "NOW $(cat /etc/cfg/greeting)"; sleep 0.5; done
    volumeMounts:
    - {name: cfg, mountPath: /etc/cfg}
    - {name: sec, mountPath: /etc/secret-volume}
    - {name: pod, mountPath: /etc/pod}
    - {name: mem, mountPath: /scratch/mem}
    - {name: disk, mountPath: /scratch/disk}
    - {name: tok, mountPath: /var/run/secrets/tokens}
  volumes:
  - name: cfg
    configMap:
      name: app-config
      items: [{key: greeting, path: greeting, mode: 0o600}, {key: other, path: sub/other}]
  - name: sec
    secret:
      secretName: app-secret
      defaultMode: 0o400
      items: [{key: tls.crt, path: crt}, {key: tls.key, path: key}]
  - name: pod
    downwardAPI:
      items:
      - {path: name, fieldRef: {fieldPath: metadata.name}}
      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
      - {path: annotations, fieldRef: {fieldPath: metadata.annotations}}
  - name: mem
    emptyDir: {medium: Memory}
  - name: disk
    emptyDir: {}
  - name: tok
    projected:
      sources:
      - serviceAccountToken: {path: aud-token, audience: skyprobe-test, expirationSeconds: 600}
---
apiVersion: v1
kind: Pod
metadata: {name: hostpath, namespace: ${NS}}
spec:
  restartPolicy: Never
  containers: [{name: sh, image: skyprobe/toolbox, command: [sh, -c, "cat /host/passwd"], volumeMounts: [{name: h, mountPath: /host}]}]
  volumes: [{name: h, hostPath: {path: /etc}}]
`;

describe('pod volumes in a real lab', () => {
  let lab: LabState;
  let k: Clients;
  let filesUid = '';

  beforeAll(async () => {
    lab = await labUp({ nodes: 1, run: execRunner, progress: silentProgress });
    k = clientsFor(lab.kubeconfig);
    await applyObjects(k.objects, parseObjects(manifests));
  }, 120_000);

  afterAll(async () => {
    if (liveLab()) await labDown(execRunner);
  }, 60_000);

  const logOf = (pod: string) => {
    const f = join(lab.dir, 'logs', 'pods', `${NS}_${pod}_sh.log`);
    return existsSync(f) ? readFileSync(f, 'utf8') : '';
  };
  const line = (log: string, key: string) =>
    log
      .split('\n')
      .find((l) => l.startsWith(`${key} `))
      ?.slice(key.length + 1);
  const labMountLines = () =>
    readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .filter((l) => l.includes(`/lab-${lab.id}/`));

  it('gives configMap, secret, downwardAPI, emptyDir and projected volumes with the content and mode asked', async () => {
    const log = await waitUntil(
      'files pod printed DONE',
      async () => logOf('files').includes('DONE\n') && logOf('files'),
      { timeoutMs: 30_000 },
    );
    const pod = await k.core.readNamespacedPod({ name: 'files', namespace: NS });
    filesUid = pod.metadata?.uid ?? '';
    const files = Object.fromEntries(
      log
        .split('\n')
        .filter((l) => l.startsWith('FILE '))
        .map((l) => {
          const [, path, mode, ...rest] = l.split(' ');
          return [path, `${mode} ${rest.join(' ')}`];
        }),
    );
    expect(files['/etc/cfg/greeting']).toBe('600 hello');
    expect(files['/etc/cfg/sub/other']).toBe('644 two');
    expect(files['/etc/secret-volume/crt']).toBe('400 CERT-BYTES');
    expect(files['/etc/secret-volume/key']).toBe('400 KEY-BYTES');
    expect(files['/etc/pod/name']).toBe('644 files');
    expect(files['/etc/pod/labels']).toBe('644 app="files"|tier="t1"');
    expect(files['/etc/pod/annotations']).toBe('644 note="a b"');
    expect(files['/var/run/secrets/kubernetes.io/serviceaccount/namespace']).toBe(`644 ${NS}`);
    // The kubelet's layout: ..data -> timestamped dir, key -> ..data/key.
    expect(line(log, 'LINK')).toMatch(/^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+ \.\.data\/greeting$/);
    expect(line(log, 'MEMFS')).toMatch(/^tmpfs DISKFS /);
    expect(line(log, 'MEMFS')).not.toMatch(/DISKFS tmpfs$/);
    expect(log).toContain('MEMWRITE ok');
    expect(log).toContain('CFGWRITE refused');
    // In-cluster config works: the API server knows the pod's service account from the mounted token and CA.
    expect(line(log, 'WHOAMI')).toContain(`"username":"system:serviceaccount:${NS}:default"`);
    // The projected token carries the audience and lifetime asked for.
    const token = (files['/var/run/secrets/tokens/aud-token'] ?? '').split(' ')[1] ?? '';
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims.aud).toEqual(['skyprobe-test']);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(600);
    // None of it is on the machine: the mount paths do not exist outside the pod.
    expect(existsSync('/etc/secret-volume')).toBe(false);
    expect(existsSync('/run/secrets/kubernetes.io')).toBe(false);
  });

  it('shows a ConfigMap update in the mounted file within the resync bound', async () => {
    const cm = await k.core.readNamespacedConfigMap({ name: 'app-config', namespace: NS });
    cm.data = { ...cm.data, greeting: 'updated' };
    await k.core.replaceNamespacedConfigMap({ name: 'app-config', namespace: NS, body: cm });
    await waitUntil('the pod reads the new value', async () => logOf('files').includes('NOW updated\n'), {
      timeoutMs: 15_000,
    });
  });

  it('fails a pod with an unsupported volume type, naming it in an event and the status', async () => {
    const pod = await waitUntil(
      'hostpath pod Failed',
      async () => {
        const p = await k.core.readNamespacedPod({ name: 'hostpath', namespace: NS });
        return p.status?.phase === 'Failed' && p;
      },
      { timeoutMs: 20_000 },
    );
    expect(pod.status?.reason).toBe('FailedMount');
    expect(pod.status?.message).toContain('volume h: type hostPath');
    const events = await waitUntil(
      'FailedMount event',
      async () => {
        const ev = await k.core.listNamespacedEvent({ namespace: NS, fieldSelector: 'involvedObject.name=hostpath' });
        return ev.items.find((e) => e.reason === 'FailedMount');
      },
      { timeoutMs: 10_000 },
    );
    expect(events.message).toContain('type hostPath');
    expect(events.type).toBe('Warning');
    expect(logOf('hostpath')).toBe('');
  });

  it('leaves nothing mounted and no folder once the pod is deleted', async () => {
    expect(labMountLines().filter((l) => l.includes(filesUid)).length).toBeGreaterThan(0);
    await k.core.deleteNamespacedPod({ name: 'files', namespace: NS, gracePeriodSeconds: 1 });
    await waitUntil(
      'files pod gone',
      async () =>
        !(await k.core.listNamespacedPod({ namespace: NS })).items.some((p: V1Pod) => p.metadata?.name === 'files'),
      { timeoutMs: 20_000 },
    );
    await waitUntil('its mounts gone', async () => labMountLines().every((l) => !l.includes(filesUid)), {
      timeoutMs: 10_000,
    });
    expect(existsSync(join(lab.dir, 'pods', filesUid))).toBe(false);
  });

  it('leaves nothing mounted after the pod runner is SIGKILLed and the lab swept', async () => {
    const again = parseObjects(manifests).filter((o) => o.kind === 'Pod' && o.metadata?.name === 'files');
    await applyObjects(k.objects, again);
    await waitUntil('files pod running again', async () => logOf('files').split('DONE\n').length > 2, {
      timeoutMs: 30_000,
    });
    expect(labMountLines().some((l) => l.includes('/mntns/'))).toBe(true);
    const runner = lab.processes.find((p) => p.name === 'pod-runner');
    process.kill(runner?.pid ?? 0, 'SIGKILL');
    const report = await sweepLabs(execRunner, (id) => id === lab.id);
    expect(report.mounts.length).toBeGreaterThan(0);
    expect(labMountLines()).toEqual([]);
    expect([...labelledProcesses().values()].filter((id) => id === lab.id)).toEqual([]);
    expect(existsSync(lab.dir)).toBe(false);
  });
});
