/** Where the routing stack keeps its files inside the lab folder (a module of its own: see live-lab.ts). */
import { join } from 'node:path';

export function stackPaths(labDir: string) {
  return {
    zones: join(labDir, 'zones'),
    pebbleRoot: join(labDir, 'pebble-root.pem'),
    accessLog: join(labDir, 'logs', 'traefik-access.log'),
    metadata: join(labDir, 'metadata'),
  };
}
