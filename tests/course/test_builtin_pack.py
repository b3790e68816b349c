"""The built-in pack (lessons/) loads without a single schema or semantic problem, every lesson
has both languages, and the chapters follow the seed's order."""

from __future__ import annotations

from kubetrainer.course.packs import load_all_packs, load_pack
from kubetrainer.resources import lessons_dir


def test_builtin_pack_loads_cleanly():
    pack, problems = load_pack(lessons_dir(), "lessons", "builtin")
    assert [str(p) for p in problems] == []
    assert pack is not None and pack.id == "builtin" and pack.lessons
    assert set(pack.languages) >= {"en", "zh-Hans"}
    for lesson in pack.lessons:
        assert lesson.languages == list(pack.languages), lesson.id
        assert lesson.solution_text.strip() and lesson.objectives


def test_builtin_pack_is_in_the_catalog_once():
    cat = load_all_packs()
    assert [p.id for p in cat.packs].count("builtin") == 1
    assert cat.packs[0].id == "builtin" and cat.packs[0].source == "builtin"
