// The identities used in this browser (at most 10, most recent first), for the pick screen.
const KEY = 'ii-anchors';
const MAX = 10;

interface Entry {
  anchor: string;
  lastUsed: number;
}

function read(): Entry[] {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(value) ? value.filter((e): e is Entry => typeof e?.anchor === 'string' && /^\d+$/.test(e.anchor)) : [];
  } catch {
    return [];
  }
}

/** Anchors used here, most recent first. */
export function usedAnchors(): bigint[] {
  return read().sort((a, b) => b.lastUsed - a.lastUsed).map(e => BigInt(e.anchor));
}

/** Records that an anchor was used now. */
export function rememberAnchor(anchor: bigint): void {
  const rest = read().filter(e => e.anchor !== anchor.toString());
  const all = [{ anchor: anchor.toString(), lastUsed: Date.now() }, ...rest].sort((a, b) => b.lastUsed - a.lastUsed).slice(0, MAX);
  localStorage.setItem(KEY, JSON.stringify(all));
}
