"""The test-model cache: trained once per fingerprint, copied after, retrained on any change."""

from __future__ import annotations

from pathlib import Path

from tests.support.model_cache import COMPLETE, fingerprint, trained


class Trainer:
    """Writes a small 'model' and counts how often it was asked to."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self, into: Path) -> None:
        self.runs += 1
        (into / "model.bin").write_bytes(b"weights %d" % self.runs)
        (into / "sub").mkdir()
        (into / "sub" / "part.json").write_text("{}")


def test_a_model_is_trained_once_and_copied_into_later_runs(tmp_path: Path) -> None:
    train, cache = Trainer(), tmp_path / "cache"
    first = trained("m", train, _empty(tmp_path / "run1"), key="abc", cache_dir=cache)
    second = trained("m", train, _empty(tmp_path / "run2"), key="abc", cache_dir=cache)

    assert train.runs == 1
    assert (second / "model.bin").read_bytes() == (first / "model.bin").read_bytes() == b"weights 1"
    assert (second / "sub" / "part.json").read_text() == "{}"
    assert not (second / COMPLETE).exists()  # the cache's marker stays in the cache


def test_another_fingerprint_trains_again_and_drops_the_old_model(tmp_path: Path) -> None:
    train, cache = Trainer(), tmp_path / "cache"
    trained("m", train, _empty(tmp_path / "run1"), key="old", cache_dir=cache)
    again = trained("m", train, _empty(tmp_path / "run2"), key="new", cache_dir=cache)

    assert train.runs == 2
    assert (again / "model.bin").read_bytes() == b"weights 2"
    assert sorted(p.name for p in cache.iterdir()) == ["m-new"]


def test_a_cache_entry_without_its_marker_is_not_used(tmp_path: Path) -> None:
    train, cache = Trainer(), tmp_path / "cache"
    half = cache / "m-abc"
    half.mkdir(parents=True)
    (half / "model.bin").write_bytes(b"truncated")  # a copy that was interrupted

    got = trained("m", train, _empty(tmp_path / "run"), key="abc", cache_dir=cache)

    assert train.runs == 1
    assert (got / "model.bin").read_bytes() == b"weights 1"


def test_the_fingerprint_changes_with_any_training_source(tmp_path: Path) -> None:
    (tmp_path / "nlu" / "data").mkdir(parents=True)
    (tmp_path / "core").mkdir()
    data = tmp_path / "nlu" / "data" / "intents.yml"
    data.write_text("- hello\n")
    code = tmp_path / "core" / "text.py"
    code.write_text("X = 1\n")
    seen = {fingerprint(tmp_path)}

    data.write_text("- hello\n- helo\n")
    fingerprint.cache_clear()
    seen.add(fingerprint(tmp_path))
    code.write_text("X = 2\n")
    fingerprint.cache_clear()
    seen.add(fingerprint(tmp_path))
    (tmp_path / "nlu" / "data" / "more.yml").write_text("")
    fingerprint.cache_clear()
    seen.add(fingerprint(tmp_path))

    assert len(seen) == 4
    fingerprint.cache_clear()


def test_the_data_the_models_are_trained_from_lies_under_the_fingerprinted_folders() -> None:
    from importlib import resources

    from nlu.training_data import DATA_DIR
    from tests.support.model_cache import ROOT, SOURCES

    detector_data = Path(str(resources.files("nlu.safeguarding.data")))
    for used in (DATA_DIR, detector_data):
        assert any(used.resolve().is_relative_to(ROOT / folder) for folder in SOURCES), used


def _empty(path: Path) -> Path:
    path.mkdir(parents=True)
    return path
