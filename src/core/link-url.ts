/**
 * Link addresses: `scheme://resource?key=value&key=value`.
 * The scheme picks the connector. The resource (MQTT topic, KNX group address,
 * WebSocket topic) is taken verbatim up to the first `?`, so MQTT wildcards `+` and `#`
 * need no escaping. Query values are percent-decoded.
 */
import { AimDbError } from "./errors.js";

/** A parsed link address. */
export interface LinkUrl {
  /** The whole address as written. */
  readonly url: string;
  /** Lower-case scheme, e.g. `"mqtt"`. */
  readonly scheme: string;
  /** Everything between `://` and `?`. */
  readonly resource: string;
  /** Query options; a null-prototype object, so `__proto__` is an ordinary key. */
  readonly options: Readonly<Record<string, string>>;
}

const SCHEME = /^[a-z][a-z0-9+.-]*$/;
/** Control characters and spaces are never part of a resource. */
const BAD_RESOURCE_CHAR = /[\u0000-\u0020\u007f]/;

/** Parses a link address; throws `AimDbError` with code `BAD_URL` saying what is wrong. */
export function parseLinkUrl(url: string): LinkUrl {
  if (typeof url !== "string") throw bad(String(url), "must be a string");
  const sep = url.indexOf("://");
  if (sep < 0) throw bad(url, 'expected "scheme://resource"');
  const scheme = url.slice(0, sep);
  if (!SCHEME.test(scheme)) throw bad(url, `bad scheme "${scheme}" (lower-case letters, digits, "+", "-", ".")`);
  const rest = url.slice(sep + 3);
  const q = rest.indexOf("?");
  const resource = q < 0 ? rest : rest.slice(0, q);
  if (resource.length === 0) throw bad(url, "empty resource");
  if (BAD_RESOURCE_CHAR.test(resource)) throw bad(url, "resource contains a space or control character");
  const options: Record<string, string> = Object.create(null);
  if (q >= 0) {
    const query = rest.slice(q + 1);
    if (query.length > 0) {
      for (const pair of query.split("&")) {
        const eq = pair.indexOf("=");
        const key = decode(url, eq < 0 ? pair : pair.slice(0, eq));
        const value = eq < 0 ? "" : decode(url, pair.slice(eq + 1));
        if (key.length === 0) throw bad(url, "empty option name in query");
        if (Object.prototype.hasOwnProperty.call(options, key)) throw bad(url, `option "${key}" given twice`);
        options[key] = value;
      }
    }
  }
  return Object.freeze({ url, scheme, resource, options: Object.freeze(options) });
}

function decode(url: string, part: string): string {
  try {
    return decodeURIComponent(part.split("+").join(" "));
  } catch {
    throw bad(url, `bad percent-encoding in "${part}"`);
  }
}

function bad(url: string, why: string): AimDbError {
  return new AimDbError("BAD_URL", `bad link address "${url}": ${why}`);
}

/**
 * Merges a link's query options with its `withConfig` values (which win) and normalises
 * the options every connector shares: `qos` to 0, 1 or 2, `retain` to a boolean,
 * `timeoutMs` to a positive number. Returns the config and what was wrong with it.
 */
export function linkConfig(query: Readonly<Record<string, string>>, overrides: Readonly<Record<string, unknown>>): { config: Record<string, unknown>; problems: string[] } {
  const config: Record<string, unknown> = Object.create(null);
  const problems: string[] = [];
  for (const k of Object.keys(query)) config[k] = query[k];
  for (const k of Object.keys(overrides)) config[k] = overrides[k];
  if ("qos" in config) {
    const q = Number(config.qos);
    if (q === 0 || q === 1 || q === 2) config.qos = q;
    else problems.push(`qos must be 0, 1 or 2, got ${String(config.qos)}`);
  }
  if ("retain" in config) {
    const r = config.retain;
    if (r === true || r === "true" || r === "1" || r === "") config.retain = true;
    else if (r === false || r === "false" || r === "0") config.retain = false;
    else problems.push(`retain must be true or false, got ${String(r)}`);
  }
  if ("timeoutMs" in config) {
    const t = Number(config.timeoutMs);
    if (t > 0 && Number.isFinite(t)) config.timeoutMs = t;
    else problems.push(`timeoutMs must be a positive number, got ${String(config.timeoutMs)}`);
  }
  return { config: Object.freeze(config), problems };
}
