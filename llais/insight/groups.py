"""Pre/post PERMA for an intervention group, and for every group of one intervention type across
the authority, under the same rule (a group smaller than k says only that it is too small)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from llais.insight.service import InsightService
from storage.aggregate import Period, Publication, PublishedCell, Spec, publish
from storage.models import InterventionGroup
from storage.repo import insight

GROUP_SPEC = Spec(
    measure="groups",
    tables=(("phase",), ("school", "phase")),
    values=("overall",),
    levels={"phase": ("pre", "post")},
)


@dataclass(frozen=True, slots=True)
class GroupReport:
    """A group's (or an intervention type's) pre/post figures, or None when too small."""

    name: str
    kind: str
    school_id: int | None
    pre: Period
    post: Period
    publication: Publication | None  # None: fewer than k learners joined

    def phase(self, phase: str) -> PublishedCell:
        """The pre or post cell: the school's own for a group, the authority's for a type."""
        assert self.publication is not None
        if self.school_id is None:
            return self.publication.table("phase").cell(phase=phase)
        table = self.publication.table("school", "phase")
        return table.cell(school=str(self.school_id), phase=phase)


async def _periods(service: InsightService, groups: list[InterventionGroup]) -> dict[str, Period]:
    found: dict[str, Period] = {}
    for group in groups:
        found[f"{group.id}:pre"] = service.period_any(group.pre_period)
        found[f"{group.id}:post"] = service.period_any(group.post_period)
    return found


async def group_report(service: InsightService, *, group_id: int) -> GroupReport:
    """One group's pre/post comparison."""
    async with service.sessions() as session:
        group = await session.get(InterventionGroup, group_id)
        if group is None:
            raise LookupError(f"no group {group_id}")
        size = await insight.group_size(session, group_id=group_id)
        periods = await _periods(service, [group])
        publication = None
        if size >= service.policy.k:
            rows = await insight.group_perma_rows(session, group_ids=[group_id], periods=periods)
            publication = publish(rows, GROUP_SPEC, service.policy)
    return GroupReport(
        group.name,
        group.kind,
        group.school_id,
        periods[f"{group.id}:pre"],
        periods[f"{group.id}:post"],
        publication,
    )


async def kind_report(service: InsightService, *, kind: str) -> list[GroupReport]:
    """Every group of an intervention type together, across the authority (one publication
    per pair of pre/post periods, so that only like is compared with like)."""
    async with service.sessions() as session:
        groups = list(
            (
                await session.execute(
                    select(InterventionGroup).where(InterventionGroup.kind == kind.lower())
                )
            ).scalars()
        )
        periods = await _periods(service, groups)
        by_window: dict[tuple[str, str], list[InterventionGroup]] = {}
        for group in groups:
            by_window.setdefault((group.pre_period, group.post_period), []).append(group)
        reports = []
        for (pre, post), members in sorted(by_window.items()):
            sizes = [await insight.group_size(session, group_id=g.id) for g in members]
            publication = None
            if sum(sizes) >= service.policy.k:
                rows = await insight.group_perma_rows(
                    session, group_ids=[g.id for g in members], periods=periods
                )
                publication = publish(rows, GROUP_SPEC, service.policy)
            reports.append(
                GroupReport(
                    kind, kind, None, service.period_any(pre), service.period_any(post), publication
                )
            )
    return reports
