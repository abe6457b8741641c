"""Pages of the coordinator's workflow: run a matching, review its proposals and reasons, decide,
introduce, and follow what happens next. Views parse and render; services decide.

Whoever may not see a program's or a match's page gets 404, as if it did not exist: a
coordinator of another organization learns nothing, not even that it exists.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_htmx.http import HttpResponseClientRefresh

from welcoming.core.locking import StaleEdit

from . import lifecycle
from .activities import attendance_record, feedback_give, group_activity_create, interaction_log
from .explanations import TermLine, term_lines
from .models import GroupActivity, Match, MatchRun, Program
from .runs import match_run_create
from .selectors import (
    group_activities_of,
    match_detail,
    match_runs_of,
    matches_of_person,
    run_proposals,
    run_unmatched,
)
from .workflow_forms import (
    CHOSEN_END_REASONS,
    ActivityForm,
    AttendanceForm,
    DecisionForm,
    FeedbackForm,
    InteractionForm,
    RunForm,
    SwapChoiceForm,
    SwapForm,
)


def _permitted(request: HttpRequest, obj: Model | None, perm: str) -> Any:
    """The object if the person may `perm` it; 404 otherwise (nothing is disclosed)."""
    if obj is None or not request.user.has_perm(perm, obj):
        raise Http404(_("Nothing was found at this address."))
    return obj


def _program(request: HttpRequest, pk: int, perm: str) -> Program:
    program: Program = _permitted(request, Program.objects.filter(pk=pk).first(), perm)
    return program


def _run(request: HttpRequest, pk: int) -> MatchRun:
    runs = MatchRun.objects.select_related("program__organization", "actor").filter(pk=pk)
    run: MatchRun = _permitted(request, runs.first(), "connections.run_matching")
    return run


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


class RunListView(LoginRequiredMixin, View):
    """A program's runs, and the form that starts one."""

    def _page(self, request: HttpRequest, program: Program, form: RunForm) -> HttpResponse:
        context = {"program": program, "runs": match_runs_of(program=program), "form": form}
        return render(request, "connections/run_list.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        program = _program(request, pk, "connections.run_matching")
        return self._page(request, program, RunForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        program = _program(request, pk, "connections.run_matching")
        form = RunForm(request.POST)
        if not form.is_valid():
            return self._page(request, program, form)
        run = match_run_create(
            program=program,
            solver=form.cleaned_data["solver"],
            dry_run=form.cleaned_data["dry_run"],
            actor=request.user,  # type: ignore[arg-type]
        )
        return redirect("connections:run-detail", pk=run.pk)


class RunDetailView(LoginRequiredMixin, View):
    """A run: its progress while it runs (htmx asks again), then its proposals with the terms of
    their scores and the reasons each unmatched newcomer was left out."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run(request, pk)
        if request.htmx:  # type: ignore[attr-defined]
            if run.status in (MatchRun.Status.QUEUED, MatchRun.Status.RUNNING):
                return render(request, "connections/_run_status.html", {"run": run})
            return HttpResponseClientRefresh()  # done: the whole page, with the proposals
        proposals = list(run_proposals(run=run))
        pending = [m for m in proposals if m.status == Match.Status.PROPOSED and not m.accepted_at]
        context = {
            "run": run,
            "program": run.program,
            "proposals": [(m, _terms(m)) for m in proposals],
            "unmatched": run_unmatched(run=run),
            "swap_form": SwapChoiceForm(proposals=pending) if len(pending) > 1 else None,
        }
        return render(request, "connections/run_detail.html", context)


def _terms(match: Match) -> list[tuple[Any, list[TermLine]]]:
    """Each host of the match with the terms of that pair's score (a team has several)."""
    return [(row.host, term_lines(row.terms)) for row in match.match_hosts.all()]


class SwapView(LoginRequiredMixin, View):
    """Swap the hosts of two proposals: the engine scores both new pairs first (GET), then the
    coordinator confirms (POST); a pair that breaks a hard constraint is refused with why."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run(request, pk)
        try:
            first, second = lifecycle.swap_proposals(
                run=run, first=request.GET.get("first"), second=request.GET.get("second")
            )
            preview = lifecycle.match_swap_preview(first=first, second=second)
        except ValidationError as error:
            messages.error(request, _errors(error))
            return redirect("connections:run-detail", pk=run.pk)
        form = SwapForm(
            initial={
                "first": first.pk,
                "second": second.pk,
                "first_version": first.version,
                "second_version": second.version,
            }
        )
        context = {
            "run": run,
            "program": run.program,
            "pairs": [
                (match, evaluation, term_lines(evaluation.terms))
                for match, evaluation in zip((first, second), preview, strict=True)
            ],
            "form": form,
            "allowed": all(e.allowed for e in preview),
        }
        return render(request, "connections/match_swap.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run(request, pk)
        form = SwapForm(request.POST)
        if not form.is_valid():
            return redirect("connections:run-detail", pk=run.pk)
        data = form.cleaned_data
        try:
            first, second = lifecycle.swap_proposals(
                run=run, first=data["first"], second=data["second"]
            )
            lifecycle.match_swap(
                first=first,
                second=second,
                expected=(data["first_version"], data["second_version"]),
                actor=request.user,  # type: ignore[arg-type]
            )
        except StaleEdit as stale:
            messages.error(request, str(stale.message))
        except ValidationError as refused:
            messages.error(request, _errors(refused))
        else:
            messages.success(request, _("The hosts were swapped."))
        return redirect("connections:run-detail", pk=run.pk)


def _match_page(request: HttpRequest, match: Match, **forms: Any) -> HttpResponse:
    user = request.user
    context = {
        "match": match,
        "program": match.program,
        "host_terms": _terms(match),
        "hosts": list(match.match_hosts.all()),
        "may_decide": user.has_perm("connections.change_match", match),
        "may_log": user.has_perm("connections.log_interaction", match)
        and match.status in (Match.Status.INTRODUCED, Match.Status.ACTIVE, Match.Status.COMPLETED),
        "may_give_feedback": user.has_perm("connections.give_feedback", match),
        "interaction_form": forms.get("interaction_form") or InteractionForm(),
        "feedback_form": forms.get("feedback_form") or FeedbackForm(),
        "end_reasons": CHOSEN_END_REASONS,
        "newcomer_side": lifecycle.NEWCOMER,
    }
    return render(request, "connections/match_detail.html", context)


def _match_or_404(request: HttpRequest, pk: int, perm: str) -> Match:
    match: Match = _permitted(request, match_detail(pk=pk), perm)
    return match


class MatchDetailView(LoginRequiredMixin, View):
    """A match: its hosts and score, its lifecycle, interactions and feedback."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _match_page(request, _match_or_404(request, pk, "connections.view_match"))


class MatchDecideView(LoginRequiredMixin, View):
    """One step of a match's life (accept, reject, hold, introduce, confirm, complete, end)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        match = _match_or_404(request, pk, "connections.view_match")
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose what to do with the match."))
            return redirect(_back(request, match))
        data = form.cleaned_data
        try:
            done = _decide(request, match, data)
        except PermissionDenied as refused:
            messages.error(request, str(refused) or _("You may not do this."))
        except StaleEdit as stale:
            messages.error(request, str(stale.message))
        except ValidationError as refused:
            messages.error(request, _errors(refused))
        else:
            messages.success(request, done)
        return redirect(_back(request, match))


def _back(request: HttpRequest, match: Match) -> str:
    """Back to the page the decision was made on: the run's review or the match's own page."""
    if request.POST.get("back") == "run" and match.run_id:
        return reverse("connections:run-detail", args=[match.run_id])
    return reverse("connections:match-detail", args=[match.pk])


DONE = {
    "accept": gettext_lazy("The proposal was accepted."),
    "reject": gettext_lazy("The proposal was rejected."),
    "hold": gettext_lazy("The proposal is held."),
    "release": gettext_lazy("The hold was released."),
    "confirm": gettext_lazy("The confirmation was recorded."),
    "complete": gettext_lazy("The match was marked completed."),
    "end": gettext_lazy("The match was ended."),
}


def _decide(request: HttpRequest, match: Match, data: dict[str, Any]) -> str:
    _match, sent = lifecycle.match_decide(
        match=match,
        action=data["action"],
        expected=data["version"],
        actor=request.user,  # type: ignore[arg-type]
        link=request.build_absolute_uri,
        side=data["side"],
        reason=data["reason"],
        note=data["note"],
    )
    if data["action"] != "introduce":
        return str(DONE[data["action"]])
    mailed = [s.name for s in sent if s.sent]
    unmailed = [s.name for s in sent if not s.sent]
    text = _("Introductions sent to: %(names)s.") % {"names": ", ".join(mailed) or "—"}
    if unmailed:
        text += " " + _(
            "No e-mail address for %(names)s: introduce them yourself and record their "
            "confirmation here."
        ) % {"names": ", ".join(unmailed)}
    return text


class MatchConfirmView(View):
    """The link sent with an introduction: one side agrees to meet. A GET shows the question
    (mail scanners follow links); the button POSTs."""

    def _read(self, token: str) -> tuple[Match, str] | None:
        try:
            return lifecycle.confirmation_read(token)
        except ValidationError:
            return None

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        found = self._read(token)
        status = 200 if found else 404
        context = {"match": found[0] if found else None, "token": token}
        return render(request, "connections/match_confirm.html", context, status=status)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        found = self._read(token)
        if found is None:
            return render(request, "connections/match_confirm.html", {"match": None}, status=404)
        match, side = found
        lifecycle.match_confirm(match=match, side=side, actor=None)
        context = {"match": match, "done": True}
        return render(request, "connections/match_confirm.html", context)


class InteractionLogView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        match = _match_or_404(request, pk, "connections.view_match")
        form = InteractionForm(request.POST)
        if form.is_valid():
            try:
                interaction_log(match=match, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except PermissionDenied as refused:
                messages.error(request, str(refused))
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(request, _("The interaction was logged."))
                return redirect("connections:match-detail", pk=match.pk)
        return _match_page(request, match, interaction_form=form)


class FeedbackView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        match = _match_or_404(request, pk, "connections.view_match")
        form = FeedbackForm(request.POST)
        if form.is_valid():
            try:
                feedback_give(match=match, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except PermissionDenied as refused:
                messages.error(request, str(refused))
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(request, _("Thank you: the feedback was recorded."))
                return redirect("connections:match-detail", pk=match.pk)
        return _match_page(request, match, feedback_form=form)


class MyMatchesView(LoginRequiredMixin, View):
    """A volunteer's (or a newcomer's) own matches."""

    def get(self, request: HttpRequest) -> HttpResponse:
        matches = matches_of_person(user=request.user)  # type: ignore[arg-type]
        return render(request, "connections/my_matches.html", {"matches": matches})


class ActivityListView(LoginRequiredMixin, View):
    """A program's group activities, and the form that records one."""

    def _page(self, request: HttpRequest, program: Program, form: ActivityForm) -> HttpResponse:
        context = {
            "program": program,
            "activities": group_activities_of(program=program),
            "form": form,
        }
        return render(request, "connections/activity_list.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        program = _program(request, pk, "connections.record_activity")
        return self._page(request, program, ActivityForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        program = _program(request, pk, "connections.record_activity")
        form = ActivityForm(request.POST)
        if not form.is_valid():
            return self._page(request, program, form)
        activity = group_activity_create(program=program, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        return redirect("connections:activity-detail", pk=activity.pk)


class ActivityDetailView(LoginRequiredMixin, View):
    """An activity's attendance: people of the program, and a count of those who gave none."""

    def _activity(self, request: HttpRequest, pk: int) -> GroupActivity:
        activity = GroupActivity.objects.select_related("program").filter(pk=pk).first()
        _permitted(request, activity.program if activity else None, "connections.record_activity")
        assert activity is not None  # _permitted answered 404 otherwise
        return activity

    def _page(
        self, request: HttpRequest, activity: GroupActivity, form: AttendanceForm
    ) -> HttpResponse:
        attendance = activity.attendance.select_related("newcomer", "host").order_by("pk")
        context = {
            "activity": activity,
            "program": activity.program,
            "attendance": attendance,
            "anonymous": sum(a.anonymous_count for a in attendance),
            "form": form,
        }
        return render(request, "connections/activity_detail.html", context)

    def _form(self, activity: GroupActivity, data: Any = None) -> AttendanceForm:
        return AttendanceForm(
            data,
            organization_id=activity.program.organization_id,
            program_id=activity.program_id,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        activity = self._activity(request, pk)
        return self._page(request, activity, self._form(activity))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        activity = self._activity(request, pk)
        form = self._form(activity, request.POST)
        if form.is_valid():
            try:
                attendance_record(
                    activity=activity,
                    actor=request.user,  # type: ignore[arg-type]
                    newcomers=list(form.cleaned_data["newcomers"]),
                    hosts=list(form.cleaned_data["hosts"]),
                    anonymous_count=form.cleaned_data["anonymous_count"],
                )
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(request, _("The attendance was recorded."))
                return redirect("connections:activity-detail", pk=activity.pk)
        return self._page(request, activity, form)
