"""Every card action is authorised on the server, from the authenticated clicker (`turn.user_id`),
never from what the card carries: a card's data can be forged by anyone who can send an
activity, so the tests below forge it.

- Decisions (approve, reject, refresh): only the focal points of the request's own CoP, or an
  admin (ADMIN_IDS). A focal point of UBS holding a request id of PLG gets a read-only card, the
  attempt is audited, nothing is decided, added or updated. Missing or garbage request ids get
  "I can't find this request any more.", whatever their type.
- Meetings (mark answered, skip, restore): the focal points of the meeting's CoP, or an admin.
- After a meeting (the follow-up form and sending it): the focal points of its CoP, or an admin;
  feedback: anyone, always the clicker's own answer.
- The admin report and the health card: admins only.
- The clicker's own things (join, leave, make primary, my communities, cancel): always about
  the clicker; a person id in the data changes nothing.
- Public (list, details, help) and asking a question in advance: anyone.

`test_every_card_action_is_accounted_for` fails when a new action is registered without a line
in ACTIONS saying who may use it (and a test here showing it).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from bot.features import build_router
from tests.fakes.connector import FakeConnector, card_text
from tests.fakes.graph_fake import GraphFake
from tests.faults.harness import (
    ANNOUNCE_AT,
    DANIEL,
    DEC,
    ERIN,
    FRANK,
    GROUPS,
    UBS,
    Pg,
    ServerPool,
    adds,
    approval_cards,
    ask_to_join_ubs,
    card_updates,
    conversation,
    eventually,
    execute_data,
)
from tests.support.bot_client import ALICE, BRUNO, CARMEN, BotClient, User

PLG = "Policy, Legislation and Governance (PLG)"
UNKNOWN_REQUEST = "I can't find this request any more."

ACTIONS = {
    "membership.approve": "focal points of the request's CoP, admins",
    "membership.reject": "focal points of the request's CoP, admins",
    "membership.refresh": "anyone sees the card; only deciders get the buttons",
    "meetings_answered": "focal points of the meeting's CoP, admins",
    "meetings_skip": "focal points of the meeting's CoP, admins",
    "meetings_restore": "focal points of the meeting's CoP, admins",
    "admin.report": "admins",
    "admin.health": "admins",
    "meetings_followup_form": "focal points of the meeting's CoP, admins",
    "meetings_followup": "focal points of the meeting's CoP, admins",
    "meetings_feedback": "anyone: the answer is the clicker's own",
    "meetings_follow": "anyone: what a person follows is their own (the actor from aadObjectId)",
    "meetings_ask": "anyone: the question is the clicker's own",
    "join": "the clicker's own request",
    "membership.cancel": "the clicker's own",
    "membership.leave": "the clicker's own membership",
    "membership.make_primary": "the clicker's own membership",
    "membership.mine": "the clicker's own communities",
    "list": "public",
    "details": "public",
    "help": "public",
}


def test_every_card_action_is_accounted_for() -> None:
    assert set(build_router()._actions) == set(ACTIONS)


def has_button(card: dict, verb: str) -> bool:
    try:
        execute_data(card, verb)
    except AssertionError:
        return False
    return True


async def execute(client: BotClient, verb: str, data: dict, user: User) -> dict:
    response = await client.execute(verb, data, user, conversation=conversation(user))
    assert response.status == 200, response.body
    return response.body


async def frank_asks_to_join_plg(client: BotClient, connector: FakeConnector, pg: Pg) -> str:
    response = await client.say("join PLG as my primary", FRANK)
    assert response.texts[0].startswith(f"Your request to join {PLG}"), response.texts
    await eventually(lambda: approval_cards(connector, DANIEL), "Daniel's approval card")
    row = await pg.row("SELECT id FROM join_requests WHERE cop_id = 'PLG'")
    return row["id"]


async def test_a_focal_point_of_one_cop_cannot_decide_for_another(
    pool: ServerPool, pg: Pg, graph: GraphFake, connector: FakeConnector
) -> None:
    server = await pool.start("auth")
    client = server.client(connector)
    ubs_card = await ask_to_join_ubs(client, connector)  # Bruno and Carmen decide for UBS
    plg_request = await frank_asks_to_join_plg(client, connector, pg)  # Daniel alone for PLG
    forged = {**execute_data(ubs_card), "request_id": plg_request}
    read_only = f"Only the focal points of {PLG} can decide on this request."

    for verb, user in (("membership.approve", BRUNO), ("membership.reject", CARMEN)):
        body = await execute(client, verb, {**forged, "reason": "forged"}, user)
        assert read_only in card_text(body["value"])
        assert not has_button(body["value"], "membership.approve")
    submitted = await client.submit(
        {"verb": "membership.approve", **forged}, BRUNO
    )  # Action.Submit
    assert any(read_only in card_text(card) for card in submitted.cards)
    refreshed = await execute(client, "membership.refresh", forged, BRUNO)
    assert read_only in card_text(refreshed["value"])
    assert not has_button(refreshed["value"], "membership.approve")

    refused = await pg.audit("membership.decision_refused")
    assert [(r["actor"], r["details"]["cop_id"], r["details"]["wanted"]) for r in refused] == [
        (BRUNO.aad_id, "PLG", "approve"),
        (CARMEN.aad_id, "PLG", "reject"),
        (BRUNO.aad_id, "PLG", "approve"),
    ]
    statuses = {r["cop_id"]: r["status"] for r in await pg.rows("SELECT * FROM join_requests")}
    assert statuses == {"UBS": "pending", "PLG": "pending"}
    assert await pg.outbox("membership.add") == [] and adds(graph) == []
    assert card_updates(connector, DANIEL) == []

    # The one who may decide still can; the person's own actions stay theirs.
    daniel_card = approval_cards(connector, DANIEL)[-1].card
    decided = await execute(client, "membership.approve", execute_data(daniel_card), DANIEL)
    assert "Approved by Daniel Otieno on" in card_text(decided["value"])
    await eventually(lambda: graph.member_ids(GROUPS["PLG"]) == [FRANK.aad_id], "Frank added")
    for verb, data in (
        ("membership.leave", {"cop": "PLG", "confirmed": True, "person_id": FRANK.aad_id}),
        ("membership.make_primary", {"cop": "PLG", "person_id": FRANK.aad_id}),
    ):
        response = await client.submit({"verb": verb, **data}, BRUNO)  # Bruno, posing as Frank
        said = " ".join(response.texts + [card_text(c) for c in response.cards])
        assert "not a member" in said or "You are not" in said, said
    mine = await execute(client, "membership.mine", {"person_id": FRANK.aad_id}, BRUNO)
    assert PLG not in card_text(mine["value"])  # Bruno's communities, not Frank's
    assert await pg.row(
        "SELECT role FROM memberships WHERE person_id = $1 AND cop_id = 'PLG'", FRANK.aad_id
    ) == ("primary",)
    assert await pg.outbox("membership.remove") == []  # nobody was taken out of the group


async def test_missing_or_garbage_request_ids_are_refused_politely(
    pool: ServerPool, pg: Pg, graph: GraphFake, connector: FakeConnector
) -> None:
    server = await pool.start("auth")
    client = server.client(connector)
    card = await ask_to_join_ubs(client, connector)
    base = execute_data(card)
    garbage = [
        {k: v for k, v in base.items() if k != "request_id"},
        {**base, "request_id": ""},
        {**base, "request_id": None},
        {**base, "request_id": 12345},
        {**base, "request_id": ["x"]},
        {**base, "request_id": {"$ne": None}},
        {**base, "request_id": "' OR 1=1 --"},
        {**base, "request_id": "../../../etc/passwd"},
        {**base, "request_id": "x" * 5000},
        {**base, "request_id": uuid.uuid4().hex},
    ]
    for data in garbage:
        for verb in ("membership.approve", "membership.reject", "membership.refresh"):
            body = await execute(client, verb, data, BRUNO)
            assert card_text(body["value"]) == UNKNOWN_REQUEST, (verb, data)
    submitted = await client.submit({"verb": "membership.approve"}, BRUNO)
    assert [card_text(c) for c in submitted.cards] == [UNKNOWN_REQUEST]

    assert (await pg.request())["status"] == "pending"
    actions = await pg.audit_actions()
    assert "membership.approved" not in actions and "membership.rejected" not in actions
    assert adds(graph) == [] and card_updates(connector, BRUNO) == []
    assert not [e for e in server.events("turn.error")] and server.alive
    assert '"level": "error"' not in server.log()


async def test_an_admin_may_decide_for_any_cop(
    pool: ServerPool, pg: Pg, graph: GraphFake, connector: FakeConnector
) -> None:
    server = await pool.start("auth")
    client = server.client(connector)
    plg_request = await frank_asks_to_join_plg(client, connector, pg)
    data = {**execute_data(approval_cards(connector, DANIEL)[-1].card), "request_id": plg_request}

    decided = await execute(client, "membership.approve", data, ERIN)  # no card was sent to her

    assert "Approved by Erin Admin on" in card_text(decided["value"])
    await eventually(lambda: graph.member_ids(GROUPS["PLG"]) == [FRANK.aad_id], "Frank added")
    [approved] = await pg.audit("membership.approved")
    assert approved["actor"] == ERIN.aad_id
    later = await execute(client, "membership.approve", data, DANIEL)
    assert "This request had already been decided." in card_text(later["value"])
    assert adds(graph) == [204]

    report = await client.execute("admin.report", {}, BRUNO)  # not an admin
    assert report.texts == ["The report is for CoP Bot admins only."]
    mine = await client.execute("admin.report", {}, ERIN)
    assert mine.body["type"] == "application/vnd.microsoft.card.adaptive"


async def test_meeting_actions_need_the_meetings_cop(
    pool: ServerPool, pg: Pg, connector: FakeConnector
) -> None:
    server = await pool.start("auth", clock=ANNOUNCE_AT)
    client = server.client(connector)
    asked = await execute(
        client, "meetings_ask", {"occurrence": DEC, "question": "Who works on water?"}, ALICE
    )
    assert "Who works on water?" in card_text(asked["value"])  # anyone may ask
    [question] = await pg.rows("SELECT * FROM meeting_questions")
    not_allowed = f"Only the focal points of {UBS} and CoP Bot admins can do that."

    answered = await client.execute(
        "meetings_answered", {"occurrence": DEC, "question": question["id"]}, DANIEL
    )  # a focal point, of PLG
    assert not_allowed in card_text(answered.body["value"])
    for verb in ("meetings_skip", "meetings_restore"):
        response = await client.execute(verb, {"occurrence": DEC}, DANIEL)
        # the refusal is the clicker's answer (not a "Done." with a message beside it)
        assert response.body["value"] == not_allowed, (verb, response.body)
        assert response.texts == []
    assert (await pg.row("SELECT answered_at FROM meeting_questions"))["answered_at"] is None
    assert await pg.rows("SELECT * FROM meeting_overrides") == []

    skipped = await execute(client, "meetings_skip", {"occurrence": DEC}, ERIN)  # an admin
    assert "Cancelled" in card_text(skipped["value"])
    restored = await execute(client, "meetings_restore", {"occurrence": DEC}, CARMEN)  # UBS
    assert "As planned" in card_text(restored["value"])
    done = await execute(
        client, "meetings_answered", {"occurrence": DEC, "question": question["id"]}, BRUNO
    )
    assert "Answered (marked by Bruno Costa)" in card_text(done["value"])
    forged = await client.execute("meetings_skip", {"occurrence": "UBS:0:1999-01-01T10:00"}, ERIN)
    assert forged.body["value"] == "I can't find the meeting UBS:0:1999-01-01T10:00."


async def test_follow_up_actions_need_the_meetings_cop_and_feedback_is_the_clickers_own(
    pool: ServerPool, pg: Pg, connector: FakeConnector
) -> None:
    after = ANNOUNCE_AT + timedelta(days=7, hours=3)  # the meeting took place
    server = await pool.start("auth", clock=after)
    client = server.client(connector)
    not_allowed = f"Only the focal points of {UBS} and CoP Bot admins can do that."
    forged = {"occurrence": DEC, "recording": "https://x.sharepoint.com/r.mp4", "summary": "x"}
    for verb, data in (
        ("meetings_followup_form", {"occurrence": DEC}),
        ("meetings_followup", forged),
    ):
        response = await client.execute(verb, data, DANIEL)  # a focal point, of PLG
        said = response.body["value"]
        assert not_allowed in (said if isinstance(said, str) else card_text(said)), verb
    assert await pg.rows("SELECT * FROM meeting_followups") == []

    done = await execute(client, "meetings_followup", forged, ERIN)  # an admin
    assert "Shared" in card_text(done["value"])
    form = await execute(client, "meetings_followup_form", {"occurrence": DEC}, CARMEN)  # UBS
    assert "Recording and summary of" in card_text(form["value"])

    rating = {"occurrence": DEC, "rating": "3", "person_id": BRUNO.aad_id}
    await execute(client, "meetings_feedback", rating, ALICE)  # the person id changes nothing
    await execute(client, "meetings_feedback", {**rating, "rating": "5"}, ALICE)
    rows = await pg.rows("SELECT person_id, rating FROM meeting_feedback")
    assert [(r["person_id"], r["rating"]) for r in rows] == [(ALICE.aad_id, 5)]

    health = await client.execute("admin.health", {}, BRUNO)  # not an admin
    assert health.texts == ["The report is for CoP Bot admins only."]
    mine = await client.execute("admin.health", {}, ERIN)
    assert "CoP health" in card_text(mine.body["value"])
