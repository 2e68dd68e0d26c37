/**
 * The record graph: records are nodes, transform and join inputs are edges.
 * `topoOrder` gives a topological order (Kahn's algorithm) and the records left over
 * when there is a cycle.
 */

/** How a record gets its values. */
export type RecordOrigin = "source" | "transform" | "join" | "link" | "passive";

/** A data-flow edge between two records. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: "transform" | "join";
}

/** One record in the graph. */
export interface GraphNode {
  readonly key: string;
  readonly origin: RecordOrigin;
  readonly buffer: string;
  /** Link addresses, prefixed `->` (linkTo) or `<-` (linkFrom). */
  readonly links: readonly string[];
}

/** `db.graph()`: nodes, edges and a topological order (inputs before outputs). */
export interface GraphInfo {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly order: readonly string[];
}

/** Topological order of `keys`; `cyclic` lists the keys on or behind a cycle. */
export function topoOrder(keys: readonly string[], edges: readonly GraphEdge[]): { order: string[]; cyclic: string[] } {
  const indegree = new Map<string, number>();
  const out = new Map<string, string[]>();
  for (const k of keys) {
    indegree.set(k, 0);
    out.set(k, []);
  }
  for (const e of edges) {
    if (!indegree.has(e.from) || !indegree.has(e.to)) continue;
    indegree.set(e.to, indegree.get(e.to)! + 1);
    out.get(e.from)!.push(e.to);
  }
  const ready = keys.filter((k) => indegree.get(k) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const k = ready.shift()!;
    order.push(k);
    for (const next of out.get(k)!) {
      const d = indegree.get(next)! - 1;
      indegree.set(next, d);
      if (d === 0) ready.push(next);
    }
  }
  const cyclic = keys.filter((k) => indegree.get(k)! > 0);
  return { order, cyclic };
}
