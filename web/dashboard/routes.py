"""The dashboard's routes: every one checks the account and the role matrix first, and shows
or exports only published figures (``llais.insight``). Every export is logged without who."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from core.access import ROLE_MATRIX, View
from core.vocabulary import Language
from llais.insight.charts import bar_chart
from llais.insight.export import TextTable, text_table, to_csv
from llais.insight.groups import group_report, kind_report
from llais.insight.labels import lang_code, text
from llais.insight.service import InsightService, PeriodError, names_of_schools
from llais.insight.specs import PERIOD_KINDS, Measure
from storage.aggregate import Period, PeriodKind, Publication, all_periods, period_label
from storage.repo import accounts
from storage.repo.accounts import Account
from storage.repo.groups import create_group, school_groups
from web.dashboard import auth, voice
from web.dashboard.figures import (
    MEASURES,
    Scope,
    breakdowns,
    dims_for,
    trend_cell,
    trend_figure,
)
from web.deps import llais_app, page_language
from web.security import require_csrf

router = APIRouter()
router.include_router(auth.router)
router.include_router(voice.router)  # before /dashboard/{view}
TREND_PERIODS = 6
KIND = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
YEAR_GROUPS = tuple(range(7, 14))
PAGE_VIEWS = tuple(v for v in View if v not in (View.GROUPS, View.VOICE))


def insight(request: Request) -> InsightService:
    """The one insight service of this web app (its caches live as long as the app)."""
    service = getattr(request.app.state, "insight", None)
    if service is None:
        app = llais_app(request)
        service = InsightService(app.settings, app.sessions, clock=request.app.state.clock)
        request.app.state.insight = service
        if app.settings.dashboard_warm:
            service.start_warming()
    assert isinstance(service, InsightService)
    return service


ChartCache = dict[tuple[object, ...], tuple[Publication, str]]


def _chart_cache(request: Request) -> ChartCache:
    """Rendered charts, reused while their publication is the one the service holds."""
    cache = getattr(request.app.state, "insight_charts", None)
    if cache is None:
        cache = {}
        request.app.state.insight_charts = cache
    assert isinstance(cache, dict)
    return cache


async def _signed_in(request: Request) -> Account | Response:
    try:
        return await auth.current_account(request)
    except auth.SignInRequired:
        return RedirectResponse("/login", status_code=303)


def _nav(account: Account) -> list[View]:
    return [v for v in View if v in ROLE_MATRIX[account.role]]


def _period(
    service: InsightService, measure: Measure, kind: str | None, ident: str | None
) -> Period:
    try:
        if ident:
            return service.period(measure, ident)
        chosen = PeriodKind(kind) if kind in {k.value for k in PeriodKind} else None
        if chosen is not None and chosen not in PERIOD_KINDS[measure]:
            chosen = None
        return service.latest(measure, chosen)
    except PeriodError as exc:
        raise HTTPException(status_code=404, detail="not_found") from exc


@router.get("/dashboard", include_in_schema=False)
async def home(request: Request) -> Response:
    """What the account may see."""
    account = await _signed_in(request)
    if isinstance(account, Response):
        return account
    return auth.page(request, "dashboard/home.html", {"account": account, "nav": _nav(account)})


async def _section(
    request: Request,
    service: InsightService,
    measure: Measure,
    period: Period,
    by: str,
    scope: Scope,
    names: dict[str, str],
    language: Language,
) -> dict[str, Any]:
    raw = await service.publication(measure, period)
    publication = scope.view(raw)
    dims = dims_for(measure, by, scope)
    table = text_table(publication, dims, language, names)
    title = f"{text(f'm_{measure.value}', language)}: {period_label(period, lang_code(language))}"
    dim = next((d for d in reversed(dims) if d != publication.category), "school")
    fixed = {"school": scope.school} if scope.school is not None and dim != "school" else {}
    charts = _chart_cache(request)
    chart_key = (measure, period.id, dims, language, scope.school)
    cached = charts.get(chart_key)
    if cached is not None and cached[0] is raw:
        return _parts(measure, title, table, cached[1], publication, language, by)
    chart = await asyncio.to_thread(
        bar_chart,
        publication,
        dims,
        dim,
        language,
        title=title,
        description=text(
            "chart_description",
            language,
            measure=text(f"m_{measure.value}", language),
            period=period_label(period, lang_code(language)),
        ),
        ident=f"chart-{measure.value}",
        fixed=fixed,
        school_names=names,
        authority_label=text("authority", language) if scope.school is not None else None,
    )
    charts[chart_key] = (raw, chart)
    return _parts(measure, title, table, chart, publication, language, by)


def _parts(
    measure: Measure,
    title: str,
    table: TextTable,
    chart: str,
    publication: Publication,
    language: Language,
    by: str,
) -> dict[str, Any]:
    return {
        "measure": measure.value,
        "title": title,
        "table": table,
        "chart": Markup(chart),  # rendered by vl-convert from published figures; no user text
        "legend": publication.legend(lang_code(language)),
        "by": by,
        "breakdowns": breakdowns(measure),
    }


async def _trend(
    service: InsightService, measure: Measure, period: Period, scope: Scope, language: Language
) -> list[list[str]]:
    trend = []
    if measure in TREND_FIGURES:
        for earlier in [p for p in service.periods(period.kind) if p.start <= period.start][
            :TREND_PERIODS
        ]:
            published = await service.publication(measure, earlier)
            row = [period_label(earlier, lang_code(language))]
            row.append(trend_figure(trend_cell(published, measure, None), measure))
            if scope.school is not None:
                row.append(trend_figure(trend_cell(published, measure, scope.school), measure))
            trend.append(row)
    return trend


TREND_FIGURES = frozenset(
    {
        Measure.PARTICIPATION,
        Measure.PERMA,
        Measure.MOOD,
        Measure.STAFF,
        Measure.SAFEGUARDING,
        Measure.REQUESTS,
    }
)


@router.get("/dashboard/groups", include_in_schema=False)
async def groups_page(request: Request) -> Response:
    """Intervention groups: pre/post PERMA for each group, and per intervention type."""
    account = await _signed_in(request)
    if isinstance(account, Response):
        return account
    if (refused := auth.denied(request, account, View.GROUPS)) is not None:
        return refused
    return await _groups(request, account, problem=False)


@router.post("/dashboard/groups", include_in_schema=False)
async def create_group_form(request: Request) -> Response:
    """A school lead creates a group; it gets its own learner enrolment code."""
    account = await _signed_in(request)
    if isinstance(account, Response):
        return account
    if (refused := auth.denied(request, account, View.GROUPS)) is not None:
        return refused
    form = await request.form()
    require_csrf(request, form)
    if account.school_id is None:
        raise HTTPException(status_code=403, detail="forbidden")
    service = insight(request)
    fields = {k: str(form.get(k, "")).strip() for k in ("name", "kind", "year", "pre", "post")}
    try:
        pre, post = service.period_any(fields["pre"]), service.period_any(fields["post"])
    except PeriodError:
        return await _groups(request, account, problem=True)
    if (
        not fields["name"]
        or len(fields["name"]) > 200
        or not KIND.fullmatch(fields["kind"].lower())
        or post.start <= pre.start
        or fields["year"] not in {"", *(str(y) for y in YEAR_GROUPS)}
    ):
        return await _groups(request, account, problem=True)
    async with service.sessions() as session, session.begin():
        await create_group(
            session,
            school_id=account.school_id,
            name=fields["name"],
            kind=fields["kind"],
            year_group=int(fields["year"]) if fields["year"] else None,
            pre_period=pre.id,
            post_period=post.id,
            now=request.app.state.clock(),
        )
        await accounts.log_event(
            session, event="group_created", now=request.app.state.clock(), account=account
        )
    return RedirectResponse("/dashboard/groups", status_code=303)


async def _groups(request: Request, account: Account, *, problem: bool) -> Response:
    service = insight(request)
    scope = Scope.of(account)
    async with service.sessions() as session:
        groups = await school_groups(
            session, school_id=None if scope.school is None else account.school_id
        )
    reports = [await group_report(service, group_id=g.id) for g in groups]
    kinds = sorted({g.kind for g in groups})
    by_kind = {kind: await kind_report(service, kind=kind) for kind in kinds}
    return auth.page(
        request,
        "dashboard/groups.html",
        {
            "account": account,
            "nav": _nav(account),
            "groups": list(zip(groups, reports, strict=True)),
            "by_kind": by_kind,
            "k": service.policy.k,
            "label": lambda p: period_label(p, lang_code(page_language(request))),
            "problem": problem,
            "can_create": account.school_id is not None and account.role.value == "school_lead",
            "choices": [
                (p.id, period_label(p, lang_code(page_language(request))))
                for p in sorted(
                    all_periods(PeriodKind.HALF_TERM, service.calendar), key=lambda p: p.start
                )
            ],
            "years": YEAR_GROUPS,
        },
        400 if problem else 200,
    )


@router.get("/dashboard/{view}", include_in_schema=False)
async def view_page(
    request: Request,
    view: str,
    kind: str | None = None,
    period: str | None = None,
    by: str = "school",
) -> Response:
    """One view's tables, charts and trends for a fixed period."""
    account = await _signed_in(request)
    if isinstance(account, Response):
        return account
    chosen = _view(view)
    if (refused := auth.denied(request, account, chosen)) is not None:
        return refused
    service = insight(request)
    language = page_language(request)
    scope = Scope.of(account)
    names = await names_of_schools(service.sessions, language.value)
    measures = MEASURES[chosen]
    shown = _period(service, measures[0], kind, period)
    sections = []
    for measure in measures:
        section = await _section(request, service, measure, shown, by, scope, names, language)
        section["trend"] = await _trend(service, measure, shown, scope, language)
        sections.append(section)
    return auth.page(
        request,
        "dashboard/view.html",
        {
            "account": account,
            "nav": _nav(account),
            "view": chosen.value,
            "sections": sections,
            "period": shown,
            "period_name": period_label(shown, lang_code(language)),
            "kinds": [k.value for k in PERIOD_KINDS[measures[0]]],
            "periods": [
                (p.id, period_label(p, lang_code(language)))
                for p in service.periods(shown.kind)[:12]
            ],
            "school": names.get(scope.school or "", None),
        },
    )


def _view(name: str) -> View:
    try:
        view = View(name)
    except ValueError:
        raise HTTPException(status_code=404, detail="not_found") from None
    if view not in PAGE_VIEWS:
        raise HTTPException(status_code=404, detail="not_found")
    return view


@router.get("/dashboard/{view}/{measure}.csv", include_in_schema=False)
async def export_csv(
    request: Request,
    view: str,
    measure: str,
    period: str | None = None,
    by: str = "school",
) -> Response:
    """A CSV of one published table, with the symbols explained in Welsh and English."""
    account = await _signed_in(request)
    if isinstance(account, Response):
        return account
    chosen = _view(view)
    if (refused := auth.denied(request, account, chosen)) is not None:
        return refused
    try:
        wanted = Measure(measure)
    except ValueError:
        raise HTTPException(status_code=404, detail="not_found") from None
    if wanted not in MEASURES[chosen]:
        raise HTTPException(status_code=404, detail="not_found")
    service = insight(request)
    language = page_language(request)
    scope = Scope.of(account)
    shown = _period(service, wanted, None, period)
    publication = scope.view(await service.publication(wanted, shown))
    names = await names_of_schools(service.sessions, language.value)
    body = to_csv(publication, dims_for(wanted, by, scope), shown, language, names)
    async with service.sessions() as session, session.begin():
        await accounts.log_event(
            session,
            event="export",
            now=request.app.state.clock(),
            account=account,
            subject=f"{wanted.value}:{shown.id}:{by}"[:80],
        )
    filename = f"llais-{wanted.value}-{shown.id}.csv"
    return Response(
        "\ufeff" + body,  # a byte order mark so spreadsheet programs read the Welsh letters
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )
