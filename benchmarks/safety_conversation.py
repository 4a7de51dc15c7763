"""The safety conversation on a probe set, through the real conversation service (issue 8).

Run: .venv/bin/python benchmarks/safety_conversation.py [--probe 8|9|10|11] [--model-dir DIR]

Each everyday, neutral and figurative message of the probe (by default probe 8) goes to a new
learner (enrolled, in the message's language) on a fresh SQLite database: how often the check
question is asked, how often "I'm sorry you're feeling low" is said, and how often an alert is
raised. Each of the probe's conversations is then played message by message by one learner: how
many concern conversations end with an alert. Probes 8 and 11 are for reporting only: never tune
on them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from core.settings import Settings  # noqa: E402
from llais.app import App, build_app  # noqa: E402
from llais.commands.demo import seed_demo  # noqa: E402
from llais.learner import CHECK_FLOW  # noqa: E402
from llais.pseudonym import person_ref  # noqa: E402
from storage.migrate import upgrade_async  # noqa: E402
from storage.models import ConversationStateRow, SafeguardingAlert  # noqa: E402
from tests.support.learner import PlayedLearner  # noqa: E402

DATA = ROOT / "tests" / "data"
LOW_MOOD = ("I'm sorry you're feeling low", "Mae'n ddrwg gen i dy fod")
LANGUAGE = {"en": ("English", "OK, got it"), "cy": ("Cymraeg", "Iawn, dw i'n deall")}


async def new_learner(app: App, user_id: str, lang: str) -> PlayedLearner:
    learner = PlayedLearner(app.learner, user_id=user_id)
    button, understood = LANGUAGE[lang]
    await learner.command("start")
    await learner.press(button)
    await learner.press(understood)
    await learner.say("DEMO-Y9")
    return learner


async def alerts(app: App) -> int:
    async with app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(SafeguardingAlert)) or 0)


async def run(model_dir: Path | None, probe: int = 8) -> dict[str, object]:
    folder = DATA / f"probe{probe}"
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        await upgrade_async(url)
        await seed_demo(url)
        settings = Settings(database_url=url)
        if model_dir is not None:
            settings = settings.model_copy(update={"nlu_model_dir": model_dir})
        app = await build_app(settings)
        try:
            rows = [json.loads(line) for line in (folder / f"risk_probe{probe}.jsonl").open()]
            everyday = [r for r in rows if r["kind"] in ("everyday", "neutral", "figurative")]
            checks = low = raised = 0
            for n, row in enumerate(everyday):
                before = await alerts(app)
                learner = await new_learner(app, f"e{n}", row["lang"])
                await learner.say(row["text"])
                said = learner.text()
                low += any(phrase in said for phrase in LOW_MOOD)
                raised += (await alerts(app)) > before
                secret = settings.secret_key.get_secret_value()
                ref = person_ref(secret, learner.channel, learner.user_id)
                async with app.sessions() as session:
                    stored = await session.get(ConversationStateRow, ref)
                frame = (stored.state.get("current") or {}) if stored else {}
                checks += frame.get("flow") == CHECK_FLOW
            talks = (folder / f"context_probe{probe}.jsonl").open()
            conversations = [json.loads(line) for line in talks]
            concern = [c for c in conversations if c["level"] in ("medium", "high", "critical")]
            caught = 0
            for n, conv in enumerate(concern):
                before = await alerts(app)
                learner = await new_learner(app, f"c{n}", conv["lang"])
                for message in conv["messages"]:
                    await learner.say(message)
                caught += (await alerts(app)) > before
        finally:
            await app.db.dispose()
    return {
        "probe": probe,
        "everyday_neutral_figurative": len(everyday),
        "check_question_asked": checks,
        "low_mood_reply": low,
        "alert_raised": raised,
        "concern_conversations": len(concern),
        "concern_conversations_alerted": caught,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-dir", type=Path)
    parser.add_argument("--probe", type=int, default=8, choices=(8, 9, 10, 11))
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.model_dir, args.probe)), indent=2))


if __name__ == "__main__":
    main()
