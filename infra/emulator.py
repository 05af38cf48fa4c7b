"""Runs moto server for Pulse's local stack and tests.

The same server as `moto_server`, with one difference: DynamoDB (and
DynamoDB Streams) requests are handled one at a time, and so is moto's data
dump (`/moto-api/data.json`), which reads every table. moto's
TransactWriteItems copies table state with `copy.deepcopy` while other
threads write, which fails under concurrent submissions ("dictionary changed
size during iteration"). DynamoDB itself applies each request atomically, so
serialising them here keeps the emulator as faithful as the real service;
S3, SQS (long polls) and SES stay concurrent.

TransactWriteItems also keeps its rollback without copying whole tables:
moto deep-copies every table a transaction touches before applying it, so
each transaction costs time and memory in proportion to the table (the
send benchmark's emulator grew past 10 GB). Here the items the transaction
names are saved (and the stream's length), and a cancelled transaction puts
exactly those back, which is the same outcome at the cost of its own items.

It also takes injected faults, for the tests of what Pulse does when AWS
misbehaves: `POST /_pulse/faults` with
`{"operation": "BatchWriteItem", "mode": "error" | "unprocessed", "after": N, "times": K}`
(and optionally `"matching": "text"`: only calls whose request contains the
text count, e.g. a key prefix) lets the first N calls of that DynamoDB
operation through untouched, then spoils the next K: `error` answers HTTP 500 InternalServerError (the SDK
retries it, then gives up), `unprocessed` applies only the first half of a
BatchWriteItem's requests and returns the rest as `UnprocessedItems`, as
DynamoDB does under load. `DELETE /_pulse/faults` clears them; `GET` shows
them with their counters.

SES v2 `SendEmail` takes faults too (`matching` looks into the request, e.g.
a recipient's address): `throttle` answers 429 TooManyRequestsException,
`error` 500 InternalFailure, `rejected` 400 MessageRejected ("Illegal
address"), `unverified` 400 MessageRejected naming the sender as not
verified, `paused` 400 SendingPausedException. A rule for an operation the
emulator cannot intercept, or a mode that operation does not take, is
refused (400) rather than accepted and never applied.

S3's browser uploads (POST Object with a signed policy) are checked as S3
checks them, which moto does not: the policy must not have expired, every
condition must hold (exact fields, `starts-with`, `content-length-range`),
every form field must be named by a condition, and the signature must be the
policy signed (Signature Version 4) with the local stack's secret key
(`PULSE_EMULATOR_SECRET`, default `test`). A refused upload gets S3's XML
error (403 AccessDenied / SignatureDoesNotMatch, 400 EntityTooLarge); an
accepted one has `${filename}` in its key replaced by the file's name, as S3
does, before moto stores it.

Transfer Family (the optional SFTP endpoint's users) answers with AWS's
error codes, refuses a second user or key of the same name, and gives keys
AWS-shaped ids (see `faithful_transfer`).

Usage: python infra/emulator.py [-H 127.0.0.1] [-p PORT]
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import io
import json
import os
import signal
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple


def serialise_dynamodb(app):
    lock = threading.Lock()

    def wrapped(environ, start_response):
        # moto's data dump (the local outbox reads SES's sent mail from it)
        # walks every backend's dictionaries, DynamoDB's too: under the same
        # lock, so that it never meets a table a write is changing
        dump = environ.get("PATH_INFO") == "/moto-api/data.json"
        if not dump and not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB"):
            return app(environ, start_response)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        with lock:
            result = app(environ, capture)
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        start_response(captured["status"], captured["headers"])
        return [body]

    return wrapped


# The DynamoDB operations Pulse calls (any of them takes `error`;
# BatchWriteItem also `unprocessed`), and SES's SendEmail with its modes.
DYNAMODB_OPERATIONS = {
    "BatchGetItem", "BatchWriteItem", "DeleteItem", "DescribeTable", "GetItem", "PutItem", "Query", "Scan",
    "TransactGetItems", "TransactWriteItems", "UpdateItem",
}
SES_MODES = {
    "throttle": (429, "TooManyRequestsException", "Maximum sending rate exceeded."),
    "error": (500, "InternalFailure", "injected fault"),
    "rejected": (400, "MessageRejected", "Illegal address"),
    "unverified": (400, "MessageRejected",
                   "Email address is not verified. The following identities failed the check in region US-EAST-1: {sender}"),
    "paused": (400, "SendingPausedException", "Sending is paused for this account."),
}


def modes_of(operation):
    if operation == "SendEmail":
        return set(SES_MODES)
    if operation == "BatchWriteItem":
        return {"error", "unprocessed"}
    if operation in DYNAMODB_OPERATIONS:
        return {"error"}
    return set()


class Faults:
    """Injected faults by operation name (see the module doc)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rules = {}

    def handle_admin(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        with self.lock:
            if method == "POST":
                size = int(environ.get("CONTENT_LENGTH") or 0)
                rule = json.loads(environ["wsgi.input"].read(size) or b"{}")
                modes = modes_of(rule.get("operation") or "")
                if not modes:
                    return respond(start_response, 400, {
                        "error": f"operation {rule.get('operation')!r} cannot be intercepted; "
                                 f"known: SendEmail and the DynamoDB operations {sorted(DYNAMODB_OPERATIONS)}"})
                if rule.get("mode") not in modes:
                    return respond(start_response, 400, {
                        "error": f"mode {rule.get('mode')!r} is not one {rule['operation']} takes: {sorted(modes)}"})
                rule.setdefault("after", 0)
                rule.setdefault("times", 1)
                rule["seen"] = 0
                rule["spoiled"] = 0
                self.rules[rule["operation"]] = rule
            elif method == "DELETE":
                self.rules.clear()
            return respond(start_response, 200, list(self.rules.values()))

    def wants_body(self, operation):
        """Whether the rule for `operation` looks into the request."""
        with self.lock:
            return "matching" in self.rules.get(operation, {})

    def take(self, operation, body=b""):
        """The rule to apply to this call of `operation` (request `body`), if any."""
        with self.lock:
            rule = self.rules.get(operation)
            if rule is None:
                return None
            if "matching" in rule and rule["matching"].encode() not in body:
                return None
            rule["seen"] += 1
            if rule["seen"] <= rule["after"] or rule["spoiled"] >= rule["times"]:
                return None
            rule["spoiled"] += 1
            return rule["mode"]


def respond(start_response, status, body, extra_headers=()):
    data = json.dumps(body).encode()
    reason = {200: "OK", 400: "Bad Request", 429: "Too Many Requests", 500: "Internal Server Error"}[status]
    headers = [("Content-Type", "application/x-amz-json-1.0"), ("Content-Length", str(len(data)))] + list(extra_headers)
    start_response(f"{status} {reason}", headers)
    return [data]


def ses_fault(environ, start_response, faults):
    """Applies a SendEmail rule (SES v2 is REST-JSON: the error type goes in
    the x-amzn-ErrorType header), or None to let the call through."""
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    environ["wsgi.input"] = io.BytesIO(body)
    mode = faults.take("SendEmail", body)
    if mode is None:
        return None
    status, code, message = SES_MODES[mode]
    try:
        sender = json.loads(body or b"{}").get("FromEmailAddress", "")
    except ValueError:
        sender = ""
    return respond(start_response, status, {"__type": code, "message": message.format(sender=sender)},
                   [("x-amzn-ErrorType", code)])


def inject_faults(app, faults):
    def wrapped(environ, start_response):
        if environ.get("PATH_INFO") == "/_pulse/faults":
            return faults.handle_admin(environ, start_response)
        if environ.get("PATH_INFO") == "/v2/email/outbound-emails" and environ.get("REQUEST_METHOD") == "POST":
            refused = ses_fault(environ, start_response, faults)
            return refused if refused is not None else app(environ, start_response)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if not target.startswith("DynamoDB_20120810."):
            return app(environ, start_response)
        operation = target.split(".", 1)[1]
        body = b""
        if faults.wants_body(operation):
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
        mode = faults.take(operation, body)
        if mode == "error":
            return respond(start_response, 500, {"__type": "com.amazonaws.dynamodb.v20120810#InternalServerError", "message": "injected fault"})
        if mode != "unprocessed":
            return app(environ, start_response)
        size = int(environ.get("CONTENT_LENGTH") or 0)
        request = json.loads(environ["wsgi.input"].read(size))
        kept, held = {}, {}
        for table, writes in request.get("RequestItems", {}).items():
            half = max(1, len(writes) // 2)
            kept[table] = writes[:half]
            if writes[half:]:
                held[table] = writes[half:]
        request["RequestItems"] = kept
        body = json.dumps(request).encode()
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        result = app(environ, capture)
        answer = json.loads(b"".join(result) or b"{}")
        if captured["status"].startswith("200"):
            answer.setdefault("UnprocessedItems", {})
            for table, writes in held.items():
                answer["UnprocessedItems"].setdefault(table, []).extend(writes)
        data = json.dumps(answer).encode()
        # the body changed: its length and checksum headers no longer hold
        headers = [(k, v) for k, v in captured["headers"] if k.lower() not in ("content-length", "x-amz-crc32")]
        start_response(captured["status"], headers + [("Content-Length", str(len(data)))])
        return [data]

    return wrapped


def s3_error(start_response, status, code, message):
    data = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
            f'<Message>{message}</Message></Error>').encode()
    reason = {400: "Bad Request", 403: "Forbidden"}[status]
    start_response(f"{status} {reason}", [("Content-Type", "application/xml"), ("Content-Length", str(len(data)))])
    return [data]


def policy_problem(fields, bucket, size, secret, now=None):
    """Why S3 would refuse this POST upload (None: it would take it).
    `fields` maps lower-case form field names to values (the file excluded)."""
    policy = fields.get("policy")
    if not policy:
        return 403, "AccessDenied", "Bucket POST must contain a field named 'policy'."
    try:
        doc = json.loads(base64.b64decode(policy))
        expiration = datetime.datetime.strptime(doc["expiration"], "%Y-%m-%dT%H:%M:%S.%fZ")
    except (ValueError, KeyError, TypeError):
        return 400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON."
    now = now or datetime.datetime.utcnow()
    if expiration < now:
        return 403, "AccessDenied", "Invalid according to Policy: Policy expired."
    covered = set()
    for c in doc.get("conditions", []):
        if isinstance(c, dict) and len(c) == 1:
            (name, value), = c.items()
            name = name.lower()
            actual = bucket if name == "bucket" else fields.get(name)
            if actual != value:
                return 403, "AccessDenied", f'Invalid according to Policy: Policy Condition failed: ["eq", "${name}", "{value}"]'
            covered.add(name)
        elif isinstance(c, list) and len(c) == 3 and c[0] == "content-length-range":
            if size > int(c[2]):
                return 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"
            if size < int(c[1]):
                return 400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size"
        elif isinstance(c, list) and len(c) == 3 and c[0] in ("eq", "starts-with"):
            name = str(c[1]).lstrip("$").lower()
            actual = bucket if name == "bucket" else fields.get(name, "")
            if (c[0] == "eq" and actual != c[2]) or (c[0] == "starts-with" and not actual.startswith(c[2])):
                return 403, "AccessDenied", f'Invalid according to Policy: Policy Condition failed: ["{c[0]}", "${name}", "{c[2]}"]'
            covered.add(name)
        else:
            return 400, "InvalidPolicyDocument", f"Invalid Policy: Invalid condition {json.dumps(c)}"
    extra = [n for n in fields if n not in covered and n not in ("policy", "x-amz-signature") and not n.startswith("x-ignore-")]
    if extra:
        return 403, "AccessDenied", f"Invalid according to Policy: Extra input fields: {extra[0]}"
    try:
        access_key, date, region, service, terminal = fields.get("x-amz-credential", "").split("/")
    except ValueError:
        return 403, "AccessDenied", "Invalid according to Policy: the x-amz-credential field is malformed"
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, terminal):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, policy.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, fields.get("x-amz-signature", "")):
        return 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."
    return None


def s3_browser_uploads(app):
    """Checks S3 POST uploads as S3 does (see the module doc)."""
    from werkzeug.formparser import parse_form_data

    secret = os.environ.get("PULSE_EMULATOR_SECRET", "test")

    def wrapped(environ, start_response):
        segments = [s for s in environ.get("PATH_INFO", "").split("/") if s]
        if (environ.get("REQUEST_METHOD") != "POST" or len(segments) != 1 or environ.get("QUERY_STRING")
                or not environ.get("CONTENT_TYPE", "").startswith("multipart/form-data")):
            return app(environ, start_response)
        _, form, files = parse_form_data(environ)
        upload = files.get("file")
        if upload is None:
            return s3_error(start_response, 400, "InvalidArgument", "POST requires exactly one file upload per request.")
        content = upload.stream.read()
        ordered = [(k, v) for k, v in form.items(multi=True)]
        fields = {k.lower(): v for k, v in ordered}
        problem = policy_problem(fields, segments[0], len(content), secret)
        if problem:
            return s3_error(start_response, *problem)
        name = os.path.basename(upload.filename or "")
        boundary = "pulse-emulator-" + hashlib.sha256(content[:1024]).hexdigest()[:16]
        body = io.BytesIO()
        for k, v in ordered:
            if k.lower() == "key":
                v = v.replace("${filename}", name)
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'.encode() + v.encode() + b"\r\n")
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                   f'Content-Type: {upload.content_type or "application/octet-stream"}\r\n\r\n'.encode() + content + b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        data = body.getvalue()
        environ["wsgi.input"] = io.BytesIO(data)
        environ["CONTENT_LENGTH"] = str(len(data))
        environ["CONTENT_TYPE"] = f"multipart/form-data; boundary={boundary}"
        return app(environ, start_response)

    return wrapped


def item_level_transactions():
    """Replaces moto's whole-table snapshot of TransactWriteItems with a
    snapshot of the named items (see the module doc). Relies on DynamoDB
    requests being serialised (`serialise_dynamodb`)."""
    import copy

    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    original = DynamoDBBackend.transact_write_items
    state = {"inside": False}
    plain_deepcopy = getattr(Table, "__deepcopy__", None)

    def table_deepcopy(self, memo):
        if state["inside"]:
            return self  # moto's own rollback is then a no-op; ours runs below
        if plain_deepcopy is not None:
            return plain_deepcopy(self, memo)
        clone = self.__class__.__new__(self.__class__)
        memo[id(self)] = clone
        for k, v in self.__dict__.items():
            setattr(clone, k, copy.deepcopy(v, memo))
        return clone

    Table.__deepcopy__ = table_deepcopy

    def transact_write_items(self, transact_items):
        saved, streams = [], {}
        for entry in transact_items:
            _, op = next(iter(entry.items()))
            table = self.tables.get(op.get("TableName") or "")
            attrs = op.get("Item") or op.get("Key") or {}
            if table is None or table.hash_key_attr not in attrs:
                continue
            h = DynamoType(attrs[table.hash_key_attr])
            r = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr and table.range_key_attr in attrs else None
            saved.append((table, h, r, copy.deepcopy(table.get_item(h, r) if (r is not None or not table.range_key_attr) else None)))
            if table.stream_shard is not None and id(table) not in streams:
                streams[id(table)] = (table.stream_shard, len(table.stream_shard.items))
        state["inside"] = True
        try:
            return original(self, transact_items)
        except Exception:
            for table, h, r, old in reversed(saved):
                if r is None:
                    if old is None:
                        table.items.pop(h, None)
                    else:
                        table.items[h] = old
                elif old is None:
                    table.items.get(h, {}).pop(r, None)
                else:
                    table.items[h][r] = old
            for shard, length in streams.values():
                del shard.items[length:]
            raise
        finally:
            state["inside"] = False

    DynamoDBBackend.transact_write_items = transact_write_items


def faithful_transfer():
    """moto's Transfer Family answers as AWS does where Pulse relies on it:
    a missing server, user or key is `ResourceNotFoundException` (moto:
    `UserNotFound`…), a second user of the same name or a key the user
    already has is `ResourceExistsException` (moto accepts both), and a
    key's id is `key-` and 17 hex digits with its import time a timestamp
    (moto builds the id from the key's body and writes the time as text)."""
    import secrets
    import time

    from moto.transfer import models
    from moto.transfer.exceptions import TransferError

    def not_found(message):
        class NotFound(TransferError):
            def __init__(self, **kw):
                super().__init__("ResourceNotFoundException", message.format(**kw))
        return NotFound

    models.ServerNotFound = not_found("Unknown server {server_id}")
    models.UserNotFound = not_found("Unknown user {user_name} on server {server_id}")
    models.PublicKeyNotFound = not_found("Unknown key {ssh_public_key_id} of user {user_name}")

    class Exists(TransferError):
        def __init__(self, message):
            super().__init__("ResourceExistsException", message)

    backend = models.TransferBackend
    create_user, import_key = backend.create_user, backend.import_ssh_public_key

    def key_body(body):
        return " ".join((body or "").split()[:2])

    def fresh(key):
        key["ssh_public_key_id"] = "key-" + secrets.token_hex(9)[:17]
        key["date_imported"] = time.time()

    def checked_create_user(self, **kw):
        server = self.servers.get(kw["server_id"])
        if server is None:
            raise models.ServerNotFound(server_id=kw["server_id"])
        if any(u.user_name == kw["user_name"] for u in server._users):
            raise Exists(f"User already exists: {kw['user_name']}")
        result = create_user(self, **kw)
        for key in server._users[-1].ssh_public_keys:
            fresh(key)
        return result

    def checked_import_key(self, server_id, ssh_public_key_body, user_name):
        _, user = self.describe_user(server_id=server_id, user_name=user_name)
        if any(key_body(k["ssh_public_key_body"]) == key_body(ssh_public_key_body) for k in user.ssh_public_keys):
            raise Exists("Key already exists for this user")
        import_key(self, server_id, ssh_public_key_body, user_name)
        key = user.ssh_public_keys[-1]
        fresh(key)
        return server_id, key["ssh_public_key_id"], user_name

    backend.create_user = checked_create_user
    backend.import_ssh_public_key = checked_import_key


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    args = parser.parse_args()
    os.environ.setdefault("MOTO_PORT", str(args.port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    item_level_transactions()
    faithful_transfer()
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, s3_browser_uploads(inject_faults(serialise_dynamodb(app), Faults())), threaded=True)


if __name__ == "__main__":
    main()
