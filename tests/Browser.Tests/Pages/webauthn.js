// The two WebAuthn ceremonies II's frontend performs, with II's options (II src/frontend lib/utils/webAuthnIdentity.ts).
// Binary values cross to the test as base64; failures come back as values { error: DOMException name, message }.
'use strict';

const toBase64 = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)));
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const status = (text) => { document.getElementById('status').textContent = text; };
const failure = (e) => {
  status(`${e.name}: ${e.message}`);
  return { error: e.name, message: e.message };
};

window.createPasskey = async ({ userVerification = 'preferred', timeout = 10000 } = {}) => {
  try {
    const credential = await navigator.credentials.create({
      publicKey: {
        rp: { name: 'Internet Identity Service' },
        user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'Internet Identity', displayName: 'Internet Identity' },
        challenge: crypto.getRandomValues(new Uint8Array(16)),
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -257 }],
        attestation: 'direct',
        authenticatorSelection: { userVerification },
        timeout,
      },
    });
    status('passkey created');
    return {
      rawId: toBase64(credential.rawId),
      attestationObject: toBase64(credential.response.attestationObject),
      attachment: credential.authenticatorAttachment,
    };
  } catch (e) {
    return failure(e);
  }
};

window.signChallenge = async (rawId, challenge, { userVerification = 'preferred', timeout = 10000 } = {}) => {
  try {
    const assertion = await navigator.credentials.get({
      publicKey: {
        allowCredentials: [{ type: 'public-key', id: fromBase64(rawId) }],
        challenge: fromBase64(challenge),
        userVerification,
        timeout,
      },
    });
    status('challenge signed');
    return {
      authenticatorData: toBase64(assertion.response.authenticatorData),
      clientDataJSON: toBase64(assertion.response.clientDataJSON),
      signature: toBase64(assertion.response.signature),
    };
  } catch (e) {
    return failure(e);
  }
};
