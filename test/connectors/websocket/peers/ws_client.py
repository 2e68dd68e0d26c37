"""An independent client (Debian's python3-websockets): hello, subscribe, write, then read
events until COUNT have arrived. Prints one JSON report on stdout.

usage: ws_client.py URL TOKEN COUNT
"""
import asyncio
import json
import sys

import websockets


async def main(url: str, token: str, count: int) -> dict:
    report = {"frames": []}
    async with websockets.connect(url) as ws:

        async def recv() -> dict:
            text = await asyncio.wait_for(ws.recv(), 10)
            assert isinstance(text, str), "the server sends text frames only"
            frame = json.loads(text)
            report["frames"].append(frame)
            return frame

        async def until(pred) -> dict:
            while True:
                frame = await recv()
                if pred(frame):
                    return frame

        await ws.send(json.dumps({"type": "hello", "version": 1, "token": token}))
        await until(lambda f: f["type"] == "welcome")
        await ws.send(json.dumps({"type": "subscribe", "id": 1, "patterns": ["station.*.temp"]}))
        await until(lambda f: f["type"] == "ack" and f["id"] == 1)
        value = {"schema": "climate.setpoint", "v": 1, "data": {"celsius": 16.5}}
        await ws.send(json.dumps({"type": "write", "id": 2, "key": "station.alpha.setpoint", "value": value}))
        await until(lambda f: f.get("id") == 2)
        events = 0
        while events < count:
            if (await recv())["type"] == "event":
                events += 1
        pong = await ws.ping()
        await asyncio.wait_for(pong, 5)
        report["ping"] = "answered"
    report["close_code"] = ws.close_code
    return report


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))))
