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

SES v2 `GetAccount` (which moto does not answer) answers as a new AWS
account does: in the sandbox, sending enabled, a quota of 200 emails a day
at 1 a second, and the emails moto has sent as `SentLast24Hours`.
`POST /_pulse/ses-account` with any of `{"production_access": true,
"sending_enabled": false, "max_24_hour_send": 50000, "max_send_rate": 14}`
changes what it answers (as AWS does when it grants production access or a
higher quota); `GET` shows it.

Transfer Family (the optional SFTP endpoint's users) answers with AWS's
error codes, refuses a second user or key of the same name, and gives keys
AWS-shaped ids (see `faithful_transfer`).

A partition model, off by default, makes DynamoDB's per-partition limits
felt locally (issue #21): with `PULSE_PARTITION_FACTOR=F` in the
emulator's environment, or after `POST /_pulse/partitions {"factor": F}`,
every (table, partition key value) has a token bucket of write units
refilled continuously at 1,000/F a second and one of read units at
3,000/F a second (DynamoDB's limits per partition, divided by F so that
this machine can reach them: F = 20 gives 50 WCU and 150 RCU a second).
Each bucket holds ONE second of its capacity: on-demand tables do not save
up unused capacity per partition the way provisioned tables' burst
capacity (up to 300 s) does, so a partition never gets more than a
second's worth at once. A request whose units the bucket cannot cover is
refused and consumes nothing; a single request larger than a whole bucket
goes through on a full bucket and leaves it in debt. Units are charged as
DynamoDB charges them, with the item size counted as DynamoDB counts it
(attribute names plus values; numbers about one byte per two digits):
- PutItem, UpdateItem, DeleteItem: ceil(size / 1 KB) write units, the size
  being the larger of the stored item before and after (a failed condition
  is charged too);
- TransactWriteItems: twice that per item, a ConditionCheck as a write of
  its item; items on the same partition add up. If any item's partition
  cannot cover its items, the whole transaction is cancelled with
  `TransactionCanceledException` whose `CancellationReasons` carry
  `ThrottlingError` for the items on those partitions (`None` for the rest);
  one cancelled by a failed condition is charged as a failed conditional
  write is;
- GetItem: ceil(size / 4 KB) read units strongly consistent, half that
  eventually consistent; TransactGetItems twice the strong read, refused as
  transactions are; Query: the summed size of the items it returns / 4 KB
  (half if eventually consistent), on the partition its key condition
  names (admitted if the bucket holds one read unit, half for an eventually
  consistent query, then charged what it read);
  Scan and queries of an index are not charged (the template has no index);
- BatchWriteItem and BatchGetItem: each item on its own partition; the
  items whose partition has no capacity left come back in
  `UnprocessedItems` / `UnprocessedKeys` (not an error), and only when
  none at all can be done is the call refused with the throttling error,
  as DynamoDB does.
A refused single-item call answers HTTP 400 with
`com.amazonaws.dynamodb.v20120810#ThrottlingException` for an on-demand
table (BillingMode PAY_PER_REQUEST, as the template declares every table)
or `ProvisionedThroughputExceededException` for a provisioned one, with
the throttling reasons (`[{"reason": "TableWriteKeyRangeThroughputExceeded"
(or Read), "resource": <table ARN>}]`, DynamoDB's hot-partition reason;
the member is `throttlingReasons` in the first, `ThrottlingReasons` in the
second, as the service model spells them). The
AWS SDKs treat both as throttling and retry them with backoff.
`GET /_pulse/partitions` answers the model's state: `enabled`, `factor`,
`now` (seconds of emulator time since it was turned on), the rates, and per
partition `writes`, `write_units`, `reads`, `read_units` consumed by the
requests let through, `throttled_writes` / `throttled_reads` (requests or
batch items refused; a refused transaction counts once on each partition
that was short) and `first_at` / `last_at` (emulator time of the first
and last consumption), from which tests and the benchmark compute the
accepted rate: a partition's `write_units` never exceed one second's
capacity plus the rate times (`last_at` - `first_at`), plus what updates
grew their items by beyond the estimate made before applying them.
`POST` again resets every bucket and counter; `DELETE` turns the model off.

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
import time

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


class SesAccount:
    """The SES account GetAccount describes (see the module's doc)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.state = {"production_access": False, "sending_enabled": True, "max_24_hour_send": 200.0, "max_send_rate": 1.0}

    def handle_admin(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST":
            try:
                change = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) or b"{}")
            except ValueError:
                return respond(start_response, 400, {"message": "expected a JSON object"})
            unknown = set(change) - set(self.state)
            if unknown:
                return respond(start_response, 400, {"message": f"unknown fields {sorted(unknown)}; known: {sorted(self.state)}"})
            with self.lock:
                self.state.update(change)
        with self.lock:
            return respond(start_response, 200, dict(self.state))

    def get_account(self, environ, start_response):
        from moto.ses.models import ses_backends

        # the region of the request's credential scope (Credential=KEY/DATE/REGION/ses/aws4_request)
        scope = environ.get("HTTP_AUTHORIZATION", "").split("Credential=", 1)[-1].split(",", 1)[0].split("/")
        region = scope[2] if len(scope) > 2 else "us-east-1"
        sent = ses_backends[os.environ.get("MOTO_ACCOUNT_ID", "123456789012")][region].sent_message_count
        with self.lock:
            state = dict(self.state)
        return respond(start_response, 200, {
            "DedicatedIpAutoWarmupEnabled": False,
            "EnforcementStatus": "HEALTHY",
            "ProductionAccessEnabled": state["production_access"],
            "SendingEnabled": state["sending_enabled"],
            "SendQuota": {
                "Max24HourSend": float(state["max_24_hour_send"]),
                "MaxSendRate": float(state["max_send_rate"]),
                "SentLast24Hours": float(sent),
            },
        })


def ses_account(app, account):
    def wrapped(environ, start_response):
        path = environ.get("PATH_INFO")
        if path == "/_pulse/ses-account":
            return account.handle_admin(environ, start_response)
        if path == "/v2/email/account" and environ.get("REQUEST_METHOD") == "GET":
            return account.get_account(environ, start_response)
        return app(environ, start_response)

    return wrapped


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
        status, headers, answer, data = call_app(app, environ, request)
        if answer is None:
            start_response(status, headers)
            return [data]
        if status.startswith("200"):
            answer.setdefault("UnprocessedItems", {})
            for table, writes in held.items():
                answer["UnprocessedItems"].setdefault(table, []).extend(writes)
        return answer_with(start_response, status, headers, answer)

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


def partition_queries():
    """A table query reads its own partition, as DynamoDB does. moto sorts
    every item of the table on each query, then walks the partition from
    its start to the page's `ExclusiveStartKey`, so paging through a
    50,000-item partition cost more than half a second a page here, and a
    query of a small partition grew with the whole table. The answers are
    the same: moto's own query runs over the partition's items from the
    start key on (found by bisection), first over the nearest few of them
    and over all only when those did not fill the page; index queries and
    binary sort keys are left to moto."""
    import bisect
    import decimal

    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    original = Table.query

    class PartitionView:
        def __init__(self, table, items):
            self._table = table
            self._items = items

        def all_items(self):
            return self._items

        def __getattr__(self, name):
            return getattr(self._table, name)

    def query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
              projection_expressions, index_name=None, *rest, **kwargs):
        args = (hash_key, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
                projection_expressions, index_name, *rest)
        if index_name or not self.range_key_attr or hash_key is None:
            return original(self, *args, **kwargs)
        # sorted by the key's plain value (a sort key has one type): moto's
        # typed values compare many times slower
        part = list(self.items.get(hash_key, {}).values())
        if part and part[0].range_key.type not in ("S", "N"):
            return original(self, *args, **kwargs)
        number = bool(part) and part[0].range_key.type == "N"
        plain = (lambda i: decimal.Decimal(i.range_key.value)) if number else (lambda i: i.range_key.value)
        part.sort(key=plain)
        forward = scan_index_forward is not False
        start = (exclusive_start_key or {}).get(self.range_key_attr)
        if start is not None:
            keys = [plain(i) for i in part]
            at = plain(type("Key", (), {"range_key": DynamoType(start)}))
            part = part[bisect.bisect_right(keys, at):] if forward else part[:bisect.bisect_left(keys, at)]
        # a page needs at most `limit` + 1 items of its key range: offer the
        # nearest ones first, and all of them only when those did not fill it
        width = 4 * (limit or 0) + 16
        if limit and len(part) > width:
            window = part[:width] if forward else part[-width:]
            answer = original(PartitionView(self, window), *args, **kwargs)
            if answer[2] is not None:
                return answer
        return original(PartitionView(self, part), *args, **kwargs)

    Table.query = query


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
# ----------------------------------------------------------------- partitions

# DynamoDB's per-partition limits (a partition key value is at most one
# partition): 1,000 write and 3,000 read units a second.
PARTITION_WCU = 1000.0
PARTITION_RCU = 3000.0
THROTTLE_MESSAGE = ("Throughput exceeds the current capacity of your table or index. DynamoDB is automatically "
                    "scaling your table or index so please try again shortly. If exceptions persist, check if "
                    "you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/"
                    "bp-partition-key-design.html")
PROVISIONED_MESSAGE = ("The level of configured provisioned throughput for the table was exceeded. "
                       "Consider increasing your provisioning level with the UpdateTable API.")


def number_size(text):
    """A number's size as DynamoDB counts it: about one byte per two
    significant digits, plus one."""
    digits = "".join(c for c in str(text) if c.isdigit()).strip("0") or "0"
    return (len(digits) + 1) // 2 + 1


def value_size(value):
    """The size of an attribute value in DynamoDB's JSON form ({"S": …})."""
    (kind, v), = value.items()
    if kind == "S":
        return len(v.encode())
    if kind == "N":
        return number_size(v)
    if kind == "B":
        return len(v) if isinstance(v, (bytes, bytearray)) else len(v) * 3 // 4
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode()) for s in v)
    if kind == "NS":
        return sum(number_size(s) for s in v)
    if kind == "BS":
        return sum(len(b) if isinstance(b, (bytes, bytearray)) else len(b) * 3 // 4 for b in v)
    if kind == "L":
        return 3 + sum(1 + value_size(e) for e in v)
    if kind == "M":
        return 3 + sum(len(k.encode()) + 1 + value_size(e) for k, e in v.items())
    return len(json.dumps(v))


def item_size(attributes):
    """An item's size as DynamoDB counts it: attribute names plus values."""
    return sum(len(name.encode()) + value_size(value) for name, value in (attributes or {}).items())


def write_units(size):
    return max(1, -(-size // 1024))


def read_units(size, consistent):
    units = max(1, -(-size // 4096))
    return float(units) if consistent else units / 2.0


class Bucket:
    """One partition's token buckets (write and read units), refilled
    continuously, holding at most one second's capacity."""

    def __init__(self, now, wcu, rcu):
        self.wcu, self.rcu = wcu, rcu
        self.w, self.r = wcu, rcu
        self.at = now
        self.counts = {"writes": 0, "write_units": 0.0, "reads": 0, "read_units": 0.0,
                       "throttled_writes": 0, "throttled_reads": 0, "first_at": None, "last_at": None}

    def refill(self, now):
        elapsed = max(0.0, now - self.at)
        self.w = min(self.wcu, self.w + elapsed * self.wcu)
        self.r = min(self.rcu, self.r + elapsed * self.rcu)
        self.at = now

    def can(self, write_cost, read_cost, write_before=0.0, read_before=0.0):
        """Whether a request of these costs fits, after `*_before` units
        already granted to earlier items of the same batch. A request larger
        than the whole bucket goes through on a full bucket and leaves it in
        debt, so that it is not refused for ever and the long-run rate holds."""
        def fits(tokens, cost, before, capacity):
            if not cost:
                return True
            return tokens >= before + cost if before else tokens >= min(cost, capacity)
        return fits(self.w, write_cost, write_before, self.wcu) and fits(self.r, read_cost, read_before, self.rcu)

    def take(self, write_cost=0.0, read_cost=0.0, writes=0, reads=0):
        self.w -= write_cost
        self.r -= read_cost
        c = self.counts
        c["writes"] += writes
        c["reads"] += reads
        c["write_units"] += write_cost
        c["read_units"] += read_cost
        # the units leave the bucket as it stood at its last refill: that is
        # the instant they are counted at (not when moto has finished), so
        # that the counters' rate is exactly the bucket's
        if c["first_at"] is None:
            c["first_at"] = self.at
        c["last_at"] = self.at


class Partitions:
    """The partition model (see the module doc): per (table, partition key
    value) token buckets, off unless a factor is set."""

    def __init__(self, factor=None):
        self.lock = threading.Lock()
        self.factor = None
        self.buckets = {}
        self.started = time.monotonic()
        if factor:
            self.set_factor(factor)

    def set_factor(self, factor):
        self.factor = float(factor) if factor else None
        self.buckets = {}
        self.started = time.monotonic()

    def now(self):
        return time.monotonic() - self.started

    def bucket(self, table, key):
        b = self.buckets.get((table, key))
        if b is None:
            b = self.buckets[(table, key)] = Bucket(self.now(), PARTITION_WCU / self.factor, PARTITION_RCU / self.factor)
        b.refill(self.now())
        return b

    def state(self):
        if self.factor is None:
            return {"enabled": False}
        partitions = [dict(table=t, key=k, **b.counts) for (t, k), b in sorted(self.buckets.items())]
        return {
            "enabled": True, "factor": self.factor, "now": self.now(),
            "write_units_per_second": PARTITION_WCU / self.factor, "read_units_per_second": PARTITION_RCU / self.factor,
            "burst_seconds": 1.0,
            "throttled_writes": sum(p["throttled_writes"] for p in partitions),
            "throttled_reads": sum(p["throttled_reads"] for p in partitions),
            "partitions": partitions,
        }

    def handle_admin(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        with self.lock:
            if method == "POST":
                size = int(environ.get("CONTENT_LENGTH") or 0)
                body = json.loads(environ["wsgi.input"].read(size) or b"{}")
                factor = body.get("factor", 1)
                if not isinstance(factor, (int, float)) or factor <= 0:
                    return respond(start_response, 400, {"error": f"factor must be a positive number, not {factor!r}"})
                self.set_factor(factor)
            elif method == "DELETE":
                self.set_factor(None)
            return respond(start_response, 200, self.state())


class ModelledTable:
    """What the model needs of a moto table: its name, keys, billing mode
    and stored items' sizes."""

    def __init__(self, table):
        self.table = table
        self.name = table.name
        self.hash = table.hash_key_attr
        self.range = table.range_key_attr
        self.on_demand = (getattr(table, "billing_mode", None) or "PROVISIONED") == "PAY_PER_REQUEST"

    def key_of(self, attrs):
        """The partition key value of an item or key, as text."""
        v = (attrs or {}).get(self.hash)
        if not v:
            return "?"
        (_, value), = v.items()
        return str(value)

    def stored_size(self, attrs):
        from moto.dynamodb.models.dynamo_type import DynamoType

        try:
            h = DynamoType(attrs[self.hash])
            r = DynamoType(attrs[self.range]) if self.range else None
            item = self.table.get_item(h, r)
        except Exception:
            return 0
        return item_size(item.to_json()["Attributes"]) if item is not None else 0

    def arn(self):
        return getattr(self.table, "table_arn", f"arn:aws:dynamodb:us-east-1:123456789012:table/{self.name}")


def find_table(name):
    from moto.dynamodb.models import dynamodb_backends

    for account in dict.values(dynamodb_backends):
        for backend in dict.values(account):
            table = backend.tables.get(name)
            if table is not None:
                return ModelledTable(table)
    return None


def call_app(app, environ, request):
    """Calls moto with `request` as the body; returns (status, headers, answer)."""
    body = json.dumps(request).encode()
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    captured = {}

    def capture(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers
        return lambda data: None

    result = app(environ, capture)
    try:
        data = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    try:
        answer = json.loads(data or b"{}")
    except ValueError:
        answer = None
    return captured["status"], captured["headers"], answer, data


def answer_with(start_response, status, headers, answer):
    data = json.dumps(answer).encode()
    # the body changed: its length and checksum headers no longer hold
    headers = [(k, v) for k, v in headers if k.lower() not in ("content-length", "x-amz-crc32")]
    start_response(status, headers + [("Content-Length", str(len(data)))])
    return [data]


def error_code(answer):
    return str((answer or {}).get("__type", "")).rsplit("#", 1)[-1]


def throttled(start_response, table, write):
    """A single-item call's answer when its partition has no capacity."""
    reason = "TableWriteKeyRangeThroughputExceeded" if write else "TableReadKeyRangeThroughputExceeded"
    code, message = ("ThrottlingException", THROTTLE_MESSAGE) if table.on_demand else \
        ("ProvisionedThroughputExceededException", PROVISIONED_MESSAGE)
    # the service model spells the member `throttlingReasons` in
    # ThrottlingException and `ThrottlingReasons` in the provisioned one
    reasons_member = "throttlingReasons" if table.on_demand else "ThrottlingReasons"
    return respond(start_response, 400, {
        "__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message,
        reasons_member: [{"reason": reason, "resource": table.arn()}],
    })


def cancelled(start_response, codes):
    """A transaction cancelled because some of its items' partitions had no capacity."""
    reasons = [{"Code": "ThrottlingError", "Message": THROTTLE_MESSAGE} if c else {"Code": "None"} for c in codes]
    message = "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]".format(
        ", ".join(r["Code"] for r in reasons))
    return respond(start_response, 400, {
        "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
        "Message": message, "CancellationReasons": reasons,
    })


def partition_model(app, model):
    """Applies the partition model to DynamoDB's item operations. Runs
    inside `serialise_dynamodb`, so the stored items it sizes cannot change
    between its check and moto's write."""

    def wrapped(environ, start_response):
        if environ.get("PATH_INFO") == "/_pulse/partitions":
            return model.handle_admin(environ, start_response)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if model.factor is None or not target.startswith("DynamoDB_20120810."):
            return app(environ, start_response)
        operation = target.split(".", 1)[1]
        handler = HANDLERS.get(operation)
        if handler is None:
            return app(environ, start_response)
        request = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) or b"{}")
        with model.lock:
            if model.factor is None:
                return call_through(app, environ, request, start_response)
            return handler(model, app, environ, request, start_response)

    return wrapped


def call_through(app, environ, request, start_response):
    status, headers, _, data = call_app(app, environ, request)
    start_response(status, headers)
    return [data]


def single_write(model, app, environ, request, start_response):
    table = find_table(request.get("TableName", ""))
    if table is None:
        return call_through(app, environ, request, start_response)
    attrs = request.get("Item") or request.get("Key") or {}
    key = table.key_of(attrs)
    old = table.stored_size(attrs)
    new = item_size(request["Item"]) if "Item" in request else old
    estimate = write_units(max(old, new))
    bucket = model.bucket(table.name, key)
    if not bucket.can(estimate, 0):
        bucket.counts["throttled_writes"] += 1
        return throttled(start_response, table, True)
    status, headers, answer, data = call_app(app, environ, request)
    # a failed condition consumes write units as a write does
    if status.startswith("200") or error_code(answer) == "ConditionalCheckFailedException":
        after = table.stored_size(attrs)
        bucket.take(write_cost=write_units(max(old, new, after)), writes=1)
    start_response(status, headers)
    return [data]


def get_item(model, app, environ, request, start_response):
    table = find_table(request.get("TableName", ""))
    if table is None:
        return call_through(app, environ, request, start_response)
    key = table.key_of(request.get("Key"))
    cost = read_units(table.stored_size(request.get("Key") or {}), bool(request.get("ConsistentRead")))
    bucket = model.bucket(table.name, key)
    if not bucket.can(0, cost):
        bucket.counts["throttled_reads"] += 1
        return throttled(start_response, table, False)
    status, headers, _, data = call_app(app, environ, request)
    if status.startswith("200"):
        bucket.take(read_cost=cost, reads=1)
    start_response(status, headers)
    return [data]


def query_key(table, request):
    """The partition key value a Query's key condition names."""
    import re

    names = request.get("ExpressionAttributeNames") or {}
    values = request.get("ExpressionAttributeValues") or {}
    for name, placeholder in re.findall(r"([#\w]+)\s*=\s*(:\w+)", request.get("KeyConditionExpression") or ""):
        if names.get(name, name) == table.hash and placeholder in values:
            return table.key_of({table.hash: values[placeholder]})
    for name, condition in (request.get("KeyConditions") or {}).items():
        if name == table.hash and condition.get("AttributeValueList"):
            return table.key_of({table.hash: condition["AttributeValueList"][0]})
    return "?"


def query(model, app, environ, request, start_response):
    table = find_table(request.get("TableName", ""))
    if table is None or request.get("IndexName"):
        return call_through(app, environ, request, start_response)
    consistent = bool(request.get("ConsistentRead"))
    bucket = model.bucket(table.name, query_key(table, request))
    if not bucket.can(0, read_units(0, consistent)):
        bucket.counts["throttled_reads"] += 1
        return throttled(start_response, table, False)
    status, headers, answer, data = call_app(app, environ, request)
    if status.startswith("200"):
        # the items read (before any filter: approximated by those returned)
        size = sum(item_size(i) for i in (answer or {}).get("Items", []))
        bucket.take(read_cost=read_units(size, consistent), reads=1)
    start_response(status, headers)
    return [data]


def batch_write(model, app, environ, request, start_response):
    kept, held, charges, any_table = {}, {}, [], None
    planned = {}
    for name, writes in (request.get("RequestItems") or {}).items():
        table = find_table(name)
        if table is None:
            kept[name] = writes
            continue
        any_table = table
        for w in writes:
            attrs = (w.get("PutRequest") or {}).get("Item") or (w.get("DeleteRequest") or {}).get("Key") or {}
            key = table.key_of(attrs)
            new = item_size(w["PutRequest"]["Item"]) if "PutRequest" in w else 0
            cost = write_units(max(table.stored_size(attrs), new))
            bucket = model.bucket(name, key)
            already = planned.get((name, key), 0)
            if bucket.can(cost, 0, write_before=already):
                planned[(name, key)] = already + cost
                kept.setdefault(name, []).append(w)
                charges.append((bucket, cost))
            else:
                bucket.counts["throttled_writes"] += 1
                held.setdefault(name, []).append(w)
    if held and not kept:
        # DynamoDB: when no item can be written, the whole call is throttled
        return throttled(start_response, any_table, True)
    if not held:
        status, headers, answer, data = call_app(app, environ, request)
        if status.startswith("200"):
            for bucket, cost in charges:
                bucket.take(write_cost=cost, writes=1)
        start_response(status, headers)
        return [data]
    request = dict(request, RequestItems=kept)
    status, headers, answer, data = call_app(app, environ, request)
    if not status.startswith("200"):
        start_response(status, headers)
        return [data]
    for bucket, cost in charges:
        bucket.take(write_cost=cost, writes=1)
    answer.setdefault("UnprocessedItems", {})
    for name, writes in held.items():
        answer["UnprocessedItems"].setdefault(name, []).extend(writes)
    return answer_with(start_response, status, headers, answer)


def batch_get(model, app, environ, request, start_response):
    kept, held, charges, any_table = {}, {}, [], None
    planned = {}
    for name, spec in (request.get("RequestItems") or {}).items():
        table = find_table(name)
        if table is None:
            kept[name] = spec
            continue
        any_table = table
        consistent = bool(spec.get("ConsistentRead"))
        for k in spec.get("Keys", []):
            key = table.key_of(k)
            cost = read_units(table.stored_size(k), consistent)
            bucket = model.bucket(name, key)
            already = planned.get((name, key), 0)
            if bucket.can(0, cost, read_before=already):
                planned[(name, key)] = already + cost
                kept.setdefault(name, dict(spec, Keys=[]))["Keys"].append(k)
                charges.append((bucket, cost))
            else:
                bucket.counts["throttled_reads"] += 1
                held.setdefault(name, dict(spec, Keys=[]))["Keys"].append(k)
    if held and not kept:
        return throttled(start_response, any_table, False)
    status, headers, answer, data = call_app(app, environ, dict(request, RequestItems=kept))
    if not status.startswith("200"):
        start_response(status, headers)
        return [data]
    for bucket, cost in charges:
        bucket.take(read_cost=cost, reads=1)
    if not held:
        start_response(status, headers)
        return [data]
    answer.setdefault("UnprocessedKeys", {})
    for name, spec in held.items():
        answer["UnprocessedKeys"].setdefault(name, dict(spec, Keys=[]))["Keys"].extend(spec["Keys"])
    return answer_with(start_response, status, headers, answer)


TRANSACT_WRITE_KINDS = ("Put", "Update", "Delete", "ConditionCheck")


def transact_write(model, app, environ, request, start_response):
    entries = []  # (bucket or None, table, attrs, old, new, estimate)
    planned = {}
    for entry in request.get("TransactItems", []):
        kind = next((k for k in TRANSACT_WRITE_KINDS if k in entry), None)
        op = entry.get(kind) or {}
        table = find_table(op.get("TableName", ""))
        if table is None:
            entries.append(None)
            continue
        attrs = op.get("Item") or op.get("Key") or {}
        old = table.stored_size(attrs)
        new = item_size(op["Item"]) if kind == "Put" else old
        # a transactional write costs twice a write of the item, a
        # condition check too
        estimate = 2 * write_units(max(old, new))
        key = (table.name, table.key_of(attrs))
        planned[key] = planned.get(key, 0) + estimate
        entries.append((key, table, attrs, old, new, estimate))
    short = {key for key, cost in planned.items() if not model.bucket(*key).can(cost, 0)}
    if short:
        for key in short:
            model.bucket(*key).counts["throttled_writes"] += 1
        return cancelled(start_response, [e is not None and e[0] in short for e in entries])
    status, headers, answer, data = call_app(app, environ, request)
    # a transaction cancelled by a condition consumes its units as a failed
    # conditional write does
    if status.startswith("200") or error_code(answer) == "TransactionCanceledException":
        for e in entries:
            if e is not None:
                key, table, attrs, old, new, _ = e
                after = table.stored_size(attrs)
                model.bucket(*key).take(write_cost=2 * write_units(max(old, new, after)), writes=1)
    start_response(status, headers)
    return [data]


def transact_get(model, app, environ, request, start_response):
    entries, planned = [], {}
    for entry in request.get("TransactItems", []):
        op = entry.get("Get") or {}
        table = find_table(op.get("TableName", ""))
        if table is None:
            entries.append(None)
            continue
        key = (table.name, table.key_of(op.get("Key")))
        cost = 2 * read_units(table.stored_size(op.get("Key") or {}), True)
        planned[key] = planned.get(key, 0) + cost
        entries.append((key, cost))
    short = {key for key, cost in planned.items() if not model.bucket(*key).can(0, cost)}
    if short:
        for key in short:
            model.bucket(*key).counts["throttled_reads"] += 1
        return cancelled(start_response, [e is not None and e[0] in short for e in entries])
    status, headers, answer, data = call_app(app, environ, request)
    if status.startswith("200"):
        for e in entries:
            if e is not None:
                model.bucket(*e[0]).take(read_cost=e[1], reads=1)
    start_response(status, headers)
    return [data]


HANDLERS = {
    "PutItem": single_write, "UpdateItem": single_write, "DeleteItem": single_write,
    "GetItem": get_item, "Query": query,
    "BatchWriteItem": batch_write, "BatchGetItem": batch_get,
    "TransactWriteItems": transact_write, "TransactGetItems": transact_get,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    args = parser.parse_args()
    os.environ.setdefault("MOTO_PORT", str(args.port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    item_level_transactions()
    partition_queries()
    faithful_transfer()
    factor = os.environ.get("PULSE_PARTITION_FACTOR", "").strip()
    partitions = Partitions(float(factor) if factor else None)
    app = partition_model(DomainDispatcherApplication(create_backend_app), partitions)
    app = ses_account(s3_browser_uploads(inject_faults(serialise_dynamodb(app), Faults())), SesAccount())
    run_simple(args.host, args.port, app, threaded=True)


if __name__ == "__main__":
    main()
