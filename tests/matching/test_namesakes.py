"""Two invitees who both fit one display name are namesakes: never pick one by address spelling."""

from __future__ import annotations

from mapper.matching import Invitee, Meeting, Participant, ParticipantKind, Status, match_meeting

NAMESAKES = [
    Invitee("carolyn.mccarthy@gmail.example"),
    Invitee("cmccarthy801@gmail.example"),
    Invitee("nsato@momentio.example", "Naoko Sato"),
]


def test_one_name_two_fitting_addresses_is_ambiguous() -> None:
    participants = [Participant(f"p{i}", "Carolyn McCarthy", ParticipantKind.ANONYMOUS) for i in range(3)]
    decisions = match_meeting(Meeting("m", participants, NAMESAKES))
    assert {d.status for d in decisions} == {Status.AMBIGUOUS}
    assert {c.email for c in decisions[0].candidates} == {
        "carolyn.mccarthy@gmail.example",
        "cmccarthy801@gmail.example",
    }
    assert all(d.email is None for d in decisions)


def test_an_exact_people_api_email_still_resolves_a_namesake() -> None:
    participants = [
        Participant(
            "p0",
            "Carolyn McCarthy",
            ParticipantKind.SIGNED_IN,
            user_id="users/1",
            email="cmccarthy801@gmail.example",
            email_source="people_api",
        ),
    ]
    (decision,) = match_meeting(Meeting("m", participants, NAMESAKES))
    assert (decision.status, decision.email) == (Status.RESOLVED, "cmccarthy801@gmail.example")


def test_a_single_fitting_address_resolves() -> None:
    invitees = [Invitee("carolyn.mccarthy@gmail.example"), Invitee("nsato@momentio.example", "Naoko Sato")]
    (decision,) = match_meeting(Meeting("m", [Participant("p0", "Carolyn McCarthy")], invitees))
    assert (decision.status, decision.email) == (Status.RESOLVED, "carolyn.mccarthy@gmail.example")


def test_a_first_name_that_fits_two_invitees_is_ambiguous() -> None:
    """ "Priscila" fits the calendar name "Priscila Bartolomé" and the ``firstl`` address priscilap@."""
    invitees = [
        Invitee("priscilap@alone.example"),
        Invitee("priscila_bartolome@ofsystems.example", "Priscila Bartolomé"),
        Invitee("wbanak@artistlabs.example"),
    ]
    (decision,) = match_meeting(Meeting("m", [Participant("p0", "Priscila", ParticipantKind.ANONYMOUS)], invitees))
    assert decision.status == Status.AMBIGUOUS
    assert {c.email for c in decision.candidates} == {"priscilap@alone.example", "priscila_bartolome@ofsystems.example"}
