/**
 * MQTT-style topic filters, shared by connectors that route by topic:
 * `+` matches one level, a final `#` matches any number of levels (including none).
 */

/** True when `topic` matches `filter` ([MQTT-4.7.1]). Topics starting with `$` never match a leading wildcard. */
export function topicMatches(filter: string, topic: string): boolean {
  if (filter === topic) return true;
  if (topic.charCodeAt(0) === 0x24 /* $ */ && (filter.charCodeAt(0) === 0x2b /* + */ || filter.charCodeAt(0) === 0x23 /* # */)) return false;
  let f = 0;
  let t = 0;
  const fl = filter.length;
  const tl = topic.length;
  for (;;) {
    const fEnd = indexOrEnd(filter, f);
    const level = filter.slice(f, fEnd);
    if (level === "#") return fEnd === fl;
    if (t > tl) return false;
    const tEnd = indexOrEnd(topic, t);
    if (level !== "+" && level !== topic.slice(t, tEnd)) return false;
    if (fEnd === fl) return tEnd === tl;
    f = fEnd + 1;
    t = tEnd + 1;
    if (t > tl) return filter.slice(f) === "#";
  }
}

function indexOrEnd(s: string, from: number): number {
  const i = s.indexOf("/", from);
  return i < 0 ? s.length : i;
}
