// A resident code is what the printed QR carries: "NQ1:<uid>:<signature>".
// Upper-case letters, digits and ':' only, so it fits QR alphanumeric mode and survives
// keyboard-wedge scanners and Chinese input methods. It holds no personal data: the uid
// is random and the signature (an HMAC made by the server) stops forged codes.
export const CODE_VERSION = 'NQ1';
export const UID_LENGTH = 10;
export const SIGNATURE_LENGTH = 16;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

export interface ResidentCode {
  uid: string;
  signature: string;
}

export function formatResidentCode(code: ResidentCode): string {
  return `${CODE_VERSION}:${code.uid}:${code.signature}`;
}

const CODE_PATTERN = new RegExp(`^${CODE_VERSION}:([${ALPHABET}]{${UID_LENGTH}}):([${ALPHABET}]{${SIGNATURE_LENGTH}})$`);

export function parseResidentCode(text: string): ResidentCode | null {
  const m = CODE_PATTERN.exec(text);
  return m ? { uid: m[1], signature: m[2] } : null;
}

/** Encodes bytes in Crockford base32 (5 bits a character), for uids and signatures. */
export function toBase32(bytes: Uint8Array, length: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (out.length < length) throw new Error(`need ${Math.ceil((length * 5) / 8)} bytes for ${length} characters`);
  return out;
}
