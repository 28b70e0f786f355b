/**
 * The wizard through the real prompt library (@inquirer/prompts), rendered in memory by
 * @inquirer/testing: what a person sees and types. Typed passwords are masked, a refused answer
 * shows the loader's message and the same question again, Ctrl-C ends the run with nothing written.
 */
import { screen } from '@inquirer/testing/vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runQuestions } from '../../src/init/questions.js';
import { isPromptAbort, terminalPrompter } from '../../src/init/prompter.js';
import { runInit } from '../../src/init/run.js';
import { memoryOutput } from '../../src/output.js';
import { RegctlError } from '../../src/errors.js';
import { tempDir, testDetection, testEnv } from './helpers.js';

const said = new PassThrough();

/** Presses Enter on every prompt until `done` settles, after `steps` ran on the prompts they name. */
async function drive(done: Promise<unknown>, steps: { when: RegExp; keys: () => void }[] = []): Promise<string[]> {
  let settled = false;
  void done.then(() => (settled = true), () => (settled = true));
  const screens: string[] = [];
  for (let i = 0; i < 200 && !settled; i++) {
    // the first prompt appears after the run's own async start (imports, detection)
    for (let w = 0; w < 50 && !screen.getScreen() && !settled; w++) await new Promise((r) => setTimeout(r, 10));
    const text = screen.getScreen();
    screens.push(text);
    const step = steps.find((s) => s.when.test(text));
    if (step) {
      steps.splice(steps.indexOf(step), 1);
      step.keys();
    } else screen.keypress('enter');
    await Promise.race([screen.next(), done.catch(() => {})]);
  }
  return screens;
}

describe('regctl init through @inquirer/prompts', () => {
  it('typing only the hostname and accepting every other default', async () => {
    const env = testEnv(await terminalPrompter(said));
    const done = runQuestions(env);
    const screens = await drive(done, [{ when: /Hostname clients use/, keys: () => { for (let i = 0; i < 20; i++) screen.keypress('backspace'); screen.type('harbor.test.example'); screen.keypress('enter'); } }]);
    const m = await done;
    expect(screens[0]).toContain('(reg.test.example)'); // the FQDN is the proposed default
    expect(m.hostname).toBe('harbor.test.example');
    expect(m).toMatchObject({ protocol: 'https', httpsPort: 443, httpPort: 80, trivy: true, cert: { kind: 'generate', sans: ['harbor.test.example', '192.0.2.10', '2001:db8::10'] } });
    expect(m.adminPassword).toHaveLength(20);
  });

  it('a refused hostname shows the config loader\'s message and stays on the question', async () => {
    const env = testEnv(await terminalPrompter(said));
    const done = runQuestions(env);
    let refused = '';
    await drive(done, [
      { when: /Hostname clients use/, keys: () => { for (let i = 0; i < 20; i++) screen.keypress('backspace'); screen.type('localhost'); screen.keypress('enter'); } },
      { when: /loopback name/, keys: () => { refused = screen.getScreen(); for (let i = 0; i < 9; i++) screen.keypress('backspace'); screen.type('ok.test.example'); screen.keypress('enter'); } },
    ]);
    expect(refused).toContain('Hostname clients use');
    expect(refused).toContain("hostname 'localhost' is a loopback name");
    expect((await done).hostname).toBe('ok.test.example');
  });

  it('a typed password is masked on the screen', async () => {
    const env = testEnv(await terminalPrompter(said));
    const done = runQuestions(env);
    let typed = '';
    await drive(done, [
      { when: /Harbor admin password:/, keys: () => { screen.keypress('down'); screen.keypress('enter'); } },
      { when: /admin password \(at least 12/, keys: () => { screen.type('Sup3rSecretValue'); typed = screen.getScreen(); screen.keypress('enter'); } },
      { when: /admin password again/, keys: () => { screen.type('Sup3rSecretValue'); screen.keypress('enter'); } },
    ]);
    expect(typed).not.toContain('Sup3rSecretValue');
    expect(typed).toContain('*'.repeat(16));
    expect((await done).adminPassword).toBe('Sup3rSecretValue');
  });

  it('Ctrl-C midway ends the run: nothing is written, exit 2', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'harbor.yml');
    const done = runInit({
      cwd: dir,
      out: memoryOutput(),
      prompter: await terminalPrompter(said),
      output: file,
      root: dir,
      defaults: {},
      detect: async () => testDetection,
      checkPort: async () => ({ free: true, detail: '', fix: '' }),
    });
    await drive(done, [{ when: /data_volume/, keys: () => screen.keypress({ name: 'c', ctrl: true }) }]);
    const err = await done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegctlError);
    expect(err).toMatchObject({ code: 'E_ABORTED', exitCode: 2 });
    expect(existsSync(file)).toBe(false);
    expect(existsSync(path.join(dir, 'etc'))).toBe(false); // no certificate either
    expect(isPromptAbort(Object.assign(new Error('x'), { name: 'ExitPromptError' }))).toBe(true);
  });
});
