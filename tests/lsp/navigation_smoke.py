import json, subprocess, sys, time
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
def request(i, method, params):
    send({"jsonrpc":"2.0","id":i,"method":method,"params":params})
    while True:
        m = recv()
        if m.get("id") == i: return m
send({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"general":{"positionEncodings":["utf-8","utf-16"]}}}}); print(recv()["result"]["capabilities"]["positionEncoding"])
uri = "file:///work/main/questionnaires/ketamine-trd.sq"
text = open("/work/main/questionnaires/ketamine-trd.sq").read()
send({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":uri,"languageId":"stepcare","version":1,"text":text}}})
lines = text.split("\n")
ln = next(i for i, l in enumerate(lines) if "let adult" in l)
col = lines[ln].index("adult")
t = time.time(); m = request(2, "textDocument/hover", {"textDocument":{"uri":uri},"position":{"line":ln,"character":col}}); print("hover", round((time.time()-t)*1000,1), "ms:", m["result"]["contents"]["value"][:80])
t = time.time(); m = request(3, "textDocument/hover", {"textDocument":{"uri":uri},"position":{"line":ln,"character":col}}); print("hover again", round((time.time()-t)*1000,1), "ms")
use = next(i for i, l in enumerate(lines) if "when adult" in l)
m = request(4, "textDocument/definition", {"textDocument":{"uri":uri},"position":{"line":use,"character":lines[use].index("adult")+1}}); print("definition", m["result"]["range"]["start"], "expected line", ln)
m = request(5, "textDocument/references", {"textDocument":{"uri":uri},"position":{"line":use,"character":lines[use].index("adult")},"context":{"includeDeclaration":True}}); print("references", len(m["result"]))
m = request(6, "textDocument/hover", {"textDocument":{"uri":uri},"position":{"line":99999,"character":5}}); print("past the end", m)
m = request(8, "textDocument/documentSymbol", {"textDocument":{"uri":uri}}); root = m["result"][0]; print("outline:", root["name"], len(root["children"]), [c["name"] for c in root["children"][:6]])
m = request(9, "textDocument/foldingRange", {"textDocument":{"uri":uri}}); print("folds", len(m["result"]))
import re
cl = next(i for i, l in enumerate(lines) if re.search(r"\w+ == \w", l) and "test" not in l)
c = lines[cl].index("== ") + 3
m = request(10, "textDocument/completion", {"textDocument":{"uri":uri},"position":{"line":cl,"character":c}}); print("completion after ==:", lines[cl].strip()[:60], [i["label"] for i in m["result"]["items"]][:8])
ml = next(i for i, l in enumerate(lines) if " in {" in l)
c = lines[ml].index(" in {") + 5
m = request(11, "textDocument/completion", {"textDocument":{"uri":uri},"position":{"line":ml,"character":c}}); print("completion in {:", lines[ml].strip()[:60], [i["label"] for i in m["result"]["items"]][:8])
m = request(12, "textDocument/completion", {"textDocument":{"uri":uri},"position":{"line":ln,"character":0}}); print("names:", len(m["result"]["items"]))
m = request(13, "textDocument/prepareRename", {"textDocument":{"uri":uri},"position":{"line":ln,"character":col}}); print("prepare:", m.get("result"))
m = request(14, "textDocument/rename", {"textDocument":{"uri":uri},"position":{"line":ln,"character":col},"newName":"grown_up"}); print("rename:", len(m["result"]["changes"][uri]) if "result" in m else m)
m = request(15, "textDocument/rename", {"textDocument":{"uri":uri},"position":{"line":ln,"character":col},"newName":"age"}); print("clash:", m.get("error"))
cq = next(i for i, l in enumerate(lines) if "question country" in l)
m = request(16, "textDocument/rename", {"textDocument":{"uri":uri},"position":{"line":cq,"character":lines[cq].index("country")},"newName":"nation"}); print("used in texts:", m.get("error", {}).get("message", "")[:120])
m = request(17, "textDocument/prepareRename", {"textDocument":{"uri":uri},"position":{"line":0,"character":0}}); print("nothing there:", m.get("error"))
send({"jsonrpc":"2.0","id":7,"method":"shutdown"}); send({"jsonrpc":"2.0","method":"exit"}); print("exit", p.wait(timeout=10))
