"""A strict validator of the server's WebSocket frames (Debian's python3-wsproto 1.2,
sans-IO, as a client on a plain socket). wsproto closes on any violation (an unmasked
frame rule broken, bad UTF-8 in a text frame, an oversized or fragmented control frame,
reserved bits); such a close is reported and fails the test.

It sends hello split over two fragments, a WebSocket ping, subscribe, a write and one
bad frame, then reads events until COUNT have arrived, and closes with 1000. Prints one
JSON report on stdout.

usage: wsproto_check.py HOST PORT PATH TOKEN COUNT
"""
import json
import socket
import sys

from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection, BytesMessage, CloseConnection, Ping, Pong, RejectConnection, Request, TextMessage,
)


class Closed(Exception):
    pass


def main(host: str, port: int, path: str, token: str, count: int) -> dict:
    sock = socket.create_connection((host, port), timeout=10)
    ws = WSConnection(ConnectionType.CLIENT)
    report = {"accepted": False, "messages": [], "closes": [], "pongs": 0, "fragments": 0}
    text = []

    def send(event) -> None:
        sock.sendall(ws.send(event))

    def pump(done) -> None:
        while not done():
            data = sock.recv(65536)
            if not data:
                raise Closed()
            ws.receive_data(data)
            for ev in ws.events():
                if isinstance(ev, AcceptConnection):
                    report["accepted"] = True
                elif isinstance(ev, RejectConnection):
                    raise SystemExit(f"handshake rejected: {ev.status_code}")
                elif isinstance(ev, TextMessage):
                    text.append(ev.data)
                    report["fragments"] += 1
                    if ev.message_finished:
                        report["messages"].append(json.loads("".join(text)))
                        text.clear()
                elif isinstance(ev, BytesMessage):
                    raise SystemExit("the server sent a binary message")
                elif isinstance(ev, Ping):
                    send(ev.response())
                elif isinstance(ev, Pong):
                    report["pongs"] += 1
                elif isinstance(ev, CloseConnection):
                    report["closes"].append([ev.code, ev.reason])
                    if ws.state.name != "CLOSED":
                        send(ev.response())
                    raise Closed()

    def last(pred):
        return lambda: any(pred(m) for m in report["messages"])

    send(Request(host=f"{host}:{port}", target=path))
    pump(lambda: report["accepted"])
    hello = json.dumps({"type": "hello", "version": 1, "token": token})
    send(TextMessage(data=hello[:10], message_finished=False))
    send(TextMessage(data=hello[10:], message_finished=True))
    pump(last(lambda m: m["type"] == "welcome"))
    send(Ping(payload=b"aimdb"))
    pump(lambda: report["pongs"] == 1)
    send(TextMessage(data=json.dumps({"type": "subscribe", "id": 1, "patterns": ["station.#"]})))
    pump(last(lambda m: m["type"] == "ack" and m["id"] == 1))
    value = {"schema": "climate.setpoint", "v": 1, "data": {"celsius": 15}}
    send(TextMessage(data=json.dumps({"type": "write", "id": 2, "key": "station.alpha.setpoint", "value": value})))
    pump(last(lambda m: m.get("id") == 2))
    send(TextMessage(data="no json here"))
    pump(last(lambda m: m["type"] == "error" and m["code"] == "WS_BAD_FRAME"))
    pump(lambda: sum(1 for m in report["messages"] if m["type"] == "event") >= count)
    send(CloseConnection(code=1000, reason="done"))
    try:
        pump(lambda: False)
    except Closed:
        pass
    sock.close()
    return report


if __name__ == "__main__":
    h, p, path, token, n = sys.argv[1:6]
    print(json.dumps(main(h, int(p), path, token, int(n))))
