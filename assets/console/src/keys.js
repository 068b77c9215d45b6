// Text typed as key presses (X11 keysyms) on a US keyboard layout: the guest turns them into
// characters with its own layout, so characters placed differently there may come out wrong.
const SHIFTED = '~!@#$%^&*()_+{}|:"<>?';
const SHIFT = 0xffe1;

function keysymOf(ch) {
  if (ch === '\n') return 0xff0d; // Return
  if (ch === '\t') return 0xff09; // Tab
  const cp = ch.codePointAt(0);
  if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff)) return cp;
  return 0x01000000 + cp; // Unicode keysym
}

export function typeText(text, send) {
  for (const ch of text.replace(/\r\n?/g, '\n')) {
    const shift = (ch >= 'A' && ch <= 'Z') || SHIFTED.includes(ch);
    const sym = keysymOf(ch);
    if (shift) send(SHIFT, true);
    send(sym, true);
    send(sym, false);
    if (shift) send(SHIFT, false);
  }
}
