"""Load flow files and routes from YAML and check every reference before anything runs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from core.errors import FlowDefinitionError
from core.vocabulary import Audience
from core.yamlload import safe_load
from flows.model import (
    END,
    FLOW_PREFIX,
    ActionStep,
    ChoiceStep,
    Flow,
    FlowFile,
    MultiStep,
    Routes,
    Step,
)

FLOWS_DIR = Path(__file__).resolve().parent / "definitions"
ROUTES_DIR = Path(__file__).resolve().parent / "routes"


@dataclass(frozen=True)
class FlowSet:
    """Every flow a bot can run, with the routes that start them."""

    flows: Mapping[str, Flow]
    routes: Routes
    sources: Mapping[str, Path]

    def flow(self, flow_id: str) -> Flow:
        """Return a flow by id (references were checked at load time)."""
        return self.flows[flow_id]


def _read_yaml(path: Path) -> Any:
    try:
        return safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FlowDefinitionError(f"{path}: not valid YAML: {exc}") from exc


def _describe(path: Path, exc: ValidationError) -> FlowDefinitionError:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
    )
    return FlowDefinitionError(f"{path}: {problems}")


def load_flows(paths: Iterable[Path]) -> tuple[dict[str, Flow], dict[str, Path]]:
    """Parse flow files; a flow id defined twice is an error naming both files."""
    flows: dict[str, Flow] = {}
    sources: dict[str, Path] = {}
    for path in sorted(paths):
        try:
            parsed = FlowFile.model_validate(_read_yaml(path))
        except ValidationError as exc:
            raise _describe(path, exc) from exc
        for flow_id, flow in parsed.flows.items():
            if flow_id in flows:
                raise FlowDefinitionError(
                    f"{path}: flows.{flow_id}: already defined in {sources[flow_id]}"
                )
            flows[flow_id] = flow
            sources[flow_id] = path
    return flows, sources


def _targets(step: Step) -> list[tuple[str, str]]:
    """(path suffix, target) for every reference a step makes."""
    if isinstance(step, ActionStep):
        return [(f"outcomes.{name}", target) for name, target in step.outcomes.items()]
    found = [("next", step.next)]
    if isinstance(step, ChoiceStep | MultiStep):
        found += [
            (f"options.{i}.next", option.next)
            for i, option in enumerate(step.options)
            if option.next is not None
        ]
    return found


def check_references(
    flows: Mapping[str, Flow], sources: Mapping[str, Path], actions: Iterable[str]
) -> None:
    """Fail on a dangling step or flow reference, an unknown action or a repeated option id."""
    known_actions = set(actions)
    for flow_id, flow in flows.items():
        where = f"{sources[flow_id]}: flows.{flow_id}"
        if flow.start not in flow.steps:
            raise FlowDefinitionError(f"{where}.start: no step named {flow.start!r}")
        for step_id, step in flow.steps.items():
            for suffix, target in _targets(step):
                if target == END or target in flow.steps:
                    continue
                if target.startswith(FLOW_PREFIX) and target[len(FLOW_PREFIX) :] in flows:
                    continue
                raise FlowDefinitionError(
                    f"{where}.steps.{step_id}.{suffix}: unknown step or flow {target!r}"
                )
            if isinstance(step, ActionStep) and step.action not in known_actions:
                raise FlowDefinitionError(
                    f"{where}.steps.{step_id}.action: unknown action {step.action!r} "
                    f"(known: {', '.join(sorted(known_actions))})"
                )
            if isinstance(step, ChoiceStep | MultiStep):
                ids = [option.id for option in step.options]
                if len(ids) != len(set(ids)):
                    raise FlowDefinitionError(
                        f"{where}.steps.{step_id}.options: option ids repeat: {ids}"
                    )


def load_routes(path: Path, flows: Mapping[str, Flow]) -> Routes:
    """Parse a routes file and check each target is a known flow."""
    try:
        routes = Routes.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise _describe(path, exc) from exc
    named = [
        *(f"commands.{k}" for k in routes.commands),
        *(f"intents.{k}" for k in routes.intents),
        *(f"on_concern.{k}" for k in routes.on_concern),
    ]
    values = [*routes.commands.values(), *routes.intents.values(), *routes.on_concern.values()]
    pairs = [*zip(named, values, strict=True), ("idle", routes.idle)]
    for key, target in pairs:
        if target not in flows:
            raise FlowDefinitionError(f"{path}: {key}: unknown flow {target!r}")
    return routes


def load_flowset(
    audience: Audience,
    actions: Iterable[str],
    flows_dir: Path = FLOWS_DIR,
    routes_dir: Path = ROUTES_DIR,
) -> FlowSet:
    """Load and validate every flow file and the audience's routes (``routes/<audience>.yml``).

    Only flows for this audience (or ``any``) are kept, so each bot's actions are checked
    against its own registry.
    """
    flows, sources = load_flows(flows_dir.glob("*.yml"))
    flows = {key: flow for key, flow in flows.items() if flow.audience in (audience, "any")}
    check_references(flows, sources, actions)
    routes = load_routes(routes_dir / f"{audience.value}.yml", flows)
    return FlowSet(flows=flows, routes=routes, sources=sources)
