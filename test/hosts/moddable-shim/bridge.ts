/**
 * Runs inside XS (xsnap). The native half of the Moddable modules the shim provides:
 * sockets, timers and DNS live in Node (peer.ts). Node delivers what happened (a timer
 * fired, bytes arrived…) as one batch of events per `handleCommand` call; the shim runs
 * the callbacks of the batch one after the other, and xsnap runs the promise jobs only
 * after the batch, so a callback may run before the jobs an earlier one queued, as on a
 * device. What XS asks of Node (open a socket, write, set a timer) needs no answer: ids
 * are numbered here, and the requests travel back with the batch's reply, so a batch
 * costs one round trip between the processes.
 */

/** One thing that happened on the Node side, for the shim object with `id`. */
export interface ShimEvent {
  t: string;
  id: number;
  [field: string]: unknown;
}

/** A request the test sends to the app (stats, gc, stop): not a Moddable event. */
export interface ControlEvent {
  t: "control";
  op: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const bridge = {
  /** Who receives the events of each id (a timer, a socket, a pending DNS query). */
  handlers: new Map<number, (event: ShimEvent) => void>(),
  /** Answers control events; set by the test's XS entry. */
  control: undefined as ((event: ControlEvent) => unknown) | undefined,
  /** Requests for Node, sent with the reply of the current batch. */
  outbox: [] as object[],
  /** The last id handed out. */
  last: 0,

  /** A new id for a timer, socket or query. */
  id(): number {
    return ++this.last;
  },

  /** Queues one request for Node. */
  send(message: object): void {
    this.outbox.push(message);
  },
};

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ""}` : String(err);
}

const g = globalThis as Record<string, unknown>;

/** Moddable's `trace`: the host's log lines go to Node. */
g.trace = (...text: unknown[]) => bridge.send({ op: "trace", text: text.join("") });

/**
 * Node → XS: a batch of events. Replies `{ answer, out }`: the answer of the last control
 * event, and the requests XS made since the previous reply. xsnap runs the promise jobs
 * after this function returns and only then reads the reply's `result`, so a getter
 * there also collects the requests the jobs made.
 */
g.handleCommand = (bytes: ArrayBuffer): { readonly result: ArrayBuffer } => {
  const events = JSON.parse(decoder.decode(bytes)) as (ShimEvent | ControlEvent)[];
  let answer: unknown = null;
  for (const e of events) {
    try {
      if (e.t === "control") answer = bridge.control ? bridge.control(e as ControlEvent) : null;
      else bridge.handlers.get((e as ShimEvent).id)?.(e as ShimEvent);
    } catch (err) {
      // On a device an exception escaping a callback is traced and the loop goes on.
      bridge.send({ op: "uncaught", text: describe(err) });
    }
  }
  return {
    get result() {
      const out = bridge.outbox;
      bridge.outbox = [];
      return encoder.encode(JSON.stringify({ answer, out })).buffer as ArrayBuffer;
    },
  };
};
