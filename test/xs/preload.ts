/**
 * Runs inside XS. Simulates what Moddable's preload leaves behind on a device: the
 * built-ins are frozen, and so is everything the preloaded modules export (classes,
 * their prototypes and static fields, exported objects). Call it after the modules have
 * been evaluated, as the XS linker does after the preload phase.
 *
 * What it catches: `this.name = …` in an Error subclass (Error.prototype.name is then
 * read-only, and assignment does not shadow it), assigning a method such as `toString`
 * on a plain object, changing a static class field, changing an exported object.
 * What it cannot catch: a module-level `let` or a private `Map` inside a bundle, which no
 * runtime freeze reaches; test/portability.test.ts finds those statically.
 *
 * Writes to frozen objects only throw in strict code, so the bundle must run strict
 * (see run.ts).
 */

declare const harden: (<T>(value: T) => T) | undefined;

/** Built-ins whose constructors, prototypes and statics the runtime may touch. */
function intrinsics(): unknown[] {
  const g = globalThis as Record<string, unknown>;
  const names = [
    "Object", "Function", "Array", "Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError",
    "EvalError", "URIError", "AggregateError", "Promise", "Map", "Set", "WeakMap", "WeakSet", "WeakRef",
    "FinalizationRegistry", "ArrayBuffer", "DataView", "Uint8Array", "Int8Array", "Uint8ClampedArray",
    "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array",
    "BigInt64Array", "BigUint64Array", "BigInt", "Symbol", "String", "Number", "Boolean", "Date",
    "RegExp", "Math", "JSON", "Reflect",
  ];
  const found: unknown[] = names.map((n) => g[n]).filter((v) => v !== undefined);
  // Intrinsics with no global name: %TypedArray%, the iterator and generator prototypes.
  found.push(Object.getPrototypeOf(Uint8Array));
  found.push(Object.getPrototypeOf([][Symbol.iterator]()));
  found.push(Object.getPrototypeOf(new Map()[Symbol.iterator]()));
  found.push(Object.getPrototypeOf(new Set()[Symbol.iterator]()));
  found.push(Object.getPrototypeOf(""[Symbol.iterator]()));
  found.push(Object.getPrototypeOf(function* () {}));
  found.push(Object.getPrototypeOf(async function () {}));
  found.push(Object.getPrototypeOf(async function* () {}));
  return found;
}

/** Object.freeze over everything reachable through properties, accessors and prototypes. */
function deepFreeze(root: unknown): void {
  const seen = new Set<unknown>();
  const stack = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if ((typeof v !== "object" && typeof v !== "function") || v === null || seen.has(v)) continue;
    seen.add(v);
    Object.freeze(v);
    stack.push(Object.getPrototypeOf(v));
    for (const key of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, key)!;
      stack.push(d.value, d.get, d.set);
    }
  }
}

/** Freezes the built-ins, then every export of each module namespace given. */
export function simulatePreload(namespaces: readonly object[]): void {
  const freeze = typeof harden === "function" ? (v: unknown) => void harden!(v) : deepFreeze;
  for (const v of intrinsics()) freeze(v);
  for (const ns of namespaces) {
    // A bundled namespace exposes exports through getters, which a freeze walk does not
    // call: freeze each exported value itself.
    for (const v of Object.values(ns)) freeze(v);
    freeze(ns);
  }
}
