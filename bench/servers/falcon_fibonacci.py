"""The original Fibonacci API (Falcon + gunicorn), rebuilt for comparison only: `npm run bench` runs it
beside our service. Same routes and the same JSON bytes as apps/fibonacci; fib(n) is computed on every
request with the plain loop such a service would use (the original kept no cache).

    gunicorn --bind 127.0.0.1:8000 --workers 2 --chdir bench/servers falcon_fibonacci:app
"""
import json
import os
import sys

import falcon

MAX_N = int(os.environ.get("FIB_MAX_N", "10000"))
MAX_SAFE_INTEGER = 2**53 - 1

# Python 3.11 refuses to print integers of more than 4300 digits; fib(100 000) has 20 899.
sys.set_int_max_str_digits(0)


def fibonacci(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


class FibonacciResource:
    def on_get(self, req: falcon.Request, resp: falcon.Response, n: int) -> None:
        if n > MAX_N:
            raise falcon.HTTPBadRequest(description=f"params/n must be <= {MAX_N}")
        value = fibonacci(n)
        # Past 2^53 - 1 the value is a string, as in our service, so both send the same bytes.
        shown = value if value <= MAX_SAFE_INTEGER else str(value)
        resp.text = json.dumps({"n": n, "value": shown}, separators=(",", ":"))


class PingResource:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.text = '{"ping":"pong"}'


app = falcon.App()
app.add_route("/api/fibonacci/{n:int(min=0)}", FibonacciResource())
app.add_route("/api/ping", PingResource())
