// The graphical console page: noVNC over the cabinet's own WebSocket proxy. The page carries a
// single-use ticket in data attributes; "Reconnect" reloads the page for a fresh one.
import RFB from '@novnc/novnc';
import { typeText } from './keys.js';

const root = document.getElementById('console');
const status = document.getElementById('console-status');
const screen = document.getElementById('console-screen');

// The page's words in the reader's language (data-say-* attributes), English if absent.
const word = (key, english) => (root && root.dataset[key]) || english;

function say(text, kind) {
  status.textContent = text;
  status.dataset.state = kind;
}

function start() {
  const url = `wss://${location.host}${root.dataset.ws}?ticket=${encodeURIComponent(root.dataset.ticket)}`;
  // The page opens the socket itself, so that it learns the close code: why vpsbox ended the
  // session (logged out, idle, deleted, suspended), said in the reader's language.
  const ws = new WebSocket(url);
  let closed = null;
  ws.addEventListener('close', (e) => { closed = e; });
  const rfb = new RFB(screen, ws, { shared: true });
  rfb.scaleViewport = true;
  rfb.resizeSession = false;
  rfb.addEventListener('connect', () => {
    say(word('sayConnected', 'Connected'), 'connected');
    root.dataset.connected = 'true';
  });
  rfb.addEventListener('disconnect', (e) => {
    root.dataset.connected = 'false';
    const why = closed && word(`sayClose${closed.code}`, '');
    const plain = e.detail.clean ? word('sayDisconnected', 'Disconnected') : word('sayLost', 'Connection lost — the VM may be off');
    say(why || plain, 'disconnected');
    document.getElementById('console-reconnect').hidden = false;
  });
  rfb.addEventListener('securityfailure', (e) => say(`${word('sayRefused', 'Refused')}: ${e.detail.reason || 'security failure'}`, 'disconnected'));

  document.getElementById('console-cad').addEventListener('click', () => rfb.sendCtrlAltDel());
  document.getElementById('console-full').addEventListener('click', () => {
    if (document.fullscreenElement) document.exitFullscreen(); else screen.requestFullscreen();
  });
  const scale = document.getElementById('console-scale');
  scale.addEventListener('change', () => { rfb.scaleViewport = scale.checked; });
  document.getElementById('console-paste').addEventListener('click', () => {
    const text = document.getElementById('console-text').value;
    typeText(text, (keysym, down) => rfb.sendKey(keysym, null, down));
    rfb.focus();
  });
}

if (root && root.dataset.ticket) {
  say(word('sayConnecting', 'Connecting…'), 'connecting');
  start();
}
