/** The machine's names, read from the system (kept apart from the pure SAN collection). */
import os from 'node:os';
import { execa } from 'execa';

/** `hostname -f`, when it answers quickly with a dotted name; undefined otherwise. */
export async function machineFqdn(): Promise<string | undefined> {
  try {
    const { stdout } = await execa('hostname', ['-f'], { timeout: 3000, reject: true });
    const name = stdout.trim();
    return name.includes('.') ? name : undefined;
  } catch {
    return undefined;
  }
}

export async function machineIdentity(): Promise<{ hostname: string; fqdn?: string; interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> }> {
  return { hostname: os.hostname(), fqdn: await machineFqdn(), interfaces: os.networkInterfaces() };
}
