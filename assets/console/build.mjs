// Bundle the console clients for embedding into the vpsbox binary (see build.rs):
// dist/vnc.js (noVNC), dist/serial.js (xterm.js) and dist/xterm.css. No network at run time.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
await esbuild.build({
  entryPoints: ['src/vnc.js', 'src/serial.js'],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  outdir: 'dist',
  legalComments: 'eof',
  logLevel: 'warning',
});
copyFileSync('node_modules/@xterm/xterm/css/xterm.css', 'dist/xterm.css');
