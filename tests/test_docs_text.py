"""The pages' prose: anchors that readers may have linked, and the Korean style rules.

The Korean rules are those of the glossary on the Concepts page: one term per
concept (기울기, never 그래디언트 alone), numbers written together with their
counter words (``20스텝``), particles that follow how a number or name is read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
FENCE = re.compile(r"^```.*?^```\s*$", re.M | re.S)

# Section anchors published before the Q&A rewrite: they must keep working.
ANCHORS = {
    "qa.md": [
        "1-the-students-table",
        "2-the-instructors-keras-example",
        "3-academic-and-framework-definitions",
        "4-the-follow-ups-50000",
        "5-the-second-question-with-evidence",
    ],
    "qa.ko.md": [
        "1-학생의-표",
        "2-강사의-keras-예시",
        "3-학술적-정의와-프레임워크의-정의",
        "4-후속-질문의-50000",
        "5-두-번째-질문-증거와-함께",
    ],
    "concepts.md": [
        "the-words",
        "two-definitions-of-an-epoch",
        "what-each-framework-calls-an-iteration",
        "glossary-english-and-korean",
    ],
    "concepts.ko.md": [
        "용어",
        "에포크의-두-가지-정의",
        "프레임워크마다-이터레이션이라-부르는-것",
        "용어집-영어와-한국어",
    ],
    "frameworks.ko.md": ["같은-학습-모든-프레임워크", "keras와-steps_per_epoch"],
    "parallel.ko.md": ["에포크-끝의-남은-묶음", "누적이-큰-배치와-같을-때와-다를-때"],
    "lr-schedules.ko.md": ["흔한-버그-에포크용-스케줄을-배치마다-진행", "스케줄과-torch의-대응"],
    "experiments.ko.md": [
        "에포크-업데이트-샘플별-기울기-수에-대한-손실",
        "손실-곡면-위의-경로",
        "어떤-샘플이-어떤-업데이트에-들어가는가",
        "미니배치-기울기의-잡음",
    ],
}

# The Korean pages this style applies to (the other pages are being rewritten elsewhere).
KOREAN = [
    "index.ko.md",
    "concepts.ko.md",
    "qa.ko.md",
    "experiments.ko.md",
    "optimizers.ko.md",
    "lr-schedules.ko.md",
    "frameworks.ko.md",
    "parallel.ko.md",
    "cli.ko.md",
    "engines.ko.md",
]


def prose(page: str) -> str:
    return FENCE.sub("", (DOCS / page).read_text(encoding="utf-8"))


def anchors(page: str) -> set[str]:
    slugs = pytest.importorskip("pymdownx.slugs")
    slugify = slugs.slugify(case="lower")
    found = set()
    for heading in re.findall(r"^#{1,6} (.+)$", prose(page), re.M):
        explicit = re.search(r"\{#([^}\s]+)\}\s*$", heading)
        if explicit:
            found.add(explicit.group(1))
            heading = heading[: explicit.start()].rstrip()
        found.add(slugify(heading, "-"))
    return found


@pytest.mark.parametrize("page", sorted(ANCHORS))
def test_published_anchors_still_exist(page: str) -> None:
    missing = set(ANCHORS[page]) - anchors(page)
    assert not missing, f"{page} lost the anchors {sorted(missing)}"


def test_qa_pages_open_with_the_three_words_and_link_concepts() -> None:
    for page in ("qa.md", "qa.ko.md"):
        text = prose(page)
        first = text.index("\n## ")
        assert "{#three-words}" in text[first : first + 80]
        assert "(concepts.md)" in text.split("\n## 1.")[0]


@pytest.mark.parametrize("page", KOREAN)
def test_korean_style(page: str) -> None:
    text = prose(page)
    # one term per concept: 기울기 (그래디언트 only in brackets, in the glossary)
    assert not re.search(r"(?<!\()그래디언트(?! *\))", text.replace("그래디언트는 괄호", ""))
    # numbers and counter words written together: 20스텝, not 20 스텝
    assert not re.search(r"\d (스텝|번|개|배|바퀴)(?![가-힣])", text)
    # calques the rewrite removed
    for calque in ("읽기", "교과서의 SGD", "놓쳤", "증거와 함께", "관례의 이름으로만"):
        assert calque not in text, calque
    # particles after a number or name read aloud: 3 is 삼 (과), OneCycle is 원사이클,
    # which ends in ㄹ (은, 을)
    assert not re.search(r"Keras 3와|`?OneCycle`?[는를]", text)


def test_glossary_has_one_row_per_korean_term() -> None:
    rows = [line for line in prose("concepts.ko.md").splitlines() if line.startswith("| ")]
    korean = [row.split(" | ")[1] for row in rows[2:]]
    assert "기울기 (그래디언트)" in korean
    assert "스텝, 업데이트 (갱신)" in korean
    assert {"원론적 정의", "프레임워크 정의", "기울기 누적"} <= set(korean)
    assert prose("concepts.md").count("| gradient | 기울기 (그래디언트)") == 1
