"""A loopback stand-in for an app's auth URL: GET /auth with "Authorization: Bearer alice" -> 204 + X-Tessera-User,
anything else 401. Prints the number of calls it answered when stopped (SIGTERM)."""
import signal, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

calls = 0

class Auth(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        global calls
        calls += 1
        if self.headers.get("Authorization") == "Bearer alice":
            self.send_response(204)
            self.send_header("X-Tessera-User", "alice")
        else:
            self.send_response(401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Auth)
def stop(*_):
    print(calls, flush=True)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
server.serve_forever()
