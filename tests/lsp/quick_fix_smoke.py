import json, subprocess, sys
p = subprocess.Popen([sys.argv[1]], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def send(m):
    b = json.dumps(m).encode(); p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b); p.stdin.flush()
def recv():
    h = {}
    while True:
        line = p.stdout.readline()
        if line in (b"\r\n", b""): break
        k, v = line.decode().split(":", 1); h[k.strip()] = v.strip()
    return json.loads(p.stdout.read(int(h["Content-Length"])))
send({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}); recv()
uri = "file:///tmp/tryed.sq"
text = open("/work/main/tests/bad/check/bom_with_error.sq", encoding="utf-8-sig").read()
send({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":uri,"languageId":"stepcare","version":1,"text":text}}})
m = recv(); ds = m["params"]["diagnostics"]; print([d["message"] for d in ds])
send({"jsonrpc":"2.0","id":2,"method":"textDocument/codeAction","params":{"textDocument":{"uri":uri},"range":ds[0]["range"],"context":{"diagnostics":ds}}})
m = recv()
while m.get("id") != 2: m = recv()
print([(a["title"], a["edit"]["changes"][uri][0]) for a in m["result"]])
send({"jsonrpc":"2.0","id":3,"method":"shutdown"}); send({"jsonrpc":"2.0","method":"exit"}); print("exit", p.wait(timeout=10))
