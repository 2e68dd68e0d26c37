/**
 * KNX addresses as text ↔ their 16-bit wire value (3.3.2 Data Link Layer: the source is
 * an individual address, the destination an individual or a group address).
 *
 * Group addresses come in three notations: 3-level `main/middle/sub` (5, 3 and 8 bits:
 * 0–31/0–7/0–255), 2-level `main/sub` (5 and 11 bits: 0–31/0–2047) and free `n`
 * (0–65535). Individual addresses are `area.line.device` (4, 4 and 8 bits:
 * 0–15.0–15.0–255). Parsing is strict: decimal digits only, no sign, no leading zeros,
 * no spaces, every part in range; anything else throws ProtocolError KNX_BAD_ADDRESS
 * (side "local"), so `format(parse(text)) === text` for every text that parses.
 */
import { KNX_BAD_ADDRESS } from "./constants.js";
import { local } from "./wire.js";

/** Group address notations: 3-level, 2-level, free. */
export type GroupAddressStyle = 3 | 2 | 1;

/** The decimal parts of `text` split by `sep`, each checked against its maximum; undefined if it does not parse. */
function parse(text: string, sep: string, max: readonly number[]): number[] | undefined {
  const items = text.split(sep);
  if (items.length !== max.length) return undefined;
  const out: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (!/^(?:0|[1-9]\d{0,4})$/.test(item)) return undefined;
    const v = parseInt(item, 10);
    if (v > max[i]!) return undefined;
    out.push(v);
  }
  return out;
}

const THREE_LEVEL = Object.freeze([31, 7, 255]);
const TWO_LEVEL = Object.freeze([31, 2047]);
const FREE = Object.freeze([65535]);
const INDIVIDUAL = Object.freeze([15, 15, 255]);

function bad(text: unknown, what: string): never {
  throw local(KNX_BAD_ADDRESS, `"${String(text)}" is not ${what}`);
}

/** Parses a group address in 3-level (`1/2/3`), 2-level (`1/515`) or free (`2563`) notation. */
export function parseGroupAddress(text: string): number {
  if (typeof text !== "string") bad(text, "a group address");
  const slashes = text.split("/").length - 1;
  const p = parse(text, "/", slashes === 2 ? THREE_LEVEL : slashes === 1 ? TWO_LEVEL : FREE);
  if (!p) bad(text, "a group address (main/middle/sub 0–31/0–7/0–255, main/sub 0–31/0–2047, or 0–65535)");
  return slashes === 2 ? (p[0]! << 11) | (p[1]! << 8) | p[2]! : slashes === 1 ? (p[0]! << 11) | p[1]! : p[0]!;
}

/** Formats a 16-bit group address; `style` 3 (default) gives `1/2/3`, 2 gives `1/515`, 1 gives `2563`. */
export function formatGroupAddress(address: number, style: GroupAddressStyle = 3): string {
  check(address, "a group address");
  if (style === 1) return String(address);
  if (style === 2) return `${address >> 11}/${address & 0x7ff}`;
  return `${address >> 11}/${(address >> 8) & 7}/${address & 0xff}`;
}

/** Parses an individual address `area.line.device` (`1.1.250`). */
export function parseIndividualAddress(text: string): number {
  if (typeof text !== "string") bad(text, "an individual address");
  const p = parse(text, ".", INDIVIDUAL);
  if (!p) bad(text, "an individual address (area.line.device, 0–15.0–15.0–255)");
  return (p[0]! << 12) | (p[1]! << 8) | p[2]!;
}

/** Formats a 16-bit individual address as `area.line.device`. */
export function formatIndividualAddress(address: number): string {
  check(address, "an individual address");
  return `${address >> 12}.${(address >> 8) & 15}.${address & 0xff}`;
}

function check(address: number, what: string): void {
  if (!Number.isInteger(address) || address < 0 || address > 0xffff) bad(address, `${what} (an integer in 0–65535)`);
}
