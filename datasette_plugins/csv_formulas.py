"""CSV downloads with formula-like cells neutralised (journal.supervisor.csv_cells)."""

from __future__ import annotations

from datasette import hookimpl

from journal.supervisor.csv_cells import CsvRewriter


def _is_csv(path: str, headers: list) -> bool:
    content_type = dict(headers).get(b"content-type", b"")
    return path.endswith(".csv") or content_type.startswith(b"text/csv")


@hookimpl
def asgi_wrapper():
    def wrap(app):
        async def rewrite_csv(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            rewriter = None

            async def send_rewritten(message):
                nonlocal rewriter
                if message["type"] == "http.response.start" and message.get("status") == 200 \
                        and _is_csv(scope.get("path", ""), message.get("headers", [])):
                    rewriter = CsvRewriter()
                    message = {**message, "headers": [(k, v) for k, v in message.get("headers", [])
                                                      if k.lower() != b"content-length"]}
                elif message["type"] == "http.response.body" and rewriter is not None:
                    body = rewriter.feed(message.get("body", b""))
                    if not message.get("more_body"):
                        body += rewriter.finish()
                    message = {**message, "body": body}
                await send(message)

            await app(scope, receive, send_rewritten)

        return rewrite_csv

    return wrap
