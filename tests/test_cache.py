"""The per-user cache of checked specifications (dvcq.cache, dvcq.schema.load): a hit gives exactly what parsing
gives, and a stale, corrupt, foreign or unwritable cache never gives a wrong answer."""
from __future__ import annotations

import pickle
import shutil
import sys
from pathlib import Path

import pytest
from dvcq import cache, schema
from dvcq.errors import UserError

from tests.support.paths import ROOT

TEMPLATES = ROOT / "templates"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DVCQ_CACHE", str(folder))
    return folder


def _parsed(path: Path, spec) -> object:
    """What the file holds read by PyYAML directly, without dvcq's cache or checks."""
    import yaml

    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _copy(tmp_path: Path, rel: str) -> Path:
    dest = tmp_path / "t" / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(TEMPLATES / rel, dest)
    return dest


@pytest.mark.parametrize("rel, spec", [("forms/bao-cao-dinh-ky.yaml", schema.FORM), ("forms/chung.yaml", schema.COMMON),
                                       ("deadlines.yaml", schema.DEADLINES), ("co-quan.yaml", schema.BODIES)])
def test_a_hit_gives_what_parsing_gives(cache_dir, rel, spec):
    path = TEMPLATES / rel
    first = schema.load(path, spec)
    assert list(cache_dir.glob("spec-*.pickle")), "the first load writes an entry"
    again = schema.load(path, spec)
    assert again == first == _parsed(path, spec)


def test_a_changed_file_is_read_again(cache_dir, tmp_path):
    path = _copy(tmp_path, "forms/chung.yaml")
    before = schema.load(path, schema.COMMON)
    text = path.read_text(encoding="utf-8")
    old = before["meta_sheet"]
    path.write_text(text.replace(f"meta_sheet: {old}", "meta_sheet: Khác", 1), encoding="utf-8")
    assert schema.load(path, schema.COMMON)["meta_sheet"] == "Khác"


def test_a_file_made_wrong_after_caching_is_refused(cache_dir, tmp_path):
    path = _copy(tmp_path, "forms/chung.yaml")
    schema.load(path, schema.COMMON)
    path.write_text(path.read_text(encoding="utf-8") + "\nkhoa_la: 1\n", encoding="utf-8")
    with pytest.raises(UserError, match="khoa_la"):
        schema.load(path, schema.COMMON)


def test_an_entry_is_only_good_for_its_schema(cache_dir):
    """chung.yaml checked as the common file is no form: its cached data is not returned for the form schema."""
    path = TEMPLATES / "forms" / "chung.yaml"
    schema.load(path, schema.COMMON)
    with pytest.raises(UserError):
        schema.load(path, schema.FORM)


def test_a_different_reader_is_a_miss(cache_dir, tmp_path, monkeypatch):
    """A new dvcq (its schema module) or PyYAML changes the key: the entry is stale and the file is read again."""
    path = _copy(tmp_path, "forms/chung.yaml")
    schema.load(path, schema.COMMON)
    entry = next(cache_dir.glob("spec-*.pickle"))
    stored_key, value = pickle.loads(entry.read_bytes())
    value["meta_sheet"] = "SAI"  # what a stale entry would wrongly say
    entry.write_bytes(pickle.dumps((stored_key, value)))
    assert schema.load(path, schema.COMMON)["meta_sheet"] == "SAI"  # the probe: an entry of this key is used
    monkeypatch.setattr(schema, "_reader_version", lambda: "another version")
    assert schema.load(path, schema.COMMON)["meta_sheet"] != "SAI"


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps(("x", 1))[:5],
                                     pickle.dumps(("k", {"a": 1}))])
def test_a_corrupt_or_other_entry_counts_as_absent(cache_dir, tmp_path, content):
    path = _copy(tmp_path, "forms/chung.yaml")
    expected = schema.load(path, schema.COMMON)
    for entry in cache_dir.glob("spec-*.pickle"):
        entry.write_bytes(content)
    plain = content == pickle.dumps(("k", {"a": 1}))  # a good entry of another key "k"
    assert cache.get("spec", path, "k") == ({"a": 1} if plain else cache.MISSING)
    assert schema.load(path, schema.COMMON) == expected


class Boom:
    def __reduce__(self):
        return (sys.exit, (9,))


def test_an_entry_naming_code_is_refused(cache_dir, tmp_path):
    """Only plain data comes out of the cache: an entry that would call something is ignored, not run."""
    path = _copy(tmp_path, "forms/chung.yaml")
    expected = schema.load(path, schema.COMMON)
    entry = next(cache_dir.glob("spec-*.pickle"))
    stored_key, _ = pickle.loads(entry.read_bytes())
    entry.write_bytes(pickle.dumps((stored_key, Boom())))
    assert schema.load(path, schema.COMMON) == expected


def test_an_unwritable_cache_is_not_used(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("DVCQ_CACHE", str(blocker / "cache"))  # under a file: cannot be made
    path = TEMPLATES / "forms" / "chung.yaml"
    assert schema.load(path, schema.COMMON) == _parsed(path, schema.COMMON)


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("DVCQ_CACHE", "off")
    assert cache.cache_dir() is None
    path = TEMPLATES / "forms" / "chung.yaml"
    assert schema.load(path, schema.COMMON) == _parsed(path, schema.COMMON)


def test_where_the_cache_is(tmp_path, monkeypatch):
    monkeypatch.delenv("DVCQ_CACHE", raising=False)
    monkeypatch.setenv("DVCQ_HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / "cache"
    monkeypatch.delenv("DVCQ_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform != "win32":
        assert cache.cache_dir() == tmp_path / "xdg" / "dvcq"


# --- the unit registries' columns (dvcq.units.registry.unit_table) ---------------------------------------------

def _registry_copy(tmp_path: Path) -> Path:
    from dvcq.units.registry import DATA, FILES

    dest = tmp_path / "units" / FILES["2025"]
    dest.parent.mkdir(parents=True)
    shutil.copy(DATA / FILES["2025"], dest)
    return dest


def _csv_rows(path: Path) -> list[list[str]]:
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_a_registry_from_the_cache_is_the_csv(cache_dir, tmp_path):
    from dvcq.units.registry import unit_table

    path = _registry_copy(tmp_path)
    first = unit_table(path)
    assert list(cache_dir.glob("units-*.pickle"))
    again = unit_table(path)
    rows = _csv_rows(path)
    head = rows[0]
    at = [head.index(c) for c in ("code", "name", "level", "division_type", "parent_code")]
    expected = [[r[i] for r in rows[1:]] for i in at]
    assert [again.codes, again.names, again.levels, again.kinds, again.parents] == expected
    assert again == first


def test_a_changed_registry_is_read_again(cache_dir, tmp_path):
    from dvcq.units.registry import unit_table

    path = _registry_copy(tmp_path)
    unit_table(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Xã Như Thanh", "Xã Như Thanh Mới", 1), encoding="utf-8")
    table = unit_table(path)
    assert table.names[table.codes.index("16228")] == "Xã Như Thanh Mới"


def test_a_registry_entry_of_the_wrong_shape_is_read_again(cache_dir, tmp_path):
    from dvcq.units.registry import unit_table

    path = _registry_copy(tmp_path)
    expected = unit_table(path)
    entry = next(cache_dir.glob("units-*.pickle"))
    stored_key, cols = pickle.loads(entry.read_bytes())
    entry.write_bytes(pickle.dumps((stored_key, (cols[0], cols[1][:-1], cols[2], cols[3], cols[4]))))
    assert unit_table(path) == expected
