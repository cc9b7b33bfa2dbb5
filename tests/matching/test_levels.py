"""Decision levels before names: corrections, exact emails, learned identities, rejoins."""

from __future__ import annotations

import pytest

from mapper.matching import (
    Correction,
    Invitee,
    MatchSettings,
    Meeting,
    Method,
    Participant,
    ParticipantKind,
    Prior,
    Status,
    match_meeting,
)

INVITEES = (
    Invitee("ada@corp.example", "Ada Lovelace"),
    Invitee("grace@corp.example", "Grace Hopper"),
    Invitee("alan@corp.example", "Alan Turing"),
)
INVITED = frozenset(i.email for i in INVITEES)


def decide(*participants: Participant, prior: Prior | None = None, invitees: tuple[Invitee, ...] = INVITEES):
    return match_meeting(Meeting("m", participants, invitees), prior)


@pytest.mark.parametrize(
    ("correction", "participant"),
    [
        pytest.param(
            Correction("alan@corp.example", participant_id="p1"), Participant("p1", "Guest"), id="by-participant-id"
        ),
        pytest.param(
            Correction("alan@corp.example", stable_id="s-9"),
            Participant("p7", "Guest", stable_id="s-9"),
            id="by-stable-id",
        ),
        pytest.param(
            Correction("alan@corp.example", display_name="Speaker 2", invitee_emails=INVITED),
            Participant("p3", "speaker 2"),
            id="by-name-same-invitees",
        ),
        pytest.param(
            Correction(
                "alan@corp.example",
                display_name="Speaker 2",
                invitee_emails=INVITED | {"someone@else.example"},
            ),
            Participant("p3", "Speaker 2"),
            id="by-name-overlapping-invitees",
        ),
        pytest.param(
            Correction("alan@corp.example", display_name="Speaker 2"),
            Participant("p3", "Speaker 2"),
            id="by-name-email-invited",
        ),
        pytest.param(
            Correction("alan@corp.example", participant_id="p1"),
            Participant("p1", "+1 ***-***-4417", ParticipantKind.PHONE),
            id="dial-in-only-by-correction",
        ),
    ],
)
def test_correction_applies(correction: Correction, participant: Participant) -> None:
    decision = decide(participant, prior=Prior(corrections=[correction]))[0]
    assert (decision.email, decision.status, decision.method) == (
        "alan@corp.example",
        Status.RESOLVED,
        Method.CORRECTION,
    )


@pytest.mark.parametrize(
    "correction",
    [
        pytest.param(
            Correction("alan@corp.example", display_name="Speaker 2", invitee_emails=frozenset({"x@y.example"})),
            id="other-meeting",
        ),
        pytest.param(Correction("zed@other.example", display_name="Speaker 2"), id="email-not-invited"),
        pytest.param(Correction("alan@corp.example", participant_id="p9"), id="other-participant"),
    ],
)
def test_correction_does_not_apply(correction: Correction) -> None:
    decision = decide(Participant("p3", "Speaker 2"), prior=Prior(corrections=[correction]))[0]
    assert decision.method is not Method.CORRECTION


def test_correction_to_not_a_person() -> None:
    prior = Prior(corrections=[Correction(None, display_name="Ada Lovelace")])
    decision = decide(Participant("p1", "Ada Lovelace"), prior=prior)[0]
    assert (decision.email, decision.status, decision.method) == (None, Status.NOT_A_PERSON, Method.CORRECTION)


def test_correction_beats_people_api() -> None:
    p = Participant("p1", "Ada", ParticipantKind.SIGNED_IN, "users/1", "ada@corp.example", "people_api")
    decision = decide(p, prior=Prior(corrections=[Correction("grace@corp.example", participant_id="p1")]))[0]
    assert (decision.email, decision.method) == ("grace@corp.example", Method.CORRECTION)


@pytest.mark.parametrize(
    ("source", "method"),
    [
        pytest.param("people_api", Method.PEOPLE_API, id="people-api"),
        pytest.param("directory", Method.DIRECTORY, id="directory"),
        pytest.param("known", Method.EXACT_EMAIL, id="known"),
        pytest.param("recall", Method.EXACT_EMAIL, id="recall"),
        pytest.param(None, Method.EXACT_EMAIL, id="no-source"),
    ],
)
def test_exact_email_sources(source: str | None, method: Method) -> None:
    p = Participant("p1", "Someone Else", ParticipantKind.SIGNED_IN, email="grace@corp.example", email_source=source)
    decision = decide(p)[0]
    assert (decision.email, decision.status, decision.method) == ("grace@corp.example", Status.RESOLVED, method)


def test_exact_email_takes_the_invitee_out_of_name_matching() -> None:
    signed_in = Participant(
        "p1", "G. H.", ParticipantKind.SIGNED_IN, email="grace@corp.example", email_source="people_api"
    )
    anonymous = Participant("p2", "Grace", ParticipantKind.ANONYMOUS)
    first, second = decide(signed_in, anonymous)
    assert first.email == "grace@corp.example"
    assert (second.email, second.status) == (None, Status.UNRESOLVED)


@pytest.mark.parametrize(
    ("prior", "participant", "method"),
    [
        pytest.param(
            Prior(user_emails={"users/5": "alan@corp.example"}),
            Participant("p1", "A T", ParticipantKind.SIGNED_IN, user_id="users/5"),
            Method.LEARNED,
            id="learned-user-id",
        ),
        pytest.param(
            Prior(stable_emails={"g-5": "alan@corp.example"}),
            Participant("p1", "A T", stable_id="g-5"),
            Method.STABLE_ID,
            id="stable-id-seen-before",
        ),
        pytest.param(
            Prior(name_emails={"the boss": frozenset({"alan@corp.example", "old@gone.example"})}),
            Participant("p1", "The Boss"),
            Method.LEARNED,
            id="learned-name-one-invited",
        ),
    ],
)
def test_learned_identities(prior: Prior, participant: Participant, method: Method) -> None:
    decision = decide(participant, prior=prior)[0]
    assert (decision.email, decision.status, decision.method) == ("alan@corp.example", Status.RESOLVED, method)


def test_learned_name_pointing_at_two_invitees_is_not_used() -> None:
    prior = Prior(name_emails={"the boss": frozenset({"alan@corp.example", "ada@corp.example"})})
    assert decide(Participant("p1", "The Boss"), prior=prior)[0].method is not Method.LEARNED


@pytest.mark.parametrize(
    "second",
    [
        pytest.param(Participant("p2", "ada lovelace"), id="same-name"),
        pytest.param(Participant("p2", "Lovelace Ada"), id="same-words-other-order"),
        pytest.param(Participant("p2", "Ada's iPhone", user_id="users/1"), id="same-user-id"),
        pytest.param(Participant("p2", "Guest", stable_id="s-1"), id="same-stable-id"),
    ],
)
def test_rejoins_collapse_to_one_person(second: Participant) -> None:
    first = Participant("p1", "Ada Lovelace", user_id="users/1", stable_id="s-1")
    a, b = decide(first, second)
    assert a.person == b.person == "p1"
    assert a.email == b.email == "ada@corp.example"
    assert a.evidence["members"] == ["p1", "p2"]


def test_same_name_with_conflicting_user_ids_are_two_people() -> None:
    a = Participant("p1", "Alex Chen", ParticipantKind.SIGNED_IN, user_id="users/1")
    b = Participant("p2", "Alex Chen", ParticipantKind.SIGNED_IN, user_id="users/2")
    invitees = (Invitee("ac1@x.example", "Alex Chen"), Invitee("ac2@x.example", "Alex Chen"))
    first, second = decide(a, b, invitees=invitees)
    assert first.person != second.person
    assert first.status is second.status is Status.AMBIGUOUS


def test_generic_names_never_collapse() -> None:
    first, second = decide(Participant("p1", "Guest"), Participant("p2", "Guest"))
    assert first.person != second.person


def test_decisions_come_in_input_order() -> None:
    ids = [f"p{n}" for n in (3, 1, 2)]
    decisions = decide(
        *(Participant(i, name) for i, name in zip(ids, ("Grace Hopper", "Otter.ai", "Ada"), strict=True))
    )
    assert [d.participant_id for d in decisions] == ids


def test_threshold_setting_turns_first_name_matches_off() -> None:
    meeting = Meeting("m", [Participant("p1", "Ada")], [Invitee("a.lovelace@corp.example", "Ada Lovelace")])
    assert match_meeting(meeting)[0].email == "a.lovelace@corp.example"
    strict = match_meeting(meeting, settings=MatchSettings(fuzzy_threshold=0.81))[0]
    assert (strict.email, strict.status) == (None, Status.UNRESOLVED)
    assert strict.candidates[0].email == "a.lovelace@corp.example"


def test_evidence_is_json_serialisable() -> None:
    import json

    decisions = decide(Participant("p1", "Ada L."), Participant("p2", "Otter.ai"), Participant("p3", "Ada Lovelace"))
    json.dumps([dict(d.evidence) for d in decisions])
