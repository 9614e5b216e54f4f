"""A plain HTTP client for a real `journal serve` on loopback, from any 127.0.0.x address."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlencode
from dataclasses import dataclass


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str

    def cookies(self) -> dict[str, str]:
        """Each Set-Cookie as name -> the whole header (value and attributes)."""
        return {header.split("=", 1)[0]: header for header in self.headers.get_all("set-cookie") or []}

    def cookie_value(self, name: str) -> str:
        return self.cookies()[name].split(";", 1)[0].split("=", 1)[1]


def request(port: int, method: str, path: str, *, body: str | bytes | None = None, headers: dict | None = None,
            cookies: dict | None = None, address: str = "127.0.0.1", host: str | None = None) -> Answer:
    """One request on its own connection, from ``address`` (any of 127.0.0.0/8 reaches the server)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(address, 0))
    headers = dict(headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    if host is not None:
        conn.putrequest(method, path, skip_host=True)
        conn.putheader("Host", host)
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders(body.encode() if isinstance(body, str) else body)
    else:
        conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    answer = Answer(response.status, response.headers, response.read().decode("utf-8", "replace"))
    conn.close()
    return answer


def login_form(port: int, address: str = "127.0.0.1") -> tuple[str, str] | Answer:
    """The CSRF cookie and the form's token, as a browser gets them from /-/login (or the refusal)."""
    page = request(port, "GET", "/-/login", address=address)
    if page.status != 200:
        return page
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    return page.cookie_value("ds_csrftoken"), token


def sign_in(port: int, name: str, password: str, *, address: str = "127.0.0.1",
            cookies: dict | None = None, headers: dict | None = None) -> Answer:
    """Fill in and send the sign-in form (or the answer that refused to show it)."""
    form = login_form(port, address)
    if isinstance(form, Answer):
        return form
    csrf_cookie, token = form
    form = urlencode({"username": name, "password": password, "csrftoken": token})
    return request(port, "POST", "/-/login", body=form, address=address,
                   headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})},
                   cookies={"ds_csrftoken": csrf_cookie, **(cookies or {})})


def session_of(answer: Answer) -> dict[str, str]:
    assert answer.status == 302 and answer.headers["location"] == "/", (answer.status, answer.text[:300])
    return {"journal_session": answer.cookie_value("journal_session")}
