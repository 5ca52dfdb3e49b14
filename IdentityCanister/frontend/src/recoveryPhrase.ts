// Recovery phrases as II makes them: "<anchor> w1 … w24", a BIP-39 mnemonic from 256 bits of entropy, whose seed gives
// an Ed25519 key by SLIP-0010 along the hardened path m/44'/223'/0'/0'/0' (II's IC_DERIVATION_PATH).
import { Ed25519KeyIdentity } from '@dfinity/identity';
import { hmac } from '@noble/hashes/hmac';
import { sha512 } from '@noble/hashes/sha2';
import { generateMnemonic, mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english';

export const IC_DERIVATION_PATH = [44, 223, 0, 0, 0];
const HARDENED = 0x80000000;

/** 24 fresh words (256 bits of entropy from the browser's CSPRNG). */
export function newMnemonic(): string[] {
  return generateMnemonic(wordlist, 256).split(' ');
}

/** SLIP-0010 Ed25519: the private key at a hardened path. */
export function slip0010Ed25519(seed: Uint8Array, path: number[]): Uint8Array {
  let i = hmac(sha512, new TextEncoder().encode('ed25519 seed'), seed);
  let key = i.slice(0, 32);
  let chain = i.slice(32);
  for (const index of path) {
    const data = new Uint8Array(37);
    data.set(key, 1);
    new DataView(data.buffer).setUint32(33, (index | HARDENED) >>> 0);
    i = hmac(sha512, chain, data);
    key = i.slice(0, 32);
    chain = i.slice(32);
  }
  return key;
}

/** The recovery key of a mnemonic (words without the anchor number). */
export function identityFromMnemonic(words: string[]): Ed25519KeyIdentity {
  const seed = mnemonicToSeedSync(words.join(' '));
  return Ed25519KeyIdentity.generate(slip0010Ed25519(seed, IC_DERIVATION_PATH));
}

export type ParsedPhrase =
  | { ok: true; anchor?: bigint; words: string[] }
  | { ok: false; message: string };

/** Reads "<anchor> w1 … w24" (the anchor is optional), checking the words and the BIP-39 checksum. */
export function parsePhrase(input: string): ParsedPhrase {
  const tokens = input.trim().toLowerCase().split(/\s+/).filter(t => t !== '');
  let anchor: bigint | undefined;
  if (tokens.length > 0 && /^\d+$/.test(tokens[0]!)) {
    anchor = BigInt(tokens.shift()!);
  }
  if (tokens.length !== 24) {
    return { ok: false, message: `A recovery phrase has 24 words after the identity number; this one has ${tokens.length}.` };
  }
  const unknown = tokens.filter(t => !wordlist.includes(t));
  if (unknown.length > 0) {
    return { ok: false, message: `These words are not in the recovery word list: ${unknown.join(', ')}. Check their spelling.` };
  }
  if (!validateMnemonic(tokens.join(' '), wordlist)) {
    return { ok: false, message: 'The words are valid but not in the right order (the checksum does not match). Check the order.' };
  }
  return { ok: true, anchor, words: tokens };
}
