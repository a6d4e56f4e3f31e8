"""A local fake of PayU's REST API (v2.1), on loopback, for the tests: what lies outside the machine.

It speaks the parts of PayU's documented API the portal uses: the OAuth token
(``POST /pl/standard/user/oauth/authorize``), the order (``POST /api/v2_1/orders``, answered with
302 and ``redirectUri``), the order's retrieval (``GET /api/v2_1/orders/{id}``), and the notification
PayU POSTs to ``notifyUrl`` with ``OpenPayu-Signature`` (MD5 of the body and the second key). It also
serves the payment page a browser lands on, with "Zapłać", "Odrzuć" and "Anuluj".
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

POS_ID = "300746"
CLIENT_ID = "300746"
CLIENT_SECRET = "2ee86a66e5d97e3fadc400c9f19b065d"
SECOND_KEY = "b6ca15b0d1020e8094d9b5f8d163db54"


def sign(body: bytes, key: str = SECOND_KEY) -> str:
    digest = hashlib.md5(body + key.encode()).hexdigest()  # noqa: S324  (PayU's documented MD5 signature)
    return f"sender=checkout;signature={digest};algorithm=MD5;content=DOCUMENT"


class FakePayu:
    def __init__(self):
        self.orders: dict[str, dict] = {}
        self.tokens: set[str] = set()
        self.requests: list[tuple[str, str]] = []
        self.order_delay = 0.0  # seconds before answering an order create (a slow gateway)
        self.notify_on_pay = True  # PayU notifies before it sends the browser back
        self.notifications: list[tuple[int, bytes]] = []  # (HTTP status our portal answered, body)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def start(self) -> FakePayu:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # what a test does to the gateway ---------------------------------------------------------

    def only_order(self) -> dict:
        assert len(self.orders) == 1, self.orders
        return next(iter(self.orders.values()))

    def set_status(self, order_id: str, status: str) -> None:
        self.orders[order_id]["status"] = status

    def notification(self, order_id: str, status: str | None = None, **changes) -> tuple[bytes, str]:
        """The body and signature header PayU would POST for the order (with ``changes`` to its fields)."""
        order = {**self.orders[order_id]}
        if status:
            order["status"] = status
        order.update(changes)
        fields = (
            "orderId",
            "extOrderId",
            "orderCreateDate",
            "notifyUrl",
            "customerIp",
            "merchantPosId",
            "description",
            "currencyCode",
            "totalAmount",
            "status",
            "products",
        )
        body = json.dumps(
            {
                "order": {k: order[k] for k in fields if k in order},
                "localReceiptDateTime": "2026-11-24T12:00:05.123+01:00",
                "properties": [{"name": "PAYMENT_ID", "value": "5000"}],
            }
        )
        return body.encode(), sign(body.encode())

    def deliver(self, order_id: str) -> int:
        """POST the order's notification to its notifyUrl, as PayU does; returns the portal's HTTP status."""
        body, header = self.notification(order_id)
        request = urllib.request.Request(  # noqa: S310  (the live test server on loopback)
            self.orders[order_id]["notifyUrl"],
            data=body,
            headers={"Content-Type": "application/json", "OpenPayu-Signature": header},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        self.notifications.append((status, body))
        return status

    def deliver_via(self, client, payment, order_id: str) -> int:
        """The order's notification through Django's test client (no live server needed)."""
        body, header = self.notification(order_id)
        response = client.post(
            payment.get_process_url(), body, content_type="application/json", HTTP_OPENPAYU_SIGNATURE=header
        )
        self.notifications.append((response.status_code, body))
        return response.status_code

    # the HTTP side ---------------------------------------------------------------------------

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, payload, content_type="application/json", headers=None):
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _authorised(self) -> bool:
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if token in fake.tokens:
                    return True
                self._send(401, {"error": "invalid_token", "error_description": "Invalid access token"})
                return False

            def do_POST(self):
                fake.requests.append(("POST", self.path))
                path = urllib.parse.urlsplit(self.path).path
                if path == "/pl/standard/user/oauth/authorize":
                    form = urllib.parse.parse_qs(self._body().decode())
                    if form.get("client_id") != [CLIENT_ID] or form.get("client_secret") != [CLIENT_SECRET]:
                        return self._send(401, {"error": "invalid_client"})
                    token = uuid.uuid4().hex
                    fake.tokens.add(token)
                    return self._send(
                        200,
                        {
                            "access_token": token,
                            "token_type": "bearer",
                            "expires_in": 43199,
                            "grant_type": "client_credentials",
                        },
                    )
                if path == "/api/v2_1/orders":
                    time.sleep(fake.order_delay)
                    if not self._authorised():
                        return
                    order = json.loads(self._body())
                    required = (
                        "notifyUrl",
                        "continueUrl",
                        "customerIp",
                        "merchantPosId",
                        "description",
                        "currencyCode",
                        "totalAmount",
                        "products",
                    )
                    missing = [k for k in required if not order.get(k)]
                    if missing or order["merchantPosId"] != POS_ID:
                        return self._send(
                            400, {"status": {"statusCode": "ERROR_VALUE_MISSING", "statusDesc": str(missing)}}
                        )
                    order_id = uuid.uuid4().hex[:20].upper()
                    fake.orders[order_id] = {
                        **order,
                        "orderId": order_id,
                        "status": "NEW",
                        "orderCreateDate": "2026-11-24T12:00:00.000+01:00",
                    }
                    return self._send(
                        302,
                        {
                            "status": {"statusCode": "SUCCESS"},
                            "redirectUri": f"{fake.url}pay/{order_id}",
                            "orderId": order_id,
                            "extOrderId": order.get("extOrderId"),
                        },
                        headers={"Location": f"{fake.url}pay/{order_id}"},
                    )
                if path.startswith("/pay/"):
                    order_id = path.removeprefix("/pay/")
                    choice = urllib.parse.parse_qs(self._body().decode()).get("choice", [""])[0]
                    status = {"pay": "COMPLETED", "reject": "REJECTED", "cancel": "CANCELED", "later": "PENDING"}[
                        choice
                    ]
                    fake.set_status(order_id, status)
                    if fake.notify_on_pay:
                        fake.deliver(order_id)
                    target = fake.orders[order_id]["continueUrl"]
                    if status in ("REJECTED", "CANCELED"):
                        target += "?error=501"
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                return self._send(404, {"status": {"statusCode": "DATA_NOT_FOUND"}})

            def do_GET(self):
                fake.requests.append(("GET", self.path))
                path = urllib.parse.urlsplit(self.path).path
                if path.startswith("/api/v2_1/orders/"):
                    if not self._authorised():
                        return
                    order = fake.orders.get(path.removeprefix("/api/v2_1/orders/"))
                    if order is None:
                        return self._send(404, {"status": {"statusCode": "DATA_NOT_FOUND"}})
                    return self._send(
                        200,
                        {
                            "orders": [order],
                            "status": {"statusCode": "SUCCESS", "statusDesc": "Request processing successful"},
                        },
                    )
                if path.startswith("/pay/"):
                    order = fake.orders[path.removeprefix("/pay/")]
                    amount = int(order["totalAmount"]) / 100
                    page = f"""<!doctype html><html lang="pl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>PayU (fake)</title></head>
<body><main><h1>PayU</h1><p>{order["description"]}</p><p>Kwota: {amount:.2f} PLN</p>
<form method="post"><button name="choice" value="pay">Zapłać</button>
<button name="choice" value="later">Czekaj na bank</button>
<button name="choice" value="reject">Odrzuć</button><button name="choice" value="cancel">Anuluj</button></form>
</main></body></html>"""
                    return self._send(200, page.encode(), content_type="text/html; charset=utf-8")
                return self._send(404, {"status": {"statusCode": "DATA_NOT_FOUND"}})

        return Handler
