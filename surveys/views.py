"""Answering a consultation on the web, one question per page, with no account and no JavaScript.

What someone has answered so far lives in their session until they submit on the check-your-answers
page; only then is a Response saved, complete, in one transaction."""

import dataclasses
import secrets
import time
from functools import wraps

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail import hooks

from messaging import one_time_links
from messaging.choices import FollowRoute
from parentvoice import languages, ratelimit
from parentvoice.http import token_page

from . import about_you, follow_up, partners, resume, services, translations, wording
from .choices import QuestionType
from .forms import NO_THANKS, AnswersCopyForm, ResumeLinkForm, SendAnswersForm, TellMeForm
from .models import Response
from .questions import (
    OTHER_KEY,
    AnswerError,
    clean_answer,
    display_answer,
    is_complete,
    kept_answers,
    next_question,
    previous_question,
    progress,
    visible_questions,
)

DONE_KEY = "consultations-done"
# How long after sending their answers someone can have a copy emailed (see `done`).
ANSWER_COPY_SECONDS = 30 * 60
ABOUT_YOU_IDS = (
    about_you.ROLE_ID,
    about_you.AGES_ID,
    about_you.DISTRICT_ID,
    about_you.DISABILITY_ID,
    about_you.ETHNICITY_ID,
)
CONSULTATION_SECTIONS_HOOK = "parentvoice_consultation_sections"


def _key(page):
    """What this browser keeps about a consultation is kept under the English page's id, whatever
    language it is answered in: switching language part way keeps the answers (the question ids are
    the same), and answering in one language is answering in all."""
    return page.source_page.pk


def _state_key(page):
    return f"consultation-{_key(page)}"


def _state(request, page):
    return request.session.setdefault(_state_key(page), {"answers": {}, "contact": None})


def _save_state(request, page, state):
    request.session[_state_key(page)] = state
    request.session.modified = True


def _sent_key(page):
    # The response this browser just sent: the only one whose answers it may have emailed.
    return f"consultation-{_key(page)}-sent"


def _already_done(request, page):
    return page.pk is not None and _key(page) in request.session.get(DONE_KEY, [])


def _submission_key(request, page, state):
    """This answering session's submission key, made the first time it is needed. The check-your-answers
    form carries it, and the response is saved with it, so a submit sent again (a double click, or a
    retry after an error page when the response was in fact saved) saves nothing twice
    (follow_up.submit_web_response). It lives in the session: only this browser ever uses it."""
    key = state.get("submission_key")
    if not key:
        key = state["submission_key"] = secrets.token_urlsafe(24)
        _save_state(request, page, state)
    return key


def _sent_again(request, page):
    """A POST of the check-your-answers form whose answers this browser has sent already (a double
    click, or the page sent again from the history): its key is the one they were sent with."""
    sent = request.session.get(_sent_key(page)) or {}
    posted = request.POST.get("submission_key")
    return _already_done(request, page) and bool(posted) and posted == sent.get("submission_key")


def _url(page, name, *args):
    if page.pk is None:
        # The editor's preview of a consultation not saved yet: its answering pages have no address yet.
        return "#"
    if name == "results":
        return page.url + page.reverse_subpage("results")
    return reverse(f"surveys:{name}", args=[page.pk, *args])


def _answerable(view):
    """Answering views take the page id from the URL; only live, public consultations answer. A
    translation whose questions no longer match the English page's sends people to its intro, which
    says so. The page's language is the request's, rendering included."""

    @wraps(view)
    def wrapper(request, page_id, *args, **kwargs):
        page = services.answerable_page(page_id)
        if page is None:
            raise Http404("No such consultation")
        if translations.is_out_of_date(page):
            return redirect(page.url)
        return _in_language(request, page, view, request, page, *args, **kwargs)

    return wrapper


def _in_language(request, page, view, *args, **kwargs):
    """Run `view` and render its response in the page's language: these views are not under a
    language prefix, so LocaleMiddleware has activated the default language."""
    return languages.respond_in_language(request, page.language_code, view, *args, **kwargs)


def _render(request, page, template, context, status=200, step=None):
    """`step`: the view name and arguments of this page, so the language switcher links to the same
    step in the consultation's other languages (None: to its intro in each)."""
    extra = {"language_alternates": translations.step_alternates(page, *step)} if step else {}
    return TemplateResponse(
        request, template, {"page": page, "self": page, **extra, **context}, status=status
    )


def outcome_sections(page):
    """What other apps show on a consultation's public pages (the 'You said, we did' entries), through
    the `parentvoice_consultation_sections` hook: each returns a dict with a "template", or None."""
    sections = (fn(page) for fn in hooks.get_hooks(CONSULTATION_SECTIONS_HOOK))
    return [section for section in sections if section]


def intro(request, page):
    schema = services.schema_for(page)
    return _render(
        request,
        page,
        "surveys/consultation_page.html",
        {
            "time_estimate": wording.time_estimate(schema),
            "optional_questions": wording.optional_questions(schema, ABOUT_YOU_IDS),
            "kept_for": wording.kept_for(settings.SESSION_COOKIE_AGE),
            "already_done": _already_done(request, page),
            "in_progress": page.pk is not None
            and bool(request.session.get(_state_key(page), {}).get("answers")),
            "start_url": _url(page, "start"),
            "results_url": _url(page, "results"),
            "sms_number": services.sms_number(),
            # A page not saved yet (the editor's preview) has nothing recorded against it.
            "outcome_sections": outcome_sections(page.source_page) if page.pk and page.has_closed else [],
            # Its questions no longer match the English page's: it cannot be answered until updated.
            "being_updated": translations.is_out_of_date(
                page, use_cache=not getattr(request, "is_preview", False)
            ),
            "source_url": page.source_page.url,
        },
    )


def _done_redirect(request, page):
    # This browser has sent its answers: typing a question's address again must not start a second
    # response (the intro says they have answered, as Start does).
    if _already_done(request, page):
        return redirect(page.url)
    return None


def _closed_redirect(request, page):
    # A translation takes the English page's dates when either is saved; asking both costs nothing.
    if not (page.is_open and page.source_page.is_open):
        return redirect(page.url)
    return None


@_answerable
def start(request, page):
    closed = _closed_redirect(request, page)
    if closed:
        return closed
    if _already_done(request, page):
        return redirect(page.url)
    state = _state(request, page)
    _save_state(request, page, state)
    return _go_on(page, services.schema_for(page), state["answers"])


def _go_on(page, schema, answers):
    following = next_question(schema, answers)
    if following is None:
        return redirect(_url(page, "check_answers"))
    return redirect(_url(page, "question", following.id))


@ratelimit.limit_post("answer_step")
@_answerable
def question(request, page, question_id):
    closed = _closed_redirect(request, page) or _done_redirect(request, page)
    if closed:
        return closed
    schema = services.schema_for(page)
    state = _state(request, page)
    answers = state["answers"]
    current = next((q for q in schema if q.id == question_id), None)
    if current is None:
        raise Http404("No such question")
    if current not in visible_questions(schema, answers):
        return _go_on(page, schema, answers)
    if request.method == "POST" and request.POST.get("save"):
        return _save_and_leave(request, page, schema, state, current)
    changing = request.GET.get("change") == "1"
    error, error_field, kept = None, "answer", answers.get(current.id)
    other_text = kept.get("other", "") if isinstance(kept, dict) else ""
    if request.method == "POST":
        raw = (
            request.POST.getlist("answer")
            if current.type == QuestionType.MULTIPLE_CHOICE
            else request.POST.get("answer", "")
        )
        other_text = request.POST.get("other", "")
        try:
            answers[current.id] = clean_answer(current, raw, other_text)
        except AnswerError as problem:
            error, kept = problem.message, problem.kept
            if current.required and wording.is_blank(current, raw):
                error = wording.missing_answer(current)
            elif wording.other_is_the_problem(current, raw, other_text):
                error_field = "other"
        else:
            state["answers"] = kept_answers(schema, answers)
            _save_state(request, page, state)
            if changing and is_complete(schema, state["answers"]):
                return redirect(_url(page, "check_answers"))
            return _go_on(page, schema, state["answers"])
    before = previous_question(schema, answers, current)
    number, total = progress(schema, answers, current)
    selected = (
        set(kept.get("keys", []))
        if isinstance(kept, dict)
        else set(kept if isinstance(kept, list) else [kept])
    )
    return _render(
        request,
        page,
        "surveys/question.html",
        {
            "question": current,
            "error": error,
            "error_field": error_field,
            "has_errors": bool(error),
            "kept": "" if kept is None else kept,
            "selected": {str(s) for s in selected if s not in (None, "")},
            "other_text": other_text,
            "other_key": OTHER_KEY,
            "number": number,
            "total": total,
            "back_url": _url(page, "check_answers")
            if changing
            else (_url(page, "question", before.id) if before else page.url),
        },
        status=400 if error else 200,
        step=("question", current.id),
    )


def _save_and_leave(request, page, schema, state, current):
    """ "Save and come back later": keep what is on this page if it is a valid answer (a blank or
    invalid one is not checked as required, and leaves the earlier answer as it was), remember the
    question, and go to the page asking where to send the link."""
    raw = (
        request.POST.getlist("answer")
        if current.type == QuestionType.MULTIPLE_CHOICE
        else request.POST.get("answer", "")
    )
    if _already_done(request, page):
        return redirect(page.url)  # sent already: nothing to carry on with (the intro says so)
    answers = state["answers"]
    if not wording.is_blank(current, raw):
        try:
            answers[current.id] = clean_answer(current, raw, request.POST.get("other", ""))
        except AnswerError:
            pass
    state["answers"] = kept_answers(schema, answers)
    state["position"] = current.id
    _save_state(request, page, state)
    return redirect(_url(page, "save"))


def _partner_link_id(request, page):
    links = request.session.get(partners.SESSION_KEY)
    link_id = links.get(str(_key(page))) if isinstance(links, dict) else None
    return link_id if isinstance(link_id, int) and not isinstance(link_id, bool) else None


@token_page
@_answerable
def save_for_later(request, page):
    """ "Get a link to carry on": one address, used to send the link and never kept. Limited per client
    and per address; the same answer whatever the address."""
    closed = _closed_redirect(request, page)
    if closed:
        return closed
    state = request.session.get(_state_key(page))
    if _already_done(request, page) or not isinstance(state, dict) or not state.get("position"):
        return redirect(page.url)
    form = ResumeLinkForm(request.POST or None)
    if request.method == "POST":
        address_key = one_time_links.address_rate_key(request.POST.get("address", ""))
        limited = ratelimit.refused(
            request, ("resume_link", [None]), (ratelimit.RECIPIENT, [address_key] if address_key else [])
        )
        if limited:
            return ratelimit.too_many_attempts(request, limited)
        if form.is_valid():
            resume.save_for_later(
                page,
                state.get("answers") or {},
                state["position"],
                address=form.cleaned_data["address"],
                contact_id=state.get("contact"),
                partner_link_id=_partner_link_id(request, page),
            )
            return redirect(_url(page, "save_sent"))
    return _render(
        request,
        page,
        "surveys/save_for_later.html",
        {
            "form": form,
            "back_url": _url(page, "question", state["position"]),
            "closes_at": page.closes_at,
        },
        status=400 if form.errors else 200,
        step=("save",),
    )


@token_page
@_answerable
def save_sent(request, page):
    return _render(
        request,
        page,
        "surveys/save_sent.html",
        {"closes_at": page.closes_at, "save_url": _url(page, "save")},
        step=("save_sent",),
    )


RESUME_STATUS = {
    resume.LinkState.OK: 200,
    resume.LinkState.USED: 410,
    resume.LinkState.ANSWERED: 410,
    resume.LinkState.CLOSED: 410,
    resume.LinkState.UNKNOWN: 404,
}


@token_page
@ratelimit.limit_post("resume_link")
def resume_answers(request, page_id, token):
    """GET shows one button (mail scanners open links and must not use them up); POST uses the link
    once and restores the answers into a fresh session, at the question where they stopped."""
    page = services.answerable_page(page_id)
    if page is None:
        raise Http404("No such consultation")
    if translations.is_out_of_date(page):
        # The link is the English page's: it still works there.
        return redirect(_url(page.source_page, "resume", token))
    return _in_language(request, page, _resume_answers, request, page, token)


def _resume_answers(request, page, token):
    if _already_done(request, page):
        # This browser has sent its answers: the saved ones are never sent again, here or elsewhere.
        # Even a GET spends the link: only this browser's own session shows it, never a mail scanner.
        state = resume.use_up(page, token)
    elif request.method == "POST":
        state, link = resume.use_link(page, token)
        if link is not None:
            request.session.cycle_key()  # a session fixed by someone else never gets the answers
            schema = services.schema_for(page)
            answers = resume.restored_answers(schema, link.answers)
            _save_state(request, page, {"answers": answers, "contact": link.contact_id})
            partner_link = resume.partner_link_for(link)
            if partner_link is not None:
                partners.remember(request.session, partner_link)
            stopped = next((q for q in visible_questions(schema, answers) if q.id == link.position), None)
            if stopped is not None:
                return redirect(_url(page, "question", stopped.id))
            return _go_on(page, schema, answers)
    else:
        state = resume.link_state(page, token)
    template = (
        "surveys/resume_answered.html" if state == resume.LinkState.ANSWERED else "surveys/resume_link.html"
    )
    return _render(
        request,
        page,
        template,
        {"state": state, "results_url": _url(page, "results")},
        status=RESUME_STATUS[state],
    )


@_answerable
def check_answers(request, page):
    if request.method == "POST" and _sent_again(request, page):
        return redirect(_url(page, "done"))
    closed = _closed_redirect(request, page) or _done_redirect(request, page)
    if closed:
        return closed
    schema = services.schema_for(page)
    state = _state(request, page)
    answers = state["answers"]
    if not is_complete(schema, answers):
        return _go_on(page, schema, answers)
    problem = None
    submission_key = _submission_key(request, page, state)
    if request.method == "POST":
        posted = request.POST.get("submission_key")
        if posted is not None and posted != submission_key:
            # A form from another answering session (an old tab, or someone else's copy): nothing is
            # sent or looked up with its key; the answers in this session are shown to check again.
            # (A form without the key, from before keys, is sent with this session's.)
            return redirect(_url(page, "check_answers"))
        # Open links are limited per client (and per consultation, if configured); an invitation
        # link answers only once anyway. A refused answer stays in the session, ready to send again.
        if state.get("contact") is None and not ratelimit.consume(request, ("answer", [_key(page)])):
            return ratelimit.too_many_attempts(request, "answer")
        try:
            response = partners.submit_web_response(
                page,
                kept_answers(schema, answers),
                contact_id=state.get("contact"),
                session=request.session,
                submission_key=submission_key,
            )
        except services.AlreadyAnswered:
            problem = "This invitation has already been used to answer. Thank you for taking part."
        else:
            request.session.pop(_state_key(page), None)
            request.session[DONE_KEY] = [*request.session.get(DONE_KEY, []), _key(page)]
            anonymous = follow_up.is_anonymous(page)
            request.session[_sent_key(page)] = {
                "response": response.pk,
                "reference": response.reference,
                "copies": 0,
                "sent_at": int(time.time()),
                "submission_key": submission_key,  # a second click on "Send" shows this confirmation
                # Who answered through their invitation, for "Tell me what you decide" (this browser
                # only). Not beside the response on an anonymous consultation: see _remember_contact.
                "contact": None if anonymous else state.get("contact"),
            }
            done = redirect(_url(page, "done"))
            if anonymous and state.get("contact") is not None:
                _remember_contact(done, page, state["contact"])
            return done
    rows = [
        {
            "question": q,
            "answer": display_answer(q, answers.get(q.id)),
            "change_url": _url(page, "question", q.id) + "?change=1",
        }
        for q in visible_questions(schema, answers)
    ]
    return _render(
        request,
        page,
        "surveys/check_answers.html",
        {
            "rows": rows,
            "problem": problem,
            "has_errors": bool(problem),
            "send_form": SendAnswersForm(initial={"submission_key": submission_key}),
        },
        status=409 if problem else 200,
        step=("check_answers",),
    )


def _contact_cookie(page):
    return f"pv-answered-{_key(page)}"


CONTACT_COOKIE_SALT = "surveys.answered-contact"


def _remember_contact(response, page, contact_id):
    """On an anonymous consultation the session (a database row) holds the response's id for the copy
    of answers, so the invited parent's contact must not be written there too: that row would pair
    them with their answers. It goes in a signed cookie kept only by their browser, for as long as
    the confirmation page offers "Tell me what you decide"."""
    response.set_signed_cookie(
        _contact_cookie(page),
        str(contact_id),
        salt=CONTACT_COOKIE_SALT,
        max_age=ANSWER_COPY_SECONDS,
        path=_url(page, "done"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _answered_contact(request, page, sent):
    if sent.get("contact") is not None or not follow_up.is_anonymous(page):
        return sent.get("contact")
    value = request.get_signed_cookie(
        _contact_cookie(page), default=None, salt=CONTACT_COOKIE_SALT, max_age=ANSWER_COPY_SECONDS
    )
    return int(value) if value and value.isdigit() else None


def _limited(request, form_name, tell_form):
    """The action refusing this POST to the confirmation page, or None. Each of its forms counts
    against its own limit. The copy form's address counts against the per-recipient limit here; an
    address typed into the "tell" form is counted by messaging.request_follow when it sends the
    confirmation (counting it here too would halve that limit)."""
    if form_name == "tell":
        return ratelimit.refused(request, ("keep_me_informed", [None]))
    recipients = ratelimit.recipient_keys(request.POST)
    return ratelimit.refused(request, ("answers_copy", [None]), (ratelimit.RECIPIENT, recipients))


@_answerable
def done(request, page):
    if not _already_done(request, page):
        return redirect(page.url)
    sent = request.session.get(_sent_key(page)) or {}
    # Offered only for a while after sending: on a shared computer, the next person must not be able
    # to email themselves someone else's answers, or ask to be told in their place.
    recent = bool(sent) and time.time() - sent.get("sent_at", 0) < ANSWER_COPY_SECONDS
    copies_left = recent and sent.get("copies", 0) < services.ANSWER_COPIES
    # Two forms post here: "tell" names itself; anything else is the copy form.
    posted = None
    if request.method == "POST":
        posted = "tell" if request.POST.get("form") == "tell" else "copy"
    contact_id = _answered_contact(request, page, sent) if recent else None
    offer = follow_up.web_offer(page, contact_id) if recent and "follow" not in sent else None
    tell_form = None
    if offer is not None and offer.offered:
        tell_form = TellMeForm(request.POST if posted == "tell" else None, addresses=offer.addresses)
    form = AnswersCopyForm(request.POST if posted == "copy" and copies_left else None)
    status = 200
    if posted:
        limited = _limited(request, posted, tell_form)
        if limited and posted == "tell" and tell_form is not None:
            # Kept on the page with what they typed, rather than a dead end.
            tell_form.is_valid()
            tell_form.add_error(None, "You have tried too many times. Try again in an hour.")
            status = 429
        elif limited:
            return ratelimit.too_many_attempts(request, limited)
        elif posted == "tell" and tell_form is not None and tell_form.is_valid():
            sent["follow"] = _ask_to_be_told(page, contact_id, tell_form)
            request.session[_sent_key(page)] = sent
            told = redirect(_url(page, "done") + "#tell")
            told.delete_cookie(_contact_cookie(page), path=_url(page, "done"))
            return told
        elif posted == "tell":
            if tell_form is None:  # used already, too late, or nothing to offer: nothing is written
                return redirect(_url(page, "done") + "#tell")
            status = 400
        elif form.is_bound and form.is_valid():
            response = Response.objects.filter(pk=sent["response"], consultation_id=_key(page)).first()
            if response is not None:
                sent["copies"] = sent.get("copies", 0) + 1
                sent["copy_sent"] = True
                request.session[_sent_key(page)] = sent
                services.send_answers_copy(response, form.cleaned_data["email"], sent["copies"])
            return redirect(_url(page, "done") + "#copy")
        elif form.is_bound:
            status = 400
        else:
            return redirect(_url(page, "done") + "#copy")
    told = sent.get("follow") or {}
    return _render(
        request,
        page,
        "surveys/done.html",
        {
            "results_url": _url(page, "results"),
            "reference": sent.get("reference"),
            "copy_sent": sent.get("copy_sent", False),
            "copy_form": form if copies_left else None,
            "tell_form": tell_form,
            "tell_wording": follow_up.web_wording(page.title),
            "told_by": [follow_up.channel_words(c) for c in offer.told_by] if offer else [],
            "told": told.get("sentence", ""),
            # base.html puts the error summary above the heading for `form`: the one with errors.
            "form": tell_form if tell_form is not None and tell_form.errors else form,
        },
        status=status,
        step=("done",),
    )


def _ask_to_be_told(page, contact_id, tell_form):
    how = tell_form.cleaned_data["how"]
    if how == NO_THANKS:
        return {
            "sentence": "You chose not to be told. You can still read the results here when we publish them."
        }
    asked = follow_up.ask_to_be_told(
        page,
        channel=how,
        route=FollowRoute.WEB,
        wording=follow_up.web_wording(page.title),
        address=tell_form.address(),
        # An invited parent picked an address we hold; one typing an address is confirmed first.
        contact_id=contact_id if tell_form.addresses else None,
    )
    if follow_up.is_anonymous(page) and asked.masked_address:
        # Kept in the session beside the response's id: not even part of the address they typed.
        asked = dataclasses.replace(asked, masked_address="the address you gave")
    # Only the sentence is kept in the session: never the address they typed.
    return {"sentence": asked.sentence()}


@token_page
def invitation(request, page_id, token):
    page = services.answerable_page(page_id)
    if page is None:
        raise Http404("No such consultation")
    if translations.is_out_of_date(page):
        # The token is the English page's: it still works there, where the invitation is kept, rather
        # than being lost on the way to this translation's intro.
        return redirect(_url(page.source_page, "invitation", token))
    return _in_language(request, page, _invitation, request, page, token)


def _invitation(request, page, token):
    contact_id = services.read_invitation(page, token)
    if contact_id is None:
        return _render(request, page, "surveys/invitation_problem.html", {"reason": "invalid"}, status=404)
    if services.invitation_used(page, contact_id):
        return _render(request, page, "surveys/invitation_problem.html", {"reason": "used"}, status=200)
    state = _state(request, page)
    state["contact"] = contact_id
    _save_state(request, page, state)
    return redirect(page.url)


@token_page
def partner_link(request, code):
    """A partner organisation's link: remember the partner for its consultation (in this session
    only) and open the consultation's page, which says if it has closed. Nothing is shown about the
    partner. An unknown code, or one longer than any code, is a 404 without a query."""
    link = partners.link_for_code(code)
    page = services.answerable_page(link.consultation_id) if link is not None else None
    if page is None:
        raise Http404("No such link")
    if not page.has_closed:  # shared before it opens, it still counts once it does
        partners.remember(request.session, link)
    return redirect(page.url)


def public_results(request, page):
    from . import results

    # One result set: a translation shows the English page's results, in its own wording where its
    # questions still match.
    source = page.source_page
    context = {"published": page.results_published, "outcome_sections": outcome_sections(source)}
    if page.results_published:
        wording = source if translations.is_out_of_date(page) else page
        context.update(results.public_results(source, wording=wording))
    return _render(request, page, "surveys/results_public.html", context)
