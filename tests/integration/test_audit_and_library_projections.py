"""The audit timeline and the standards library read models, on PostgreSQL through the runner."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from commands.clients import (
    AddDecisionMaker,
    ChangeClientProfile,
    RemoveDecisionMaker,
)
from commands.standards import RetireStandard, ReviseStandard
from events.vocabulary import Answer, Rating
from projections.audit_timeline import AuditTimelineProjection
from projections.audit_view import AuditTimelineView
from projections.standards_library import (
    CategorySummary,
    StandardsLibraryProjection,
    StandardsLibraryView,
)
from tests.integration.conftest import live_rows, private_name
from tests.unit.scenario import Scenario

pytestmark = pytest.mark.integration


def timeline(services: Any) -> AuditTimelineView:
    services.catch_up()
    return AuditTimelineView(services.reader)


def library(services: Any) -> StandardsLibraryView:
    services.catch_up()
    return StandardsLibraryView(services.reader)


def revise(scenario: Scenario, standard_id: UUID, reason: str, **changes: Any) -> None:
    scenario.bus.handle(ReviseStandard(standard_id=standard_id, changes=changes, reason=reason),
        scenario.committee)


def reviewed_firewall_and_backup(scenario: Scenario) -> tuple[UUID, UUID, UUID, datetime]:
    """A client whose TAM answers two standards and whose vCIO then rates and completes.

    Returns the client, the firewall and backup standards, and a moment between the two stages.
    """
    firewall = scenario.standard(category="firewalls")
    backup = scenario.standard(category="backup")
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, firewall, Answer.NO)
    scenario.answer(client, review, backup, Answer.YES)
    between = datetime.now(UTC)
    scenario.rate(client, review, firewall, Rating.MARGINAL)
    scenario.complete(client, review)
    return client, firewall, backup, between


def test_a_changed_answer_shows_the_answer_before_and_after(services: Any,
                                                            scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, standard, Answer.YES)
    scenario.answer(client, review, standard, Answer.NO, note="firmware is from 2019")

    latest = timeline(services).timeline(scenario.tenant, client)[0]

    assert (latest.kind, latest.summary) == ("answer_changed",
                                             "Answer to FIR-000 changed from yes to no")
    assert (latest.before, latest.after, latest.reason) == ("yes", "no", "firmware is from 2019")
    assert (latest.actor, latest.standard_id, latest.standard_key, latest.category,
            latest.review_id, latest.standard_revision) == (
        "tom.tam", standard, "FIR-000", "firewalls", review, 1)


def test_the_first_answer_of_a_new_review_is_recorded_against_the_previous_reviews_answer(
        services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    scenario.completed_review(client, {standard: Answer.YES})
    second = scenario.start(client)
    scenario.answer(client, second, standard, Answer.NO)

    latest = timeline(services).timeline(scenario.tenant, client)[0]

    assert (latest.kind, latest.summary, latest.before, latest.after) == (
        "answer_recorded", "Answer to FIR-000 recorded as no (previous review: yes)", "yes", "no")


def test_the_previous_answer_comes_from_the_last_review_that_answered_the_standard(
        services: Any, scenario: Scenario) -> None:
    firewall, backup = scenario.standard(category="firewalls"), scenario.standard(category="backup")
    client = scenario.client()
    scenario.completed_review(client, {firewall: Answer.NOT_APPLICABLE, backup: Answer.YES})
    scenario.completed_review(client, {backup: Answer.NO})
    third = scenario.start(client)
    scenario.answer(client, third, firewall, Answer.YES)

    latest = timeline(services).timeline(scenario.tenant, client)[0]

    assert (latest.kind, latest.before, latest.after) == ("answer_recorded", "not_applicable",
                                                          "yes")


def test_the_timeline_lists_every_client_event_newest_first(services: Any,
                                                            scenario: Scenario) -> None:
    client, _, _, _ = reviewed_firewall_and_backup(scenario)

    entries = timeline(services).timeline(scenario.tenant, client)

    assert [(e.kind, e.summary) for e in entries] == [
        ("review_completed", "Review completed with 2 answers"),
        ("answer_rated", "Answer to FIR-000 rated marginal"),
        ("answer_recorded", "Answer to BAC-001 recorded as yes"),
        ("answer_recorded", "Answer to FIR-000 recorded as no"),
        ("review_started", "Review started covering all categories"),
        ("client_onboarded", "Client Client A onboarded with vCIO vera.vcio and TAM tom.tam"),
    ]
    assert [e.position for e in entries] == sorted((e.position for e in entries), reverse=True)
    assert {(e.aggregate_kind, e.client_id) for e in entries} == {("client", client)}


def test_a_new_rating_shows_the_rating_it_replaces(services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    client = scenario.client()
    review = scenario.start(client)
    scenario.answer(client, review, standard, Answer.NO)
    scenario.rate(client, review, standard, Rating.MARGINAL)
    scenario.rate(client, review, standard, Rating.HIGHLY_VULNERABLE)

    latest = timeline(services).timeline(scenario.tenant, client)[0]

    assert (latest.summary, latest.before, latest.after, latest.actor) == (
        "Rating of the answer to FIR-000 changed from marginal to highly vulnerable",
        "marginal", "highly_vulnerable", "vera.vcio")


def test_a_profile_change_shows_the_old_and_new_values(services: Any, scenario: Scenario) -> None:
    client = scenario.client()
    scenario.bus.handle(ChangeClientProfile(
        client_id=client, changes={"mrr": Decimal("3500.00"), "tam": "tina.tam"}), scenario.vcio)

    latest = timeline(services).timeline(scenario.tenant, client)[0]

    assert (latest.kind, latest.summary) == (
        "profile_changed",
        "Profile changed: mrr from 3000.00 to 3500.00; tam from tom.tam to tina.tam")
    assert (latest.before, latest.after) == ("mrr: 3000.00; tam: tom.tam",
                                             "mrr: 3500.00; tam: tina.tam")


def test_decision_makers_appear_by_id_and_title_but_never_by_name(services: Any,
                                                                 scenario: Scenario) -> None:
    client = scenario.client()
    person = scenario.bus.handle(AddDecisionMaker(
        client_id=client, name="Dana Decider", title="CEO", email="dana@example.com",
        phone="555-0100"), scenario.vcio).created_id
    scenario.bus.handle(RemoveDecisionMaker(
        client_id=client, decision_maker_id=person, reason="left the company"), scenario.vcio)

    removed, added, _ = timeline(services).timeline(scenario.tenant, client)

    assert (added.kind, added.summary, added.decision_maker_id, added.after) == (
        "decision_maker_added", f"Decision maker {person} added as CEO", person, "CEO")
    assert (removed.kind, removed.summary, removed.before, removed.reason) == (
        "decision_maker_removed", f"Decision maker {person} removed", "CEO", "left the company")
    texts = " ".join(str(value) for entry in (added, removed) for value in vars(entry).values())
    assert [word for word in ("Dana", "dana@example.com", "555-0100") if word in texts] == []


def test_the_timeline_narrows_to_one_actor(services: Any, scenario: Scenario) -> None:
    client, _, _, _ = reviewed_firewall_and_backup(scenario)

    entries = timeline(services).timeline(scenario.tenant, client, actor="tom.tam")

    assert [e.summary for e in entries] == ["Answer to BAC-001 recorded as yes",
                                            "Answer to FIR-000 recorded as no",
                                            "Review started covering all categories"]


def test_the_timeline_narrows_to_one_standard(services: Any, scenario: Scenario) -> None:
    client, firewall, _, _ = reviewed_firewall_and_backup(scenario)

    entries = timeline(services).timeline(scenario.tenant, client, standard_id=firewall)

    assert [e.summary for e in entries] == ["Answer to FIR-000 rated marginal",
                                            "Answer to FIR-000 recorded as no"]


def test_the_timeline_narrows_to_one_category(services: Any, scenario: Scenario) -> None:
    client, _, _, _ = reviewed_firewall_and_backup(scenario)

    entries = timeline(services).timeline(scenario.tenant, client, category="backup")

    assert [e.summary for e in entries] == ["Answer to BAC-001 recorded as yes"]


def test_the_timeline_narrows_to_a_period(services: Any, scenario: Scenario) -> None:
    client, _, _, between = reviewed_firewall_and_backup(scenario)
    view = timeline(services)

    after = view.timeline(scenario.tenant, client, since=between)
    before = view.timeline(scenario.tenant, client, until=between)

    assert [e.kind for e in after] == ["review_completed", "answer_rated"]
    assert [e.kind for e in before] == ["answer_recorded", "answer_recorded", "review_started",
                                        "client_onboarded"]


def test_the_timeline_keeps_only_the_newest_entries_up_to_the_limit(services: Any,
                                                                    scenario: Scenario) -> None:
    client, _, _, _ = reviewed_firewall_and_backup(scenario)

    entries = timeline(services).timeline(scenario.tenant, client, limit=2)

    assert [e.kind for e in entries] == ["review_completed", "answer_rated"]


def test_the_committee_trail_shows_each_change_of_a_standard_with_its_reason(
        services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    successor = scenario.standard()
    revise(scenario, standard, "clearer wording", question="Is the firewall firmware current?")
    scenario.bus.handle(RetireStandard(
        standard_id=standard, reason="merged into a broader control", replaced_by=successor),
        scenario.committee)

    entries = timeline(services).standard_timeline(scenario.tenant, standard)

    assert [(e.kind, e.summary, e.before, e.after, e.reason) for e in entries] == [
        ("standard_retired", "Standard FIR-000 retired, replaced by FIR-001", "published",
         "retired", "merged into a broader control"),
        ("standard_revised", "Standard FIR-000 revised to revision 2: question changed;"
         " meaning changed", "question: Is control 0 of firewalls in place?",
         "question: Is the firewall firmware current?", "clearer wording"),
        ("standard_published", "Standard FIR-000 published at revision 1", "draft", "published",
         None),
        ("standard_drafted", "Standard FIR-000 drafted in firewalls", None, "draft", None),
    ]
    assert {(e.aggregate_kind, e.client_id, e.actor) for e in entries} == {
        ("standard", None, "carla.committee")}


def test_revision_history_lists_revisions_in_order_with_reasons_and_text(
        services: Any, scenario: Scenario) -> None:
    standard = scenario.standard()
    revise(scenario, standard, "clearer wording", question="Is the firewall firmware current?")
    revise(scenario, standard, "risk reassessed", priority="low")

    detail = library(services).get_standard(scenario.tenant, standard)

    assert detail is not None
    assert (detail.revision, detail.status, detail.question, detail.priority) == (
        3, "published", "Is the firewall firmware current?", "low")
    assert [(r.revision, r.changed_fields, r.reason, r.meaning_changed, r.decided_by)
            for r in detail.revisions] == [
        (1, (), "drafted", True, "carla.committee"),
        (2, ("question",), "clearer wording", True, "carla.committee"),
        (3, ("priority",), "risk reassessed", False, "carla.committee"),
    ]
    assert [(r.question, r.priority) for r in detail.revisions] == [
        ("Is control 0 of firewalls in place?", "high"),
        ("Is the firewall firmware current?", "high"),
        ("Is the firewall firmware current?", "low"),
    ]


def test_a_retired_standard_names_its_replacement_and_reason(services: Any,
                                                             scenario: Scenario) -> None:
    standard = scenario.standard()
    successor = scenario.standard()
    scenario.bus.handle(RetireStandard(
        standard_id=standard, reason="merged into a broader control", replaced_by=successor),
        scenario.committee)

    detail = library(services).get_standard(scenario.tenant, standard)

    assert detail is not None
    assert (detail.status, detail.replaced_by, detail.retired_reason) == (
        "retired", successor, "merged into a broader control")


def test_the_library_lists_standards_by_category_and_status(services: Any,
                                                           scenario: Scenario) -> None:
    scenario.standard(category="firewalls")
    scenario.standard(category="firewalls", publish=False)
    scenario.standard(category="backup")
    view = library(services)

    firewalls = view.list_standards(scenario.tenant, category="firewalls")
    drafts = view.list_standards(scenario.tenant, status="draft")
    everything = view.list_standards(scenario.tenant)

    assert [(s.key, s.status) for s in firewalls] == [("FIR-000", "published"),
                                                     ("FIR-001", "draft")]
    assert [s.key for s in drafts] == ["FIR-001"]
    assert [s.key for s in everything] == ["BAC-002", "FIR-000", "FIR-001"]


def test_categories_count_published_standards_and_leave_out_retired_ones(
        services: Any, scenario: Scenario) -> None:
    scenario.standard(category="firewalls")
    scenario.standard(category="firewalls", publish=False)
    scenario.standard(category="backup")
    scenario.standard(category="backup")
    scenario.retire(scenario.standard(category="email"))

    categories = library(services).categories(scenario.tenant)

    assert categories == [CategorySummary("backup", 2, 0), CategorySummary("firewalls", 1, 1)]


def test_another_tenant_sees_none_of_the_records(services: Any, scenario: Scenario) -> None:
    client, firewall, _, _ = reviewed_firewall_and_backup(scenario)
    other = f"{scenario.tenant}-other"
    audit, standards = timeline(services), library(services)

    assert audit.timeline(other, client) == []
    assert audit.standard_timeline(other, firewall) == []
    assert standards.get_standard(other, firewall) is None
    assert standards.list_standards(other) == []
    assert standards.categories(other) == []


def test_a_timeline_rebuilt_from_the_log_equals_the_live_one(
        services: Any, scenario: Scenario, private_projectors: Any) -> None:
    reviewed_firewall_and_backup(scenario)
    services.catch_up()
    rebuilt = type("RebuiltTimeline", (AuditTimelineProjection,),
                   {"name": private_name("audit")})()

    private_projectors(rebuilt).catch_up()

    assert live_rows(services.database.conninfo, rebuilt.name) == live_rows(
        services.database.conninfo, AuditTimelineProjection.name)
    assert services.reader.dead_letters(AuditTimelineProjection.name) == []
    assert services.reader.dead_letters(StandardsLibraryProjection.name) == []
