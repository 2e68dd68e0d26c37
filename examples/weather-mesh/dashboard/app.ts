/**
 * The dashboard: mirrors the hub's records over WebSocket and draws them. It shares the
 * contracts with the stations and the hub, so values are checked by the same code that
 * wrote them, and commands are written in the contract's JSON form.
 */
import { utf8Decode, utf8Encode } from "../../../src/index.js";
import { browserClient, type MirrorEntry } from "../../../hosts/browser/index.js";
import { Command, DewPoint, Humidity, MeshSummary, Pressure, STATIONS, Temperature } from "../contracts.js";
import type { HubStatus } from "../hub.js";

const WINDOW_MS = 5 * 60_000;
const $ = <T extends Element>(sel: string, root: ParentNode = document) => root.querySelector(sel) as T;

/** Decodes a mirrored value with its contract (the JSON form the hub's link wrote). */
const decode = <T>(c: { decode(b: Uint8Array): T }, entry: MirrorEntry): T => c.decode(utf8Encode(JSON.stringify(entry.value)));

interface Card {
  root: HTMLElement;
  points: { at: number; celsius: number }[];
}

const cards = new Map<string, Card>();
for (const id of STATIONS) {
  const root = ($<HTMLTemplateElement>("#station").content.firstElementChild as HTMLElement).cloneNode(true) as HTMLElement;
  root.dataset.station = id;
  $(".name", root).textContent = id;
  $("#stations").append(root);
  cards.set(id, { root, points: [] });
  $<HTMLFormElement>("form", root).addEventListener("submit", (ev) => {
    ev.preventDefault();
    void sendCommand(id, Number(($<HTMLSelectElement>("select", root)).value));
  });
}

const client = browserClient({ url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/aimdb` });
client.onState((state) => {
  $("#ws-state").textContent = state === "open" ? "live" : state;
  $("#ws-dot").className = `dot ${state === "open" ? "up" : "down"}`;
});
void client.subscribe(["station.#", "mesh.#", "hub.#"]);

client.onChange((key, entry) => {
  try {
    show(key, entry);
  } catch (err) {
    console.warn(`ignored ${key}: ${(err as Error).message}`);
  }
});

function show(key: string, entry: MirrorEntry): void {
  if (key === "mesh.summary") {
    const s = decode(MeshSummary, entry);
    $("#s-count").textContent = String(s.stations);
    $("#s-min").textContent = `${s.minCelsius.toFixed(1)} °C`;
    $("#s-mean").textContent = `${s.meanCelsius.toFixed(1)} °C`;
    $("#s-max").textContent = `${s.maxCelsius.toFixed(1)} °C`;
    return;
  }
  if (key === "hub.status") return showStatus(entry.value as HubStatus);
  const [, id, what] = key.split(".");
  const card = cards.get(id ?? "");
  if (!card) return;
  const el = (sel: string) => $(sel, card.root);
  switch (what) {
    case "temp": {
      const t = decode(Temperature, entry);
      el(".temp").textContent = `${t.celsius.toFixed(1)} °C`;
      card.points.push({ at: t.at, celsius: t.celsius });
      while (card.points.length > 0 && card.points[0]!.at < t.at - WINDOW_MS) card.points.shift();
      if (card.points.length > 1200) card.points.shift();
      draw(card);
      break;
    }
    case "humidity":
      el(".humidity").textContent = `${decode(Humidity, entry).percent.toFixed(0)} %`;
      break;
    case "pressure":
      el(".pressure").textContent = `${decode(Pressure, entry).hpa.toFixed(1)} hPa`;
      break;
    case "dewpoint":
      el(".dewpoint").textContent = `${decode(DewPoint, entry).celsius.toFixed(1)} °C`;
      break;
  }
}

function showStatus(status: HubStatus): void {
  for (const s of status.stations) {
    const card = cards.get(s.id);
    if (!card) continue;
    $(".link", card.root).className = `dot link ${s.link}`;
    $(".link-text", card.root).textContent = `${s.link} · ${s.received} received`;
  }
  const conn = $("#connectors");
  for (const c of status.connectors) {
    let item = conn.querySelector<HTMLElement>(`[data-scheme="${c.scheme}"]`);
    if (!item) {
      item = document.createElement("span");
      item.dataset.scheme = c.scheme;
      conn.prepend(item);
    }
    item.innerHTML = `<i class="dot ${c.connected === false ? "down" : "up"}"></i>${c.scheme === "mqtt" ? "MQTT" : "WebSocket"} ${c.detail}`;
  }
}

/** A sparkline of up to the last five minutes, scaled to its own time span and range. */
function draw(card: Card): void {
  const pts = card.points;
  const line = $<SVGPolylineElement>("polyline", card.root);
  if (pts.length < 2) return;
  const t1 = pts[pts.length - 1]!.at;
  const t0 = pts[0]!.at;
  const span = Math.max(t1 - t0, 1);
  const lo = Math.min(...pts.map((p) => p.celsius)) - 0.2;
  const hi = Math.max(...pts.map((p) => p.celsius)) + 0.2;
  line.setAttribute("points", pts.map((p) => `${(((p.at - t0) / span) * 300).toFixed(1)},${(60 - ((p.celsius - lo) / (hi - lo)) * 56).toFixed(1)}`).join(" "));
}

async function sendCommand(id: string, sampleMs: number): Promise<void> {
  const note = $(".note", cards.get(id)!.root);
  note.textContent = "sending…";
  try {
    const value = JSON.parse(utf8Decode(Command.encodeJson({ sampleMs, from: "dashboard" }))) as unknown;
    await client.write(`station.${id}.command`, value);
    note.textContent = `sent: sample every ${sampleMs / 1000} s`;
  } catch (err) {
    note.textContent = `refused: ${(err as Error).message}`;
  }
}
