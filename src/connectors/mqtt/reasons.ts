/** Readable names for the CONNACK codes a user is most likely to meet. */

/** Describes a CONNACK return code (3.1.1) or reason code (5). */
export function connackReason(version: 4 | 5, code: number): string {
  const name = version === 4 ? v4(code) : v5(code);
  return `${name} (${version === 4 ? "return" : "reason"} code ${code})`;
}

function v4(code: number): string {
  switch (code) {
    case 1: return "unacceptable protocol version";
    case 2: return "client identifier rejected";
    case 3: return "server unavailable";
    case 4: return "bad user name or password";
    case 5: return "not authorized";
    default: return "unknown return code";
  }
}

function v5(code: number): string {
  switch (code) {
    case 0x80: return "unspecified error";
    case 0x81: return "malformed packet";
    case 0x82: return "protocol error";
    case 0x84: return "unsupported protocol version";
    case 0x85: return "client identifier not valid";
    case 0x86: return "bad user name or password";
    case 0x87: return "not authorized";
    case 0x88: return "server unavailable";
    case 0x89: return "server busy";
    case 0x8a: return "banned";
    case 0x8c: return "bad authentication method";
    case 0x95: return "packet too large";
    case 0x97: return "quota exceeded";
    case 0x9f: return "connection rate exceeded";
    default: return "refused";
  }
}
