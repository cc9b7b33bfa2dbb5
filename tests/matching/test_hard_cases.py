"""Every hard case the issue lists, as exact outcomes of ``match_meeting``."""

from __future__ import annotations

import pytest

from mapper.matching import Invitee, Meeting, Method, Participant, ParticipantKind, Status, match_meeting

ROOM = "boardroom@resource.calendar.google.com"


def one(
    name: str, invitees: list[Invitee], kind: ParticipantKind = ParticipantKind.UNKNOWN
) -> tuple[str | None, Status, Method]:
    """Match one participant against ``invitees`` and return (email, status, method)."""
    decision = match_meeting(Meeting("m", [Participant("p1", name, kind)], invitees))[0]
    return decision.email, decision.status, decision.method


# (participant display name, invitees as (email, calendar name), expected email, expected method)
RESOLVED = [
    pytest.param(
        "Jürgen Müller", [("jm@x.example", "Juergen Mueller")], "jm@x.example", Method.NAME_EXACT, id="umlaut-vs-ue"
    ),
    pytest.param(
        "Juergen Mueller", [("jm@x.example", "Jürgen Müller")], "jm@x.example", Method.NAME_EXACT, id="ue-vs-umlaut"
    ),
    pytest.param(
        "Jurgen Muller", [("jm@x.example", "Jürgen Müller")], "jm@x.example", Method.NAME_EXACT, id="umlaut-dropped"
    ),
    pytest.param(
        "Jose Garcia", [("jg@x.example", "José García")], "jg@x.example", Method.NAME_EXACT, id="accents-dropped"
    ),
    pytest.param(
        "王小明",
        [("xiaoming.wang@x.example", None)],
        "xiaoming.wang@x.example",
        Method.EMAIL_PATTERN,
        id="chinese-to-pinyin-email",
    ),
    pytest.param("王小明", [("xm@x.example", "王小明")], "xm@x.example", Method.NAME_EXACT, id="chinese-same-script"),
    pytest.param("田中 太郎", [("tt@x.example", "田中太郎")], "tt@x.example", Method.NAME_EXACT, id="japanese-spacing"),
    pytest.param(
        "김민준",
        [("minjun.kim@x.example", None)],
        "minjun.kim@x.example",
        Method.EMAIL_PATTERN,
        id="korean-customary-kim",
    ),
    pytest.param(
        "Иван Петров",
        [("ivan.petrov@x.example", None)],
        "ivan.petrov@x.example",
        Method.EMAIL_PATTERN,
        id="cyrillic-to-latin",
    ),
    pytest.param(
        "Олександр Шевченко",
        [("os@x.example", "Oleksandr Shevchenko")],
        "os@x.example",
        Method.NAME_EXACT,
        id="ukrainian-to-latin",
    ),
    pytest.param("JANE  DOE", [("jd@x.example", "Jane Doe")], "jd@x.example", Method.NAME_EXACT, id="case-and-spaces"),
    pytest.param("Jane-Doe.", [("jd@x.example", "Jane Doe")], "jd@x.example", Method.NAME_EXACT, id="punctuation"),
    pytest.param("Doe, Jane", [("jd@x.example", "Jane Doe")], "jd@x.example", Method.NAME_EXACT, id="last-comma-first"),
    pytest.param(
        "Wang Xiaoming", [("xw@x.example", "Xiaoming Wang")], "xw@x.example", Method.NAME_EXACT, id="family-name-first"
    ),
    pytest.param("Jane Q. Doe", [("jd@x.example", "Jane Doe")], "jd@x.example", Method.NAME_EXACT, id="middle-initial"),
    pytest.param(
        "Jane Quinn Doe", [("jd@x.example", "Jane Doe")], "jd@x.example", Method.NAME_PARTIAL, id="middle-name"
    ),
    pytest.param(
        "J. Doe", [("jd@x.example", "Jane Doe")], "jd@x.example", Method.NAME_PARTIAL, id="initial-and-family"
    ),
    pytest.param(
        "Jane D.", [("jd@x.example", "Jane Doe")], "jd@x.example", Method.NAME_PARTIAL, id="given-and-initial"
    ),
    pytest.param(
        "Bob Smith", [("rs@x.example", "Robert Smith")], "rs@x.example", Method.NICKNAME, id="nickname-bob-robert"
    ),
    pytest.param(
        "Elizabeth Taylor",
        [("lt@x.example", "Liz Taylor")],
        "lt@x.example",
        Method.NICKNAME,
        id="nickname-liz-elizabeth",
    ),
    pytest.param(
        "Bob Smith",
        [("robert.smith@x.example", None)],
        "robert.smith@x.example",
        Method.EMAIL_PATTERN,
        id="nickname-in-email",
    ),
    pytest.param(
        "Jane Doe", [("jane.doe@x.example", None)], "jane.doe@x.example", Method.EMAIL_PATTERN, id="email-first.last"
    ),
    pytest.param(
        "Jane Doe", [("jane_doe@x.example", None)], "jane_doe@x.example", Method.EMAIL_PATTERN, id="email-first_last"
    ),
    pytest.param(
        "Jane Doe", [("doe.jane@x.example", None)], "doe.jane@x.example", Method.EMAIL_PATTERN, id="email-last.first"
    ),
    pytest.param("Jane Doe", [("jdoe@x.example", None)], "jdoe@x.example", Method.EMAIL_PATTERN, id="email-flast"),
    pytest.param("Jane Doe", [("janed@x.example", None)], "janed@x.example", Method.EMAIL_PATTERN, id="email-firstl"),
    pytest.param(
        "Jane Doe", [("janedoe@x.example", None)], "janedoe@x.example", Method.EMAIL_PATTERN, id="email-firstlast"
    ),
    pytest.param("Jane Doe", [("jane@x.example", None)], "jane@x.example", Method.EMAIL_PATTERN, id="email-first"),
    pytest.param("Jane Doe", [("doe@x.example", None)], "doe@x.example", Method.EMAIL_PATTERN, id="email-last"),
    pytest.param(
        "Jane Doe",
        [("jane.doe+meet@x.example", None)],
        "jane.doe+meet@x.example",
        Method.EMAIL_PATTERN,
        id="email-plus-tag",
    ),
    pytest.param(
        "Jane Doe", [("jane.doe42@x.example", None)], "jane.doe42@x.example", Method.EMAIL_PATTERN, id="email-digits"
    ),
    pytest.param(
        "Jane Doe", [("me@janedoe.com", None)], "me@janedoe.com", Method.EMAIL_PATTERN, id="email-personal-domain"
    ),
    pytest.param(
        "Jane Doe",
        [("jane@janedoe.net", None)],
        "jane@janedoe.net",
        Method.EMAIL_PATTERN,
        id="email-given-at-personal-domain",
    ),
    pytest.param(
        "Darren",
        [("darrenrodriguez@x.example", None)],
        "darrenrodriguez@x.example",
        Method.EMAIL_PATTERN,
        id="first-name-in-joined-email",
    ),
    pytest.param(
        "Jane Doe (Guest)", [("jd@x.example", "Jane Doe")], "jd@x.example", Method.NAME_EXACT, id="decoration-guest"
    ),
    pytest.param(
        "Jane Doe (External)",
        [("jd@x.example", "Jane Doe")],
        "jd@x.example",
        Method.NAME_EXACT,
        id="decoration-external",
    ),
    pytest.param(
        "Jane Doe External",
        [("jd@x.example", "Jane Doe")],
        "jd@x.example",
        Method.NAME_EXACT,
        id="decoration-external-bare",
    ),
    pytest.param(
        "Jane Doe (Unverified)",
        [("jd@x.example", "Jane Doe")],
        "jd@x.example",
        Method.NAME_EXACT,
        id="decoration-unverified",
    ),
    pytest.param(
        "Jane Doe (she/her)", [("jd@x.example", "Jane Doe")], "jd@x.example", Method.NAME_EXACT, id="pronouns-bracketed"
    ),
    pytest.param(
        "Jane Doe they/them", [("jd@x.example", "Jane Doe")], "jd@x.example", Method.NAME_EXACT, id="pronouns-bare"
    ),
    pytest.param(
        "Jane Doe | Acme", [("jd@x.example", "Jane Doe")], "jd@x.example", Method.NAME_EXACT, id="company-pipe"
    ),
    pytest.param(
        "Jane Doe - Acme Inc", [("jd@x.example", "Jane Doe")], "jd@x.example", Method.NAME_EXACT, id="company-dash"
    ),
    pytest.param("🚀 Jane Doe 🏳️‍🌈", [("jd@x.example", "Jane Doe")], "jd@x.example", Method.NAME_EXACT, id="emoji"),
    pytest.param("Dr. Jane Doe", [("jd@x.example", "Jane Doe")], "jd@x.example", Method.NAME_EXACT, id="title"),
    pytest.param(
        "Jane's iPhone",
        [("jd@x.example", "Jane Doe")],
        "jd@x.example",
        Method.NAME_PARTIAL,
        id="device-owner-possessive",
    ),
    pytest.param(
        "iPhone de Jane", [("jd@x.example", "Jane Doe")], "jd@x.example", Method.NAME_PARTIAL, id="device-owner-de"
    ),
    pytest.param("Jane", [("jd@x.example", "Jane Doe")], "jd@x.example", Method.NAME_PARTIAL, id="first-name-only"),
    pytest.param("Jane Smiht", [("js@x.example", "Jane Smith")], "js@x.example", Method.NAME_FUZZY, id="typo"),
    pytest.param(
        "Aleksandr Ivanov",
        [("ai@x.example", "Alexander Ivanov")],
        "ai@x.example",
        Method.NAME_FUZZY,
        id="transliteration-variant",
    ),
    pytest.param(
        "jane.doe@x.example",
        [("jane.doe@x.example", None)],
        "jane.doe@x.example",
        Method.EXACT_EMAIL,
        id="email-as-name",
    ),
    pytest.param(
        "Charlotte van Vliet",
        [("charlotte.vanvliet@x.example", None)],
        "charlotte.vanvliet@x.example",
        Method.EMAIL_PATTERN,
        id="particle-joined-in-email",
    ),
    pytest.param(
        "Victor B.", [("v.bedi@x.example", None)], "v.bedi@x.example", Method.EMAIL_PATTERN, id="initials-both-sides"
    ),
]


@pytest.mark.parametrize(("name", "invitees", "email", "method"), RESOLVED)
def test_resolves(name: str, invitees: list[tuple[str, str | None]], email: str, method: Method) -> None:
    got = one(name, [Invitee(e, n) for e, n in invitees])
    assert got == (email, Status.RESOLVED, method)


NOT_A_PERSON = [
    pytest.param("Otter.ai", ParticipantKind.SIGNED_IN, id="bot-otter"),
    pytest.param("Fireflies.ai Notetaker", ParticipantKind.UNKNOWN, id="bot-fireflies"),
    pytest.param("Fathom Notetaker", ParticipantKind.UNKNOWN, id="bot-fathom"),
    pytest.param("Read.ai meeting notes", ParticipantKind.UNKNOWN, id="bot-read-ai"),
    pytest.param("tl;dv", ParticipantKind.UNKNOWN, id="bot-tldv"),
    pytest.param("Jamie", ParticipantKind.BOT, id="bot-by-kind"),
    pytest.param("+1 ***-***-4417", ParticipantKind.UNKNOWN, id="dial-in-masked"),
    pytest.param("(415) 555-0100", ParticipantKind.UNKNOWN, id="dial-in-number"),
    pytest.param("Call-in User_2", ParticipantKind.UNKNOWN, id="dial-in-zoom-label"),
    pytest.param("Jane Doe", ParticipantKind.PHONE, id="phone-kind-wins-over-name"),
    pytest.param("Conference Room 4B", ParticipantKind.UNKNOWN, id="room-without-resource"),
]


@pytest.mark.parametrize(("name", "kind"), NOT_A_PERSON)
def test_not_a_person(name: str, kind: ParticipantKind) -> None:
    assert one(name, [Invitee("jd@x.example", "Jane Doe")], kind) == (None, Status.NOT_A_PERSON, Method.NOT_A_PERSON)


NAMELESS = [
    pytest.param("Guest", id="guest"),
    pytest.param("Host", id="host"),
    pytest.param("Unknown", id="unknown"),
    pytest.param("Speaker 2", id="speaker-2"),
    pytest.param("Galaxy S21", id="device-galaxy"),
    pytest.param("iPhone", id="device-iphone"),
    pytest.param("(Guest)", id="only-decoration"),
    pytest.param("🙂", id="only-emoji"),
]


@pytest.mark.parametrize("name", NAMELESS)
def test_nameless_participants_stay_unresolved(name: str) -> None:
    assert one(name, [Invitee("jd@x.example", "Jane Doe")]) == (None, Status.UNRESOLVED, Method.NONE)


@pytest.mark.parametrize(
    ("device", "kind"),
    [
        pytest.param("Boardroom", ParticipantKind.SIGNED_IN, id="signed-in-robot-account"),
        pytest.param("HQ 3 Boardroom", ParticipantKind.ROOM, id="room-kind-site-floor"),
        pytest.param("HQ-3-Boardroom", ParticipantKind.UNKNOWN, id="resource-name-without-capacity"),
    ],
)
def test_room_device_matches_room_resource(device: str, kind: ParticipantKind) -> None:
    invitees = [Invitee("jd@x.example", "Jane Doe"), Invitee(ROOM, "HQ-3-Boardroom (12) [Zoom]", resource=True)]
    assert one(device, invitees, kind) == (ROOM, Status.RESOLVED, Method.ROOM_RESOURCE)


def test_two_alex_chens_and_one_participant_is_ambiguous() -> None:
    invitees = [Invitee("alex.chen@a.example", "Alex Chen"), Invitee("achen@b.example", "Alex Chen")]
    decision = match_meeting(Meeting("m", [Participant("p1", "Alex Chen")], invitees))[0]
    assert (decision.email, decision.status, decision.method) == (None, Status.AMBIGUOUS, Method.AMBIGUOUS)
    assert sorted(c.email for c in decision.candidates) == ["achen@b.example", "alex.chen@a.example"]


def test_people_api_email_of_an_uninvited_attendee_is_kept() -> None:
    p = Participant("p1", "Omar Haddad", ParticipantKind.SIGNED_IN, "users/1", "Omar@Acme.example", "people_api")
    decision = match_meeting(Meeting("m", [p], [Invitee("jd@x.example", "Jane Doe")]))[0]
    assert (decision.email, decision.status, decision.method) == (
        "omar@acme.example",
        Status.RESOLVED,
        Method.PEOPLE_API,
    )


def test_an_uninvited_stranger_gets_no_email() -> None:
    assert one("Priya Raman", [Invitee("jd@x.example", "Jane Doe"), Invitee("bob@x.example")]) == (
        None,
        Status.UNRESOLVED,
        Method.NONE,
    )


def test_contradicting_calendar_name_overrules_a_first_name_email() -> None:
    # samantha@ belongs to Samantha Cole; Samantha Campbell was not invited.
    got = one("Samantha Campbell", [Invitee("samantha@x.example", "Samantha Cole")])
    assert got == (None, Status.UNRESOLVED, Method.NONE)


def test_similar_names_do_not_steal_an_exact_match() -> None:
    invitees = [Invitee("a@x.example", "Alex Chen"), Invitee("b@x.example", "Alex Cheng")]
    assert one("Alex Chen", invitees) == ("a@x.example", Status.RESOLVED, Method.NAME_EXACT)
