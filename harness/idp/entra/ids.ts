import { createHash } from 'node:crypto';

/**
 * Deterministic stand-ins for the GUIDs Entra makes up: object ids of the directory, the random
 * GUID of each probe (Entra ref §3) and the cycle ids of the logs (§9). Each is a hash of the
 * seed (the scenario id unless settings say otherwise) and labels, so that a scenario sends the
 * same bytes on every run.
 */
export function guid(seed: string, ...labels: string[]): string {
  const hex = createHash('sha256').update([seed, ...labels].join('\u0000')).digest('hex');
  // The version-4 and variant bits, so that it reads as the random GUID Entra would send.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
