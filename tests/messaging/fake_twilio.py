"""A local stand-in for Twilio's Messages API, for the real `twilio` client to talk to on 127.0.0.1.

It records every call and can be told to fail the next calls: `fake.fail_next(429, code=20429)`,
`fake.fail_next(503)`, `fake.fail_next(400, code=21211)`, or `fake.stall_next(seconds)` to outlast the
client's timeout. To test that nothing is sent twice, as Twilio can fail after accepting a text:
`fake.accept_then_stall_next()` accepts the next message (it counts in `sent`) and then answers only
after the client's read timeout, `fake.accept_then_drop_next()` accepts it and closes the connection
without an answer, and `fake.refuse_connections()` stops listening (connections are refused, so no
request reaches it) until `fake.accept_connections()`."""

import json
import socket
import threading
import time
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class FakeTwilio:
    def __init__(self):
        self.calls = []
        self._faults = deque()
        self._lock = threading.Lock()
        self._release = threading.Event()  # ends every accept-then-stall wait
        self.latency = 0.0  # seconds before every answer, as Twilio's API takes (benchmarks: ~0.15)
        self.server = None
        self._listen(0)
        self.url = f"http://127.0.0.1:{self.port}"

    def _listen(self, port):
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._release.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def fail_next(self, status, code=None, times=1):
        for _ in range(times):
            self._faults.append(("fail", status, code))

    def stall_next(self, seconds):
        self._faults.append(("stall", seconds, None))

    def accept_then_stall_next(self):
        self._faults.append(("accept_then_stall", None, None))

    def accept_then_drop_next(self):
        self._faults.append(("accept_then_drop", None, None))

    def refuse_connections(self):
        """Stop listening: the client's connection is refused and no request arrives."""
        self.server.shutdown()
        self.server.server_close()
        self.server = None

    def accept_connections(self):
        self._listen(self.port)

    @property
    def sent(self):
        return [call for call in self.calls if call["outcome"] == 201]

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if fake.latency:
                    time.sleep(fake.latency)
                with fake._lock:
                    fault = fake._faults.popleft() if fake._faults else None
                call = {
                    "path": self.path,
                    "form": form,
                    "at": time.monotonic(),
                    "auth": self.headers.get("Authorization"),
                }
                if fault and fault[0] == "stall":
                    time.sleep(fault[1])
                    fault = None
                after_accepting = fault[0] if fault and fault[0].startswith("accept_then") else None
                if after_accepting:
                    fault = None
                if fault:
                    _, status, code = fault
                    call["outcome"] = status
                    fake.calls.append(call)
                    body = {"code": code or status, "message": "Injected failure", "status": status}
                    return self._reply(status, body)
                sid = "SM" + uuid.uuid4().hex
                call["outcome"] = 201
                call["sid"] = sid
                fake.calls.append(call)  # accepted: Twilio would send this text now
                if after_accepting == "accept_then_drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if after_accepting == "accept_then_stall":
                    fake._release.wait(timeout=5)  # the client's read timeout (0.5 s) comes first
                    self.close_connection = True
                    return
                self._reply(
                    201,
                    {
                        "sid": sid,
                        "status": "queued",
                        "to": form.get("To"),
                        "from": form.get("From"),
                        "messaging_service_sid": form.get("MessagingServiceSid"),
                        "body": form.get("Body"),
                        "num_segments": "1",
                        "direction": "outbound-api",
                        "api_version": "2010-04-01",
                        "account_sid": self.path.split("/")[3],
                        "uri": self.path.replace(".json", f"/{sid}.json"),
                    },
                )

            def _reply(self, status, body):
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler
