/**
 * skyprobe <verb>: parses flags, prints, sets exit codes. No logic of its own: each verb calls the harness.
 * Exit codes (DESIGN.md): 0 all passed; 1 a check failed; 2 bad input or environment; 3 pending.
 */
import { Command, CommanderError, Option } from 'commander';
import { printError } from './print-error.ts';
import { registerCapture } from './capture-command.ts';
import { registerDeploy } from './deploy-command.ts';
import { registerDomains } from './domains-command.ts';
import { registerLab } from './lab-command.ts';
import { registerMgmt } from './mgmt-command.ts';
import { registerRender } from './render-command.ts';
import { registerReport } from './report-command.ts';
import { registerRun } from './run-command.ts';
import { registerSetup } from './setup-command.ts';
import { SkyprobeError } from '../errors.ts';

/** Every leaf verb with its usage and one-line summary, for the top-level --help. */
function verbList(program: Command): string {
  const rows: [string, string][] = [];
  const walk = (cmd: Command, prefix: string) => {
    for (const sub of cmd.commands) {
      const name = `${prefix}${sub.name()}`;
      if (sub.commands.length > 0) walk(sub, `${name} `);
      else rows.push([`${name} ${sub.usage()}`.replace(/ \[options\]$/, ''), sub.description()]);
    }
  };
  walk(program, '');
  const width = Math.max(...rows.map(([u]) => u.length));
  return rows.map(([u, d]) => `  ${u.padEnd(width)}  ${d}`).join('\n');
}

export function buildProgram(): Command {
  const program = new Command('skyprobe')
    .description(
      "Conformance and diagnostics harness for Satusky's networking: brings up a lab of real components\n" +
        '(Kubernetes, Traefik, cert-manager, Pebble, CoreDNS, wireguard-go) and proves the networking contract.',
    )
    .addOption(new Option('--verbose', 'show stack traces and command output on errors'))
    .showHelpAfterError('(run skyprobe --help for usage)')
    .exitOverride();
  registerSetup(program);
  const lab = program.command('lab').description('the embedded lab');
  registerLab(lab);
  registerDeploy(program);
  registerRender(program);
  registerRun(program);
  const domains = program.command('domains').description('domain diagnostics');
  registerDomains(domains);
  registerCapture(program);
  const mgmt = program.command('mgmt').description('management path (SideroLink stand-in)');
  registerMgmt(mgmt);
  const report = program.command('report').description('run reports');
  registerReport(report);
  program.configureHelp({ visibleCommands: () => [] });
  program.addHelpText(
    'after',
    () => `\nVerbs:\n${verbList(program)}\n\nRun skyprobe <verb> --help for a verb's flags.`,
  );
  return program;
}

/** Run the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version are not errors; commander already printed its own message otherwise.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version')
        return 0;
      return 2;
    }
    return printError(err, verbose);
  }
}
