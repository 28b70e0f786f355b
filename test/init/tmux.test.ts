/**
 * regctl init in a real terminal (tmux, fixed size): the built CLI, typing only the hostname and
 * pressing Enter on every other question, then `regctl prepare` on the written file; and Ctrl-C
 * midway, after which nothing is written. Needs tmux and a build (npm run build; npm test runs it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { X509Certificate } from 'node:crypto';
import { regctl } from '../helpers/cli.js';
import { repoRoot } from '../helpers/workspace.js';
import { tempDir } from './helpers.js';

const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * One tmux server per session: killing a server's last session makes it exit, and a new-session
 * sent to it meanwhile fails ("server exited unexpectedly").
 */
const socketOf = (session: string) => `regctl-init-test-${process.pid}-${session}`;
const tmuxFor = (session: string, ...args: string[]) => execFileSync('tmux', ['-L', socketOf(session), ...args], { encoding: 'utf8' });
const started: string[] = [];

afterEach(() => {
  for (const s of started.splice(0)) {
    try {
      tmuxFor(s, 'kill-server');
    } catch {
      /* already gone */
    }
  }
});

function start(name: string, args: string[], cwd: string): void {
  const cmd = `cd ${cwd} && ${process.execPath} ${path.join(repoRoot, 'bin', 'regctl')} ${args.join(' ')}; echo "REGCTL-EXIT=$?"; sleep 120`;
  tmuxFor(name, 'new-session', '-d', '-s', name, '-x', '160', '-y', '50', cmd);
  started.push(name);
}

const screen = (name: string) => tmuxFor(name, 'capture-pane', '-p', '-J', '-S', '-', '-t', name);

async function waitFor(name: string, test: (text: string) => boolean, what: string, ms = 30_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const text = screen(name);
    if (test(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const answered = (text: string) => text.split('\n').filter((l) => l.startsWith('✔')).length;
const exitOf = (text: string) => /REGCTL-EXIT=(\d+)/.exec(text)?.[1];
/** a question is waiting: its line starts with '?' (inquirer turns it into '✔ ...' once answered) */
const asking = (text: string) => /^\? /m.test(text);

/**
 * Presses Enter on each question once it is on the screen, one at a time (after `done` answers
 * the next Enter waits for a new '? ' line), until `stop` holds for the screen or the run exits.
 */
async function pressEnterOnEach(name: string, done: number, stop: (text: string) => boolean, ms: number): Promise<{ text: string; done: number }> {
  const deadline = Date.now() + ms;
  for (;;) {
    const text = await waitFor(name, (s) => exitOf(s) !== undefined || stop(s) || (answered(s) === done && asking(s)), `question ${done + 1}`, Math.max(1, deadline - Date.now()));
    if (exitOf(text) !== undefined || stop(text)) return { text, done };
    tmuxFor(name, 'send-keys', '-t', name, 'Enter');
    done++;
  }
}

// CI installs tmux (scripts/test-setup.sh): there a missing tmux is a failure, not a skip
describe.skipIf(!hasTmux && process.env['CI'] !== 'true')('regctl init in a terminal (tmux)', () => {
  it('types only the hostname, takes every other default; prepare accepts the file', async () => {
    const dir = tempDir();
    const root = path.join(dir, 'root');
    mkdirSync(root);
    const file = path.join(dir, 'harbor.yml');
    const t0 = Date.now();
    start('init-defaults', ['init', '--output', file, '--root', root], dir);
    await waitFor('init-defaults', (s) => s.includes('? Hostname clients use'), 'the hostname prompt');
    tmuxFor('init-defaults', 'send-keys', '-t', 'init-defaults', '-l', 'harbor.e2e.example');
    tmuxFor('init-defaults', 'send-keys', '-t', 'init-defaults', 'Enter');
    // every later question: Enter once it is on the screen
    const { text, done } = await pressEnterOnEach('init-defaults', 1, () => false, 90_000);
    const ms = Date.now() - t0;
    expect(exitOf(text), text).toBe('0');
    expect(text).toContain('✔ Hostname clients use');
    expect(text).toContain('harbor.e2e.example');
    expect(text).toMatch(/admin password \(user admin\): +[A-Za-z0-9]{20}/); // shown once, on the terminal
    expect(text).toContain('✔ Run regctl install now? No');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const y = parse(readFileSync(file, 'utf8'));
    expect(y.hostname).toBe('harbor.e2e.example');
    expect(y.harbor_admin_password.length).toBeGreaterThanOrEqual(12);
    expect(y.harbor_admin_password).not.toBe('Harbor12345');
    const cert = new X509Certificate(readFileSync(path.join(root, y.https.certificate)));
    expect(cert.checkHost('harbor.e2e.example')).toBe('harbor.e2e.example');
    const prep = await regctl(['prepare', '--config', file, '--root', root], { cwd: dir });
    expect(prep.code, prep.stderr).toBe(0);
    console.log(`tmux init run: ${ms} ms to the written file (${done} answers); prepare ${prep.ms} ms`);
  }, 120_000);

  it('Ctrl-C midway writes nothing', async () => {
    const dir = tempDir();
    const root = path.join(dir, 'root');
    mkdirSync(root);
    const file = path.join(dir, 'harbor.yml');
    start('init-ctrl-c', ['init', '--output', file, '--root', root], dir);
    await waitFor('init-ctrl-c', (s) => s.includes('? Hostname clients use'), 'the hostname prompt');
    tmuxFor('init-ctrl-c', 'send-keys', '-t', 'init-ctrl-c', '-l', 'harbor.e2e.example');
    tmuxFor('init-ctrl-c', 'send-keys', '-t', 'init-ctrl-c', 'Enter');
    const midway = await pressEnterOnEach('init-ctrl-c', 1, (t) => /^\? data_volume/m.test(t), 45_000);
    expect(exitOf(midway.text)).toBeUndefined();
    tmuxFor('init-ctrl-c', 'send-keys', '-t', 'init-ctrl-c', 'C-c');
    const text = await waitFor('init-ctrl-c', (s) => exitOf(s) !== undefined, 'the exit');
    expect(exitOf(text)).toBe('2');
    expect(text).toContain('E_ABORTED');
    expect(existsSync(file)).toBe(false);
    expect(existsSync(path.join(root, 'etc'))).toBe(false);
  }, 60_000);
});
