#!/usr/bin/env node
// `npm start`: builds what is needed, then runs the desk in Electron where its binary is installed,
// otherwise the browser build on 127.0.0.1 (same services, same UI). `--web` forces the browser build.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const run = (script) => {
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

function electronBinary() {
  try {
    const pkgDir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const wantWeb = process.argv.includes('--web');
const binary = wantWeb ? null : electronBinary();
run('build:renderer');
if (binary) {
  run('build:electron');
  const child = spawn(binary, [root], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!wantWeb) console.log('Electron chưa được cài (không có tệp chạy); mở bản trình duyệt thay thế.');
  const port = process.env.PORT ?? '4310';
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'electron/host/main.ts'), '--port', port],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  child.stdout.once('data', (line) => {
    const { url, dataDir } = JSON.parse(String(line));
    console.log(`MotCua Desk đang chạy tại ${url}  (dữ liệu: ${dataDir}). Nhấn Ctrl+C để dừng.`);
  });
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}
