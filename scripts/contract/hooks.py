"""Schemathesis hooks for scripts/contract-test.sh.

Auth: the run calls DELETE /v1/tokens/{id} with generated ids, and sooner or later revokes the
admin token it is using (a token may revoke itself: that is logging out). Every later request
would then be a 401 and test nothing, so the token is checked once a second and, once revoked,
replaced by a new admin token made with `pilar token create` (the CLI, as an operator would).
"""
import json
import os
import subprocess
import urllib.error
import urllib.request

import schemathesis

BIN = os.environ["PILAR_BIN"]
DB = os.environ["PILAR_DB"]
URL = os.environ["PILAR_URL"]


def _valid(token: str) -> bool:
    req = urllib.request.Request(URL + "/v1/me", headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r).get("role") == "admin"
    except urllib.error.HTTPError:
        return False


@schemathesis.auth(refresh_interval=1)
class PilarAdminToken:
    token = os.environ["PILAR_TOKEN"]

    def get(self, case, ctx):
        if not _valid(PilarAdminToken.token):
            out = subprocess.run([BIN, "token", "create", "--role", "admin", "--name", "contract", "--db", DB],
                                 check=True, capture_output=True, text=True).stdout
            PilarAdminToken.token = out.strip().splitlines()[-1]
        return PilarAdminToken.token

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        case.headers["Authorization"] = "Bearer " + data
