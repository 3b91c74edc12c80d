/** Asking the lab apiserver whether it is ready, over TLS with the admin client certificate. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import type { Pki } from './pki.ts';

export function apiAgent(pki: Pki): Agent {
  return new Agent({
    connect: {
      ca: readFileSync(pki.ca),
      cert: readFileSync(join(pki.dir, 'admin.crt')),
      key: readFileSync(join(pki.dir, 'admin.key')),
      timeout: 2000,
    },
  });
}

export async function readyz(agent: Agent, server: string): Promise<boolean> {
  const res = await request(`${server}/readyz`, { dispatcher: agent, headersTimeout: 2000, bodyTimeout: 2000 });
  await res.body.text();
  return res.statusCode === 200;
}
