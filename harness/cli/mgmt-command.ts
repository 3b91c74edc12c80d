/** `skyprobe mgmt status`: the SideroLink overlay's peers, last handshake, transfer, and apid reachability. */
import type { Command } from 'commander';
import { SkyprobeError } from '../errors.ts';
import { MGMT } from '../providers/embedded/address-plan.ts';

export function registerMgmt(mgmt: Command): void {
  mgmt
    .command('status')
    .description('SideroLink overlay peers, last handshake, transfer, and Talos API reachability over the overlay')
    .option('--json', 'print the status as JSON')
    .action(async (opts: { json?: boolean }) => {
      // Loaded when the verb runs (the lab's modules pull in the Kubernetes client): see lab-command.ts.
      const [{ execRunner }, { apidProbe, overlayStatus }, { liveLab }, { labApidClient, labOverlay }] =
        await Promise.all([
          import('../exec/runner.ts'),
          import('../probes/mgmt.ts'),
          import('../providers/embedded/live-lab.ts'),
          import('../providers/embedded/mgmt.ts'),
        ]);
      const lab = liveLab();
      if (!lab?.hosts.machine)
        throw new SkyprobeError('no lab with the management path is running', {
          hint: 'start one: skyprobe lab up --keep',
        });
      const overlay = await overlayStatus(execRunner, labOverlay(lab));
      const apid = await apidProbe(execRunner, labApidClient(lab), MGMT.machineUla);
      if (opts.json) return void process.stdout.write(`${JSON.stringify({ overlay, apid }, null, 2)}\n`);
      const out = [
        `SideroLink ${overlay.iface} in the control plane: ${overlay.up ? `up, listening on UDP ${overlay.listenPort}` : `DOWN (${overlay.error})`}`,
      ];
      for (const p of overlay.peers)
        out.push(
          `  peer ${p.publicKey.slice(0, 12)}… ${p.allowedIps.join(',')} endpoint ${p.endpoint ?? '(none)'}; last handshake ${p.latestHandshake ? `${p.handshakeAgeS}s ago` : 'never'}; rx ${p.rxBytes} B, tx ${p.txBytes} B`,
        );
      out.push(
        apid.ok
          ? `Talos API at ${apid.target}: ${apid.hostname} ${apid.tag} (${apid.latencyMs} ms)`
          : `Talos API at ${apid.target}: NOT REACHABLE (${apid.error})`,
      );
      process.stdout.write(`${out.join('\n')}\n`);
      if (!apid.ok || !overlay.up) process.exitCode = 1;
    });
}
