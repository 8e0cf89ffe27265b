"""A loopback stand-in for an app's auth URL: GET /auth with "Authorization: Bearer alice…" -> 204 + X-Tessera-User,
anything else 401. GET /calls answers the number of /auth calls so far."""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

calls = 0

class Auth(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        global calls
        if self.path == "/calls":
            body = str(calls).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        calls += 1
        if self.headers.get("Authorization", "").startswith("Bearer alice"):
            self.send_response(204)
            self.send_header("X-Tessera-User", "alice")
        else:
            self.send_response(401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Auth)
server.serve_forever()
