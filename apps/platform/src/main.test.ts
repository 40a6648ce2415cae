import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

beforeAll(() => {
  execFileSync('npx', ['tsc', '-b', 'apps/platform'], { cwd: root, stdio: 'inherit' });
}, 120_000);

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: '0', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /"address":"(http:\/\/[^"]+)"/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(`exited before listening: ${stderr}`)));
  });
  // Tests that expect a refusal never await the address.
  address.catch(() => undefined);
  return { child, exited, address, output: () => ({ stdout, stderr }) };
}

describe('npm start (apps/platform)', () => {
  it('answers /health and /ready, and exits 0 on SIGTERM', async () => {
    const platform = start({});
    const address = await platform.address;
    expect((await fetch(`${address}/health`)).status).toBe(200);
    const ready = await fetch(`${address}/ready`);
    expect(ready.status).toBe(200);
    platform.child.kill('SIGTERM');
    expect(await platform.exited).toBe(0);
  });

  it('refuses to start on bad configuration, listing every bad variable', async () => {
    const platform = start({ PORT: 'not-a-port', LOG_LEVEL: 'loud' });
    expect(await platform.exited).toBe(78);
    const { stderr } = platform.output();
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('LOG_LEVEL');
  });

  it('serves the demo page', async () => {
    const platform = start({});
    const address = await platform.address;
    const page = await fetch(`${address}/demo/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    platform.child.kill('SIGTERM');
    expect(await platform.exited).toBe(0);
  });

  it('refuses to start in production without a metrics token, naming the variable', async () => {
    const platform = start({ NODE_ENV: 'production' });
    expect(await platform.exited).toBe(78);
    expect(platform.output().stderr).toContain('METRICS_TOKEN');
  });

  it('refuses the development sign-in in production even when the configuration is valid', async () => {
    const platform = start({
      NODE_ENV: 'production',
      METRICS_TOKEN: 'a'.repeat(16) + 'b7c1d2e3f4a5b6c7d8e9',
    });
    expect(await platform.exited).not.toBe(0);
    expect(platform.output().stderr).toMatch(/refused in production/);
  });
});
