"""Name understanding: normalisation, spelling variants, email local parts, classification."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mapper.matching import ParticipantKind, normalize_name
from mapper.matching.classify import Category, classify_name
from mapper.matching.keys import email_tokens
from mapper.matching.normalize import fold_variants, loose, script_key, strip_decorations


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        pytest.param("Müller, José (External) 🎉", "jose muller", id="comma-decoration-emoji"),
        pytest.param("Jane Doe (she/her) | Acme 🚀", "jane doe", id="pronouns-and-company"),
        pytest.param("O'Brien, Conor", "conor obrien", id="apostrophe"),
        pytest.param("John Smith, Jr.", "john smith", id="suffix-after-comma"),
        pytest.param("Dr. Hans Gast", "hans gast", id="title-and-family-name-gast"),
        pytest.param("Ｊａｎｅ\u3000Ｄｏｅ", "jane doe", id="fullwidth"),
        pytest.param("王小明", "wang xiaoming", id="han-family-given"),
        pytest.param("欧阳娜娜", "ouyang nana", id="han-compound-family"),
        pytest.param("Иванов Иван Иванович", "ivanov ivan ivanovich", id="cyrillic"),
        pytest.param("Nguyễn Văn An", "nguyen van an", id="vietnamese"),
        pytest.param("Jean-Pierre Dupont [EXT]", "jean pierre dupont", id="hyphen-and-bracket"),
        pytest.param("Jane Doe (Guest", "jane doe", id="unclosed-bracket"),
        pytest.param("(Guest)", "", id="only-decoration"),
        pytest.param("", "", id="empty"),
    ],
)
def test_normalize_name(raw: str, normalized: str) -> None:
    assert normalize_name(raw) == normalized


@given(st.text(max_size=40))
def test_normalize_name_is_idempotent(text: str) -> None:
    once = normalize_name(text)
    assert normalize_name(once) == once


NAME_PIECES = st.sampled_from(
    [
        "Dr.",
        "Jr",
        "External",
        "(Guest)",
        "(she/her)",
        "|",
        "Acme",
        "Müller",
        ",",
        "Doe",
        "Jane",
        "-",
        "phd",
        "mr",
        "王",
        "김",
        "ß",
        "–",
        ".",
        "'",
        "😀",
        "[EXT]",
        "she/her",
        " ",
        "(",
        "Иван",
        "Ø",
    ]
)


@given(st.lists(NAME_PIECES, max_size=9).map("".join) | st.lists(NAME_PIECES, max_size=9).map(" ".join))
def test_normalize_name_is_idempotent_on_decorated_names(text: str) -> None:
    once = normalize_name(text)
    assert normalize_name(once) == once


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_normalized_names_are_lower_case_ascii_words(text: str) -> None:
    result = normalize_name(text)
    assert result == " ".join(result.split())
    assert result.isascii() and result == result.lower()


@pytest.mark.parametrize(
    ("raw", "variant"),
    [
        pytest.param("Jürgen Müller", ("juergen", "mueller"), id="german-umlauts"),
        pytest.param("Søren Østergård", ("soeren", "oestergaard"), id="nordic"),
        pytest.param("김민준", ("kim", "minjun"), id="korean-customary-family-name"),
        pytest.param("Klaus-Günter Tröst", ("klausgunter", "trost"), id="hyphen-joined"),
    ],
)
def test_fold_variants(raw: str, variant: tuple[str, ...]) -> None:
    assert variant in fold_variants(raw)


def test_script_key_ignores_spacing_and_latin_names() -> None:
    assert script_key("田中 太郎") == script_key("田中太郎") == "田中太郎"
    assert script_key("Jane Doe") is None


def test_strip_decorations_keeps_the_script() -> None:
    assert strip_decorations("田中 太郎 (Guest) 🎧") == "田中 太郎"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("aleksandr", "alexsandr", id="x-ks"),
        pytest.param("dmitriy", "dmitrii", id="y-i"),
        pytest.param("matthew", "mathew", id="double-letters"),
    ],
)
def test_loose_spelling_brings_transliterations_together(a: str, b: str) -> None:
    assert loose(a) == loose(b)


@pytest.mark.parametrize(
    ("email", "tokens"),
    [
        pytest.param("jane.doe@x.example", ("jane", "doe"), id="first.last"),
        pytest.param("jane_doe@x.example", ("jane", "doe"), id="first_last"),
        pytest.param("jane-doe@x.example", ("jane", "doe"), id="first-last"),
        pytest.param("jane.doe+news@x.example", ("jane", "doe"), id="plus-tag"),
        pytest.param("jane.doe42@x.example", ("jane", "doe"), id="digits"),
        pytest.param("jdoe@x.example", ("jdoe",), id="flast"),
        pytest.param("me@janedoe.com", ("janedoe",), id="generic-local-personal-domain"),
        pytest.param("jane@janedoe.com", ("jane", "doe"), id="given-at-personal-domain"),
        pytest.param("me@gmail.com", (), id="free-mail-domain-says-nothing"),
    ],
)
def test_email_tokens(email: str, tokens: tuple[str, ...]) -> None:
    assert email_tokens(email) == tokens


def test_shared_domain_is_not_read_as_a_name() -> None:
    assert email_tokens("jane@kobayashi.jp", personal=False) == ("jane",)


@pytest.mark.parametrize(
    ("name", "kind", "category", "names"),
    [
        pytest.param("John's iPhone", ParticipantKind.UNKNOWN, Category.PERSON, ("John",), id="possessive-device"),
        pytest.param(
            "Johns iPhone", ParticipantKind.UNKNOWN, Category.PERSON, ("Johns", "John"), id="possessive-no-apostrophe"
        ),
        pytest.param("iPhone von Hans", ParticipantKind.UNKNOWN, Category.PERSON, ("Hans",), id="device-von-owner"),
        pytest.param("Bob's MacBook Pro", ParticipantKind.UNKNOWN, Category.PERSON, ("Bob",), id="macbook"),
        pytest.param("Galaxy S21", ParticipantKind.UNKNOWN, Category.DEVICE, (), id="bare-device"),
        pytest.param("DESKTOP-8F3K2LQ", ParticipantKind.UNKNOWN, Category.DEVICE, (), id="windows-host-name"),
        pytest.param("Otter.ai", ParticipantKind.UNKNOWN, Category.BOT, (), id="otter"),
        pytest.param("Recording Bot", ParticipantKind.UNKNOWN, Category.BOT, (), id="bot-word"),
        pytest.param("Jamie", ParticipantKind.UNKNOWN, Category.PERSON, ("Jamie",), id="brand-that-is-a-name"),
        pytest.param(
            "Gong Li", ParticipantKind.UNKNOWN, Category.PERSON, ("Gong Li",), id="brand-that-is-a-family-name"
        ),
        pytest.param("+44 ** **** 1234", ParticipantKind.UNKNOWN, Category.PHONE, (), id="masked-uk-number"),
        pytest.param("Phone user", ParticipantKind.UNKNOWN, Category.PHONE, (), id="phone-user"),
        pytest.param("Zoom user", ParticipantKind.UNKNOWN, Category.GENERIC, (), id="zoom-user"),
        pytest.param("Participant 4", ParticipantKind.UNKNOWN, Category.GENERIC, (), id="numbered-participant"),
        pytest.param("jane@x.example", ParticipantKind.UNKNOWN, Category.EMAIL, ("jane@x.example",), id="email"),
        pytest.param("Huddle", ParticipantKind.ROOM, Category.ROOM, ("Huddle",), id="room-kind"),
    ],
)
def test_classify_name(name: str, kind: ParticipantKind, category: Category, names: tuple[str, ...]) -> None:
    result = classify_name(name, kind)
    assert (result.category, result.names) == (category, names)
