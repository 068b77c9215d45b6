// Passkeys: the one part of signing in that needs JavaScript, because only the browser's
// navigator.credentials can talk to an authenticator. A button with data-passkey="register",
// "login" or "second" asks its data-options URL for a challenge, lets the browser ask the
// authenticator, and posts the answer to its data-finish URL; the server answers
// {"next": path} or {"error": text, "code": code}. Texts come from the page (data-msg-*), so
// this file holds no words of its own.

const enc = (buf) => {
  let s = "";
  for (const b of new Uint8Array(buf)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

const dec = (s) => {
  const b = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
  return Uint8Array.from(b, (c) => c.charCodeAt(0)).buffer;
};

const csrf = () => document.querySelector("input[name=csrf]")?.value ?? "";

async function post(url, fields) {
  const body = new URLSearchParams({ csrf: csrf(), ...fields });
  const r = await fetch(url, { method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json" } });
  const j = await r.json().catch(() => ({}));
  if (!r.ok) throw j;
  return j;
}

function creationOptions(o) {
  const pk = o.publicKey;
  pk.challenge = dec(pk.challenge);
  pk.user.id = dec(pk.user.id);
  for (const c of pk.excludeCredentials ?? []) c.id = dec(c.id);
  return { publicKey: pk };
}

function requestOptions(o) {
  const pk = o.publicKey;
  pk.challenge = dec(pk.challenge);
  for (const c of pk.allowCredentials ?? []) c.id = dec(c.id);
  return { publicKey: pk };
}

function registration(c) {
  return {
    id: c.id,
    rawId: enc(c.rawId),
    type: c.type,
    response: {
      attestationObject: enc(c.response.attestationObject),
      clientDataJSON: enc(c.response.clientDataJSON),
      transports: c.response.getTransports ? c.response.getTransports() : undefined,
    },
    extensions: {},
  };
}

function assertion(c) {
  return {
    id: c.id,
    rawId: enc(c.rawId),
    type: c.type,
    response: {
      authenticatorData: enc(c.response.authenticatorData),
      clientDataJSON: enc(c.response.clientDataJSON),
      signature: enc(c.response.signature),
      userHandle: c.response.userHandle ? enc(c.response.userHandle) : null,
    },
    extensions: {},
  };
}

async function run(btn, status) {
  const kind = btn.dataset.passkey;
  const fields = {};
  if (kind === "register") {
    const name = document.querySelector(btn.dataset.nameInput);
    if (name && !name.reportValidity()) return;
    fields.name = name ? name.value : "";
  }
  const ch = await post(btn.dataset.options, {});
  const cred =
    kind === "register"
      ? await navigator.credentials.create(creationOptions(ch.options))
      : await navigator.credentials.get(requestOptions(ch.options));
  const answer = kind === "register" ? registration(cred) : assertion(cred);
  const done = await post(btn.dataset.finish, {
    ...fields,
    token: ch.token,
    credential: JSON.stringify(answer),
    next: btn.dataset.next ?? "",
  });
  status.textContent = "";
  window.location.assign(done.next);
}

for (const btn of document.querySelectorAll("[data-passkey]")) {
  const status = document.getElementById("passkey-status");
  if (!window.PublicKeyCredential) {
    btn.disabled = true;
    status.textContent = btn.dataset.msgUnsupported ?? "";
    continue;
  }
  btn.hidden = false;
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    try {
      await run(btn, status);
    } catch (e) {
      status.textContent = e && e.error ? `${e.error} (${e.code})` : btn.dataset.msgCancelled ?? "";
    } finally {
      btn.disabled = false;
    }
  });
}
