// Entry point of the `kvmlab` command: dispatches subcommands and turns user mistakes into one-line errors.
import { parseRunArgs, RUN_USAGE } from './runArgs';
import { EXIT_BAD_INPUT, runCommand } from './runCommand';
import { UsageError } from './usageError';

const USAGE = `usage: kvmlab <command> [options]

commands:
  run <image>   boot a guest kernel image on KVM (kvmlab run --help)
  doctor        check this host's KVM and say what will and will not work
  help          show this text`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run': {
      const opts = parseRunArgs(rest);
      if (opts.help) { process.stdout.write(`${RUN_USAGE}\n`); return 0; }
      return (await runCommand(opts, __dirname)).status;
    }
    case 'doctor': {
      const { doctorCommand } = await import('./doctorCommand');
      return doctorCommand(rest);
    }
    case undefined: case 'help': case '-h': case '--help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? EXIT_BAD_INPUT : 0;
    default:
      throw new UsageError(`unknown command '${command}' (expected run, doctor or help)`);
  }
}

main(process.argv.slice(2)).then(
  (status) => { process.exitCode = status; setImmediate(() => process.exit(status)); },
  (e) => {
    if (e instanceof UsageError) process.stderr.write(`kvmlab: ${e.message}\n`);
    else process.stderr.write(`kvmlab: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(EXIT_BAD_INPUT);
  },
);
