/** `skyprobe setup --kind --engine` and `setup --engine-stop`: skyprobe's own Docker engine, on request only. */
import { execRunner } from '../../exec/runner.ts';
import type { Progress } from '../../log.ts';
import { enginePaths } from './engine-config.ts';
import { startEngine, stopEngine } from './engine.ts';

export async function engineCommand(action: 'start' | 'stop', progress: Progress): Promise<void> {
  const p = enginePaths();
  if (action === 'start') {
    const st = await startEngine(execRunner, progress, p);
    process.stderr.write(
      `skyprobe's Docker engine runs in network namespace ${st.netns} (pid ${st.pid}): DOCKER_HOST=${st.dockerHost}; stop it with: npx skyprobe setup --engine-stop\n`,
    );
    return;
  }
  const restored = await stopEngine(execRunner, progress, p);
  process.stderr.write(
    `skyprobe's Docker engine is stopped${restored.length > 0 ? `; host sysctls restored: ${restored.join(', ')}` : ''}\n`,
  );
}
