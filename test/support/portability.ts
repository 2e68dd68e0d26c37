/**
 * A static scan for code that runs on Node but not inside XS on a device, or that keeps
 * module-level mutable state a preloaded (frozen) module cannot have. It is a lexer, not
 * a parser: comments are dropped, string, template and regex text is blanked, and the
 * checks are regular expressions on what remains, so it can be fooled, but not silently
 * by a comment or a string.
 */

export type Violation = { line: number; kind: ViolationKind; text: string };

export type ViolationKind =
  | "node-import" | "package-import" | "require" | "Buffer" | "process" | "timer" | "TextEncoder"
  | "console" | "performance" | "globalThis" | "unicode-property-escape" | "Intl" | "captureStackTrace"
  | "module-let" | "module-mutable-const"
  /** Brackets do not balance once comments, strings and regexes are set aside: the lexer
   * misread the file, so its module-level checks cannot be trusted. */
  | "unbalanced";

/** Globals that exist on Node but not on a device; `kind` groups them. */
const GLOBALS: readonly [RegExp, ViolationKind][] = [
  [/\bBuffer\b/g, "Buffer"],
  [/\bprocess\b/g, "process"],
  [/\b(?:set|clear)(?:Timeout|Interval|Immediate)\b/g, "timer"],
  [/\bText(?:En|De)coder\b/g, "TextEncoder"],
  [/\bconsole\b/g, "console"],
  [/\bperformance\b/g, "performance"],
  [/\bglobalThis\b/g, "globalThis"],
  [/\bIntl\b/g, "Intl"],
];

const MUTABLE_CTOR = "(?:Map|Set|WeakMap|WeakSet|Array|ArrayBuffer|DataView|Uint8ClampedArray|(?:Ui|I)nt(?:8|16|32)Array|Float(?:32|64)Array|Big(?:Ui|I)nt64Array)";
const MODULE_LET = /(?:^|\n)[ \t]*(?:export\s+)?(?:let|var)\b/g;
/** `const X[: T] = ` followed by a mutable value that is not wrapped in Object.freeze(…). */
const MODULE_CONST = new RegExp(`(?:^|\\n)[ \\t]*(?:export\\s+)?const\\s+[\\w$]+\\s*(?::(?:[^=;]|=>)+?)?=(?!>)\\s*(?:new\\s+${MUTABLE_CTOR}\\b|\\[|\\{)`, "g");

/** Keywords after which `/` starts a regex rather than a division. */
const BEFORE_REGEX = /(?:^|[^\w$])(?:return|typeof|instanceof|case|do|else|in|of|new|delete|void|throw|yield|await)$/;

/**
 * Two views of `source`, same length and same line breaks: `bare` without comments, and
 * `code` without comments and with the text of strings, templates and regexes blanked.
 */
export function lex(source: string): { bare: string; code: string } {
  const bare = source.split("");
  const code = source.split("");
  const blank = (from: number, to: number, views: string[][]) => {
    for (let k = from; k < to; k++) if (source[k] !== "\n") for (const v of views) v[k] = " ";
  };
  const stack: ("{" | "${")[] = [];
  let i = 0;
  let last = ""; // code before i, trimmed: decides whether "/" starts a regex
  const n = source.length;
  const template = () => {
    // i is just past "`" or "}"; blank up to the closing "`" or the next "${".
    const start = i;
    while (i < n && source[i] !== "`" && !(source[i] === "$" && source[i + 1] === "{")) i += source[i] === "\\" ? 2 : 1;
    blank(start, Math.min(i, n), [code]);
    if (source[i] === "$") {
      stack.push("${");
      i += 2;
    } else i++;
    last = "x";
  };
  while (i < n) {
    const c = source[i]!;
    const d = source[i + 1];
    if (c === "/" && d === "/") {
      const end = source.indexOf("\n", i) < 0 ? n : source.indexOf("\n", i);
      blank(i, end, [bare, code]);
      i = end;
    } else if (c === "/" && d === "*") {
      const end = source.indexOf("*/", i + 2) < 0 ? n : source.indexOf("*/", i + 2) + 2;
      blank(i, end, [bare, code]);
      i = end;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && source[j] !== c && source[j] !== "\n") j += source[j] === "\\" ? 2 : 1;
      blank(i + 1, Math.min(j, n), [code]);
      i = j + 1;
      last = "x";
    } else if (c === "`") {
      i++;
      template();
    } else if (c === "}" && stack.at(-1) === "${") {
      stack.pop();
      i++;
      template();
    } else if (c === "/" && (last === "" || /[(,=:[!&|?{};+\-*%<>~^]$/.test(last) || BEFORE_REGEX.test(last))) {
      let j = i + 1;
      let inClass = false;
      while (j < n && source[j] !== "\n" && (inClass || source[j] !== "/")) {
        if (source[j] === "[") inClass = true;
        else if (source[j] === "]") inClass = false;
        j += source[j] === "\\" ? 2 : 1;
      }
      blank(i + 1, Math.min(j, n), [code]);
      i = j + 1;
      last = "x";
    } else {
      if (c === "{") stack.push("{");
      else if (c === "}") stack.pop();
      if (!/\s/.test(c)) last = (last + c).slice(-16);
      i++;
    }
  }
  return { bare: bare.join(""), code: code.join("") };
}

/** Every violation in one file's source, in line order. */
export function scanSource(source: string): Violation[] {
  const { bare, code } = lex(source);
  const lines = source.split("\n");
  const lineStarts = [0];
  for (let k = 0; k < source.length; k++) if (source[k] === "\n") lineStarts.push(k + 1);
  const lineOf = (index: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  // Bracket depth at each index of the code view: 0 means module level.
  const depth = new Int32Array(code.length + 1);
  for (let k = 0, dd = 0; k < code.length; k++) {
    const ch = code[k]!;
    if (ch === "{" || ch === "(" || ch === "[") dd++;
    else if (ch === "}" || ch === ")" || ch === "]") dd--;
    depth[k + 1] = dd;
  }
  const out: Violation[] = [];
  const add = (index: number, kind: ViolationKind) => {
    const line = lineOf(index);
    out.push({ line, kind, text: lines[line - 1]!.trim() });
  };
  const negative = depth.findIndex((dd) => dd < 0);
  if (negative >= 0 || depth[code.length] !== 0) add(negative >= 0 ? negative - 1 : code.length, "unbalanced");

  // Import specifiers are string text, so they are read from `bare`; the keyword before
  // them must still be code (not inside a string).
  for (const re of [/\bfrom\s*(['"])([^'"\n]*)\1/g, /\bimport\s*\(?\s*(['"])([^'"\n]*)\1/g]) {
    for (const m of bare.matchAll(re)) {
      if (code[m.index] === " ") continue;
      const spec = m[2]!;
      if (spec.startsWith("node:")) add(m.index, "node-import");
      else if (!spec.startsWith(".") && !spec.startsWith("/")) add(m.index, "package-import");
    }
  }
  for (const m of code.matchAll(/\brequire\s*\(/g)) add(m.index, "require");
  for (const [re, kind] of GLOBALS) {
    for (const m of code.matchAll(re)) {
      const before = code.slice(Math.max(0, m.index - 2), m.index);
      const after = code.slice(m.index + m[0].length);
      // `x.process`, `#process` and `{ process: … }` name a property, not the global.
      if (/[.#]\s*$/.test(before) || /^\s*\??:/.test(after)) continue;
      add(m.index, kind);
    }
  }
  for (const m of code.matchAll(/\bcaptureStackTrace\b/g)) add(m.index, "captureStackTrace");
  for (const m of bare.matchAll(/\\[pP]\{/g)) add(m.index, "unicode-property-escape");
  for (const [re, kind] of [[MODULE_LET, "module-let"], [MODULE_CONST, "module-mutable-const"]] as const) {
    for (const m of code.matchAll(re)) {
      const at = m.index + (m[0].length - m[0].trimStart().length);
      if (depth[at] === 0) add(at, kind);
    }
  }
  return out.sort((a, b) => a.line - b.line);
}
