"""Starts `stepcare serve` on a free port for a test, and stops it; and what the tests share."""
import http.client
import json
import os
import signal
import socket
import subprocess


class Server:
    """A running `stepcare serve`; `request` talks to it over real HTTP."""

    def __init__(self, stepcare, data_dir, args=(), env=None):
        self.stepcare = stepcare
        self.data_dir = data_dir
        self.args = list(args)
        self.env = env
        self.process = None
        self.host = None
        self.port = None
        self.log_path = os.path.join(data_dir + "-logs", "access.log")

    def start(self):
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [self.stepcare, "serve", "--listen", "127.0.0.1:0", "--data", self.data_dir] + self.args,
            stdout=subprocess.PIPE, stderr=self.log, env=self.env)
        line = self.process.stdout.readline().decode()
        if "serving" not in line:
            self.process.kill()
            raise RuntimeError("the server did not start: " + line + open(self.log_path).read())
        address = line.split("://", 1)[1].split("/", 1)[0]
        self.host, port = address.rsplit(":", 1)
        self.port = int(port)
        return self

    def stop(self, sig=signal.SIGTERM):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)
        self.log.close()
        return self.process.returncode

    def access_log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def request(self, method, path, body=None, headers=None, raw=False):
        """Returns (status, headers dict with lower-case names, body as JSON or text)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        sent_headers = dict(headers or {})
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            sent_headers.setdefault("Content-Type", "application/json")
        connection.request(method, path, body=body, headers=sent_headers)
        response = connection.getresponse()
        data = response.read()
        got_headers = {k.lower(): v for k, v in response.getheaders()}
        connection.close()
        if raw:
            return response.status, got_headers, data
        content_type = got_headers.get("content-type", "")
        if "json" in content_type and data:
            return response.status, got_headers, json.loads(data)
        return response.status, got_headers, data.decode("utf-8", errors="replace")


def simple_answer(question, overrides=None):
    """A valid answer to a question as the API shows it: always the same for the same question."""
    if overrides and question["id"] in overrides:
        return overrides[question["id"]]
    kind = question["kind"]
    if kind == "yesno":
        return False
    if kind == "choice":
        return question["options"][0]["id"]
    if kind == "multi":
        # A "none of these" option where there is one: many multi questions need a choice.
        nones = [o["id"] for o in question["options"] if "none" in o["id"]]
        return nones[:1] or [question["options"][0]["id"]]
    if kind in ("integer", "decimal"):
        return 40 if question["id"] == "age" else question["min"]
    return "x"


def raw_exchange(server, data, timeout=15):
    """Sends raw bytes; returns what the server answered until it closed (or went quiet)."""
    with socket.create_connection((server.host, server.port), timeout=timeout) as s:
        s.sendall(data)
        received = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                received += chunk
        except (socket.timeout, ConnectionResetError):
            pass
        return received
