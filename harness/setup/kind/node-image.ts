/**
 * The kind node image, assembled the way kind's pkg/build/nodeimage does it (a build container from the base,
 * kubelet/kubeadm/kubectl copied to /usr/bin, /kind/version written, the control plane's images imported into
 * the node's containerd, then `docker commit` with kind's entrypoint), on a base made like kind's
 * images/base/Dockerfile from the Debian root file system and kind's images/base/files. `kind build node-image`
 * itself cannot run offline: it pulls etcd, CoreDNS, pause, kindnetd and local-path through containerd.
 *
 * Changes this machine needs (each found failing without it; docs/architecture.md, "The kind path offline"):
 * containerd.service without Limit* lines or OOMScoreAdjust and restrict_oom_score_adj (no CAP_SYS_RESOURCE), kubelet
 * --fail-cgroupv1=false (1.35+ refuses cgroup v1), Debian's containerd/runc/CNI plugins, and a static CNI config
 * (ptp + host-local + portmap) instead of kindnetd, a nested module the Go proxy does not serve.
 */

/** The pod network of the one node (kind's default pod subnet, first /24). */
export const POD_SUBNET = '10.244.0.0/24';

export const CNI_CONFIG_PATH = '/etc/cni/net.d/10-skyprobe-ptp.conflist';

export function cniConfig(): string {
  return `${JSON.stringify(
    {
      cniVersion: '0.4.0',
      name: 'skyprobe-ptp',
      plugins: [
        {
          type: 'ptp',
          ipMasq: true,
          ipam: { type: 'host-local', ranges: [[{ subnet: POD_SUBNET }]], routes: [{ dst: '0.0.0.0/0' }] },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  )}\n`;
}

/** Run in the build container (bash, as root) after kind's base files were copied to /. */
export const PREPARE_NODE = `set -euxo pipefail
chmod 755 /kind /kind/bin /kind/bin/* /usr/local/bin/entrypoint /usr/local/bin/clean-install
# kind's images/base/Dockerfile: units that make no sense in a container
find /lib/systemd/system/sysinit.target.wants/ -name "systemd-tmpfiles-setup.service" -delete
rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* /lib/systemd/system/local-fs.target.wants/* \\
  /lib/systemd/system/sockets.target.wants/*udev* /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/*
echo "ReadKMsg=no" >> /etc/systemd/journald.conf
ln -sf /usr/lib/systemd/systemd /sbin/init
# Debian's containerd is /usr/bin/containerd; no CAP_SYS_RESOURCE here: no Limit* or OOMScoreAdjust
sed -i -e 's#^ExecStart=/usr/local/bin/containerd#ExecStart=/usr/bin/containerd#' -e '/^Limit/d' -e '/^OOMScoreAdjust/d' /etc/systemd/system/containerd.service
# no fuse-overlayfs snapshotter (rootless only); containerd may not lower its OOM score without CAP_SYS_RESOURCE
sed -i -e '/^\\[proxy_plugins\\]/,/^  address = /d' -e 's/restrict_oom_score_adj = false/restrict_oom_score_adj = true/' /etc/containerd/config.toml
ctr oci spec | jq '.hooks.createContainer[.hooks.createContainer| length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' | jq 'del(.process.rlimits)' > /etc/containerd/cri-base.json
# kubelet 1.35+ refuses cgroup v1 unless told (this machine's cgroups are v1)
sed -i 's#^KUBELET_EXTRA_ARGS=.*#KUBELET_EXTRA_ARGS=--runtime-cgroups=/system.slice/containerd.service --fail-cgroupv1=false#' /etc/default/kubelet
systemctl enable kubelet.service containerd.service undo-mount-hacks.service
systemctl mask systemd-binfmt.service
mkdir -p /etc/kubernetes/manifests /opt/cni/bin
for p in host-local loopback ptp portmap; do ln -sf /usr/lib/cni/$p /opt/cni/bin/$p; done
chmod 755 /usr/bin/kubelet /usr/bin/kubeadm /usr/bin/kubectl
chown root:root /usr/bin/kubelet /usr/bin/kubeadm /usr/bin/kubectl
`;

/** containerd inside the build container, for `ctr images import` (kind's containerdImporter). */
export const START_CONTAINERD = 'nohup containerd > /tmp/containerd.log 2>&1 &';

/** The sandbox image kind's containerd config names (sandbox_image = "..."). */
export function sandboxImage(containerdConfig: string): string | undefined {
  return /sandbox_image\s*=\s*"([^"]+)"/.exec(containerdConfig)?.[1];
}

/** The pause image kubeadm lists (`kubeadm config images list`). */
export function kubeadmPause(list: string): string | undefined {
  return list
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /\/pause:/.test(l));
}
