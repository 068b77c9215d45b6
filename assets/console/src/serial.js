// The serial console page: xterm.js over the cabinet's own WebSocket proxy. Bytes both ways
// are binary frames; text frames are messages from vpsbox (e.g. another session took over).
import { Terminal } from '@xterm/xterm';

const root = document.getElementById('console');
const status = document.getElementById('console-status');

// The page's CSP lets <style> elements apply only with its nonce; xterm.js creates its own,
// so stamp the nonce on every <style> at creation (before insertion, where it counts).
const styleNonce = root && root.dataset.styleNonce;
if (styleNonce) {
  const create = Document.prototype.createElement;
  Document.prototype.createElement = function (name, options) {
    const el = create.call(this, name, options);
    if (String(name).toLowerCase() === 'style') el.setAttribute('nonce', styleNonce);
    return el;
  };
}

// The page's words in the reader's language (data-say-* attributes), English if absent.
const word = (key, english) => (root && root.dataset[key]) || english;

function say(text, kind) {
  status.textContent = text;
  status.dataset.state = kind;
}

function start() {
  const term = new Terminal({ cols: 100, rows: 30, convertEol: false, scrollback: 5000 });
  term.open(document.getElementById('console-screen'));
  const ws = new WebSocket(`wss://${location.host}${root.dataset.ws}?ticket=${encodeURIComponent(root.dataset.ticket)}`);
  ws.binaryType = 'arraybuffer';
  const encoder = new TextEncoder();
  ws.addEventListener('open', () => {
    say(word('sayConnected', 'Connected — press Enter for a prompt'), 'connected');
    root.dataset.connected = 'true';
    term.focus();
  });
  ws.addEventListener('message', (e) => {
    if (typeof e.data === 'string') say(e.data, 'info');
    else term.write(new Uint8Array(e.data));
  });
  ws.addEventListener('close', (e) => {
    root.dataset.connected = 'false';
    // vpsbox's own close codes (4001–4006) are said in the page's language.
    say(word(`sayClose${e.code}`, e.reason) || word('sayLost', 'Disconnected — the VM may be off'), 'disconnected');
    document.getElementById('console-reconnect').hidden = false;
  });
  term.onData((d) => { if (ws.readyState === WebSocket.OPEN) ws.send(encoder.encode(d)); });
}

if (root && root.dataset.ticket) {
  say(word('sayConnecting', 'Connecting…'), 'connecting');
  start();
}
