"""SMS dialogue benchmark. Prints figures; asserts nothing.

    .venv/bin/python bench/sms_bench.py [--database-url postgres://postgres@127.0.0.1:5432/parentvoice_bench]

A burst of 10,000 signed inbound texts from 2,000 phones to the real webhook under gunicorn: each phone
texts the keyword and answers four questions (single choice, scale, multiple choice, free text), each
text sent after the reply to the one before, as a phone does; phones are interleaved across client
threads. 5% of texts are delivered twice with the same MessageSid, as Twilio may. Then every phone's
saved response is checked answer by answer: none lost, none duplicated. Beside it, a static file
through the same stack. Targets: >= 200 requests/s, p95 < 100 ms.
"""

import argparse
import sys
import uuid
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _http, _setup

KEYWORD = "BENCH"


def make_consultation():
    def question(kind, code, **extra):
        value = {"label": f"Question {code}?", "hint": "", "required": True, "code": code, "show_if": {}}
        return {"type": kind, "value": {**value, **extra}, "id": str(uuid.uuid4())}

    return _setup.publish_consultation(
        [
            question(
                "single_choice", "place", choices=[{"label": f"Place {k}", "key": f"p{k}"} for k in range(5)]
            ),
            question("scale", "ease", low_label="Hard", high_label="Easy"),
            question(
                "multiple_choice", "help", choices=[{"label": f"Help {k}", "key": f"h{k}"} for k in range(6)]
            ),
            question("free_text", "words", max_length=500),
        ],
        sms_keyword=KEYWORD,
    )


def phone_number(n):
    return f"+4477009{n:05d}"


def script(n):
    """What phone n texts, and the answers it should end up with."""
    place, ease, helps = n % 5, n % 5 + 1, sorted({n % 6, (n + 2) % 6})
    texts = [KEYWORD, str(place + 1), str(ease), " ".join(str(h + 1) for h in helps), f"Phone {n} says hello"]
    expected = {("place", f"p{place}", ""), ("ease", str(ease), ""), ("words", "", f"Phone {n} says hello")}
    expected |= {("help", f"h{h}", "") for h in helps}
    return texts, expected


def build_requests(phones, concurrency, duplicate_every):
    from django.conf import settings
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)
    path = "/messaging/twilio/inbound/"
    url = settings.WAGTAILADMIN_BASE_URL + path
    chunks = [[] for _ in range(concurrency)]
    scripts = {n: script(n)[0] for n in range(phones)}
    sent = duplicates = 0
    # Each thread owns some phones and goes round them one text at a time: a phone's texts stay in
    # order (each waits for the reply to the one before) while different phones interleave.
    for step in range(5):
        for n in range(phones):
            params = {"MessageSid": f"SM{n:016x}{step:016x}", "From": phone_number(n), "To": "+447700900000"}
            params["Body"] = scripts[n][step]
            headers = {
                "X-Twilio-Signature": validator.compute_signature(url, params),
                "Content-Type": "application/x-www-form-urlencoded",
            }
            request = ("POST", path, urlencode(params), headers)
            chunks[n % concurrency].append(request)
            sent += 1
            if sent % duplicate_every == 0:
                chunks[n % concurrency].append(request)  # Twilio delivering the same text again
                duplicates += 1
    return chunks, sent, duplicates


def check(page, phones):
    from messaging.models import InboundMessage
    from surveys.models import Answer, Response, SmsConversation, SmsTurn
    from surveys.services import schema_for

    codes = {q.id: q.code for q in schema_for(page)}
    by_response = {}
    for response_id, question_id, key, text in Answer.objects.values_list(
        "response_id", "question_id", "choice_key", "text"
    ):
        by_response.setdefault(response_id, []).append((codes[question_id], key, text))
    conversations = dict(SmsConversation.objects.values_list("phone", "response_id"))
    wrong = missing = 0
    for n in range(phones):
        response_id = conversations.get(phone_number(n))
        if response_id is None:
            missing += 1
            continue
        got = by_response.get(response_id, [])
        if sorted(got) != sorted(script(n)[1]):
            wrong += 1
    print(
        f"check: {Response.objects.count():,} responses for {phones:,} phones, {Answer.objects.count():,} answers, "
        f"{InboundMessage.objects.count():,} texts stored once, {SmsTurn.objects.count():,} dialogue steps; "
        f"phones with no response {missing}, with lost or duplicated answers {wrong}"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--phones", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duplicate-every", type=int, default=20, help="Deliver every Nth text twice.")
    args = parser.parse_args()
    url = _setup.prepare(args.database_url)
    print(f"== SMS dialogue bench on {_setup.database_label(url)}")
    page = make_consultation()
    chunks, sent, duplicates = build_requests(args.phones, args.concurrency, args.duplicate_every)
    from django.db import connections

    connections.close_all()
    with _http.gunicorn(url, args.workers) as port:
        baseline = _http.split([_http.STATIC] * (sent + duplicates), args.concurrency)
        base_rate, _ = _http.report(
            "baseline (static file through the same stack)", *_http.drive(port, baseline)
        )
        latencies, elapsed, errors, bodies = _http.drive(port, chunks)
        rate, p95 = _http.report(
            f"inbound webhook ({sent:,} texts from {args.phones:,} phones + {duplicates:,} duplicate deliveries; "
            "signature, store once, one dialogue step)",
            latencies,
            elapsed,
            errors,
        )
    thanks = sum(b.count(b"Your answers are saved") for chunk in bodies for b in chunk)
    print(f"thank-you replies: {thanks:,} (a duplicate delivery of a last answer gets the same reply again)")
    print(
        f"throughput is {rate / base_rate:.2f}x the static-file baseline; target >= 200 req/s, p95 < 100 ms"
    )
    check(page, args.phones)


if __name__ == "__main__":
    main()
