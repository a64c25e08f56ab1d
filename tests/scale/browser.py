"""A browser reduced to what the scale tests need: one cookie jar over http.client, sent to
whichever app server a request goes to, as a real browser sends a host's cookies to every
port of it. Real HTTP, no Django test client: the servers are other processes."""
import http.client
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

TIMEOUT = 30  # seconds for one request


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Browser:
    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> Response:
        headers = {"Host": f"127.0.0.1:{port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            conn.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, port: int, path: str) -> Response:
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, data: dict | None = None) -> Response:
        """A form POST carrying the CSRF token, as the page's form would (the token is the
        cookie's secret, which Django accepts unmasked)."""
        if "csrftoken" not in self.cookies:
            self.get(port, "/login/")
        fields = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **(data or {})}
        return self.request(port, "POST", path, body=urlencode(fields).encode(), headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}{path}",
        })

    def login(self, port: int, username: str, password: str) -> Response:
        self.get(port, "/login/")
        return self.post(port, "/login/", {"username": username, "password": password})
