"""Load generator for the MQTT benchmark: ``python -m konzeptk.sensing.mqtt_load HOST PORT TOPIC[,TOPIC…] RATE SECONDS``.

Runs as its own process (like a gateway would), publishes observation messages with QoS 1 at a steady rate and
waits until the broker acknowledged every one. Message i goes to the i-th topic (round robin) with result i and
phenomenon time 2023-11-14 + i seconds, so a reader can tell lost and doubled messages apart. Prints one JSON
line: messages sent and acknowledged, seconds.
"""

from __future__ import annotations

import json
import sys
import time

OPEN = 30_000  # messages published but not yet acknowledged by the broker, at most


def main(argv: list[str]) -> None:
    import paho.mqtt.client as mqtt

    host, port, rate, seconds = argv[0], int(argv[1]), float(argv[3]), float(argv[4])
    topics = argv[2].split(",")
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.max_inflight_messages_set(2000)
    client.max_queued_messages_set(0)
    acknowledged = [0]  # PUBACKs so far: message ids wrap at 65,535, so at most OPEN may be outstanding

    def on_publish(*_args: object) -> None:
        acknowledged[0] += 1

    client.on_publish = on_publish
    client.connect(host, port)
    client.loop_start()
    infos = []
    start = time.perf_counter()
    sent = 0
    total = round(rate * seconds)
    base = 1_700_000_000  # 2023-11-14, one message per second of phenomenon time
    while sent < total:
        due = int((time.perf_counter() - start) * rate) + 1
        due = min(due, acknowledged[0] + OPEN)
        for i in range(sent, min(due, total)):
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(base + i))
            payload = json.dumps({"phenomenonTime": stamp, "result": i})
            infos.append(client.publish(topics[i % len(topics)], payload, qos=1))
        sent = max(sent, min(due, total))
        time.sleep(0.002)
    publishing = time.perf_counter() - start
    for info in infos:
        info.wait_for_publish(60)
    acked = sum(info.is_published() for info in infos)
    client.loop_stop()
    client.disconnect()
    print(json.dumps({"sent": sent, "acked": acked, "seconds": publishing}))


if __name__ == "__main__":
    main(sys.argv[1:])
