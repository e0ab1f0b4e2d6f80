// Identifiers every request carries, validated alike everywhere: the idempotency key of a write, a
// sampling point's code and a tube's code. Kept apart from the protocol so the modules the protocol uses can use them too.
import { z } from 'zod';

export const key = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'idempotency key must be 8–64 letters, digits, _ or -');
export const pointCode = z.string().regex(/^[A-Z]{1,3}$/, 'sampling point code is 1–3 capital letters');

/** A tube's printed code, as the labels and the lab's files carry it. */
export const TUBE_CODE_PATTERN = /^[A-Z0-9-]{6,32}$/;
export const tubeCode = z.string().trim().toUpperCase().regex(TUBE_CODE_PATTERN, 'tube code must be 6–32 letters, digits or -');
