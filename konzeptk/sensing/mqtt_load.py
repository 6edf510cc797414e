"""Load generator for the MQTT benchmark: ``python -m konzeptk.sensing.mqtt_load HOST PORT TOPIC RATE SECONDS``.

Runs as its own process (like a gateway would), publishes observation messages with QoS 1 at a steady rate and
waits until the broker acknowledged every one. Prints one JSON line: messages sent and acknowledged, seconds.
"""

from __future__ import annotations

import json
import sys
import time


def main(argv: list[str]) -> None:
    import paho.mqtt.client as mqtt

    host, port, topic, rate, seconds = argv[0], int(argv[1]), argv[2], float(argv[3]), float(argv[4])
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.max_inflight_messages_set(2000)
    client.max_queued_messages_set(0)
    client.connect(host, port)
    client.loop_start()
    infos = []
    start = time.perf_counter()
    sent = 0
    total = int(rate * seconds)
    base = 1_700_000_000  # 2023-11-14, one message per second of phenomenon time
    while sent < total:
        due = int((time.perf_counter() - start) * rate) + 1
        for i in range(sent, min(due, total)):
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(base + i))
            infos.append(client.publish(topic, json.dumps({"phenomenonTime": stamp, "result": i}), qos=1))
        sent = min(due, total)
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
