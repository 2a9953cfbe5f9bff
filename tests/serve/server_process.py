"""Starts `stepcare serve` on a free port for a test, and stops it."""
import http.client
import json
import os
import signal
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
