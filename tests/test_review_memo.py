"""The ``object_only`` declaration of a rule, and the engine's reuse of its violations.

A project, goal or indicator rule declared ``object_only`` is checked once per object of a review
call (once per distinct values of the fields it ``reads``); these tests hold the engine to giving exactly the findings it gives when every rule is
checked at every place, and hold each built-in declaration to being true.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perftarget as pt
from perftarget._judge.review import ReviewConfig, RuleContext
from perftarget.exceptions import InvalidValueError
from perftarget.rules import BUILTIN_RULES, DEFAULT_RULES, Rule, RuleSet, Scope, review
from perftarget.testing import department_targets, documents, goals, indicators, project_targets

# The built-in rules with no declaration: every rule checked at every place (with the built-in profiles).
CHECKED_EVERYWHERE = RuleSet(
    (attrs.evolve(rule, object_only=False, reads=()) for rule in BUILTIN_RULES), profiles=DEFAULT_RULES.profiles
)
OBJECT_ONLY = [rule for rule in BUILTIN_RULES if rule.object_only]


def test_the_object_rules_of_the_built_in_set_are_declared():
    # every goal and indicator rule that reads only its object says so (PT403 reads the project's budget)
    undeclared = [r.code for r in BUILTIN_RULES if r.scope in (Scope.GOAL, Scope.INDICATOR) and not r.object_only]
    assert undeclared == ["PT403"]
    # the table rules that read a field or two of the table (the others read its indicators or its path)
    declared = {r.code: r.reads for r in BUILTIN_RULES if r.scope is Scope.PROJECT and r.object_only}
    assert declared == {
        "PT401": ("budget",), "PT402": ("budget",),
        "PT404": ("schedule",), "PT405": ("schedule",), "PT406": ("schedule",),
    }
    assert not any(rule.object_only for rule in CHECKED_EVERYWHERE.rules)


def _variant(indicator: pt.Indicator) -> pt.Indicator:
    """A new indicator with the levels, texts and target (the same objects) of ``indicator``, and other extras."""
    weight = None if indicator.weight is not None else Decimal(5)
    return attrs.evolve(indicator, weight=weight, basis=None if indicator.basis else pt.Basis("工作要求"))


def _repeated(document: pt.Document) -> pt.Document:
    """``document`` with each project twice (the same objects), once more with indicators that share fields
    with its own, and its goals in the department too."""
    projects = document.projects
    department = document.department
    if department is not None and projects:
        # the same goal and indicator objects in a department and in project tables: the department's
        # are not project rows (PT106, PT110, PT203, PT305, PT306 read that), so the memo must tell them apart
        department = attrs.evolve(department, goals=department.goals + projects[0].goals)
    variants = tuple(
        attrs.evolve(p, goals=tuple(attrs.evolve(g, indicators=tuple(map(_variant, g.indicators))) for g in p.goals))
        for p in projects
    )
    return attrs.evolve(document, department=department, projects=projects + projects[::-1] + variants)


@given(documents())
def test_the_memo_gives_the_findings_of_checking_everywhere(document):
    repeated = _repeated(document)
    for doc in (document, repeated):
        assert review(doc, rules=DEFAULT_RULES) == review(doc, rules=CHECKED_EVERYWHERE)
        with_suppressed = review(doc, rules=DEFAULT_RULES, include_suppressed=True)
        assert with_suppressed == review(doc, rules=CHECKED_EVERYWHERE, include_suppressed=True)
    for table in (*document.projects, *([document.department] if document.department else [])):
        assert review(table) == review(table, rules=CHECKED_EVERYWHERE)


def test_the_memo_is_used_for_a_repeated_indicator(seed_path):
    # a custom object_only rule sees each object once, however many places hold it
    seen: list[int] = []

    def count(ctx: RuleContext):
        seen.append(id(ctx.indicator))
        return ()

    counter = Rule(
        code="XX101", severity="info", scope="indicator", title="t", message="m", message_en="m", help="h",
        check=count, object_only=True,
    )
    project = pt.load(seed_path).projects[0]
    twice = pt.Document(projects=(project, project))
    review(twice, rules=RuleSet([counter]))
    assert len(seen) == len(project.indicators) == len(set(seen))


def _same_place_elsewhere(draw: st.DrawFn, obj: object, scope: Scope, *, in_project: bool) -> RuleContext:
    """A context for ``obj`` in a table, goal, document, path and configuration of its own."""
    if scope is Scope.PROJECT:
        others = draw(st.lists(project_targets(), max_size=1))
        document = pt.Document(projects=(*others, obj), department=draw(st.none() | department_targets()))
        return RuleContext(
            document=document,
            config=ReviewConfig(scoring_policy=draw(st.sampled_from(["national-2020", "reverse-linear"]))),
            path=draw(st.sampled_from(["", "projects[2]"])),
            project=obj,
            root=draw(st.sampled_from(["document", "project"])),
        )
    goal = draw(goals())
    goal = attrs.evolve(goal, indicators=(*goal.indicators, obj)) if scope is Scope.INDICATOR else obj
    if in_project:
        table = draw(project_targets())
        table = attrs.evolve(table, goals=(*table.goals, goal))
        document = pt.Document(projects=(table,))
    else:
        department = draw(department_targets())
        department = attrs.evolve(department, goals=(*department.goals, goal))
        document = pt.Document(department=department)
    return RuleContext(
        document=document,
        config=ReviewConfig(scoring_policy=draw(st.sampled_from(["national-2020", "reverse-linear"]))),
        path=draw(st.sampled_from(["", "projects[2].goals[1]", "department.goals[0].indicators[5]"])),
        project=document.projects[0] if in_project else None,
        department=document.department,
        goal=goal,
        indicator=obj if scope is Scope.INDICATOR else None,
        root=draw(st.sampled_from(["document", "project", "department"])),
    )


@pytest.mark.parametrize("rule", [r for r in OBJECT_ONLY if r.scope is not Scope.PROJECT], ids=lambda rule: rule.code)
@settings(max_examples=17)  # per rule (about thirty rules); the profile scales it (5 in dev, 17 in CI)
@given(data=st.data())
def test_an_object_only_rule_reads_only_its_object(rule: Rule, data):
    _holds(rule, data)


@settings(max_examples=50)  # the five table rules on each example (15 in dev, 50 in CI)
@given(data=st.data())
def test_the_object_only_table_rules_read_only_their_fields(data):
    # as above for the table rules: one table, and one other table in another place given the fields each reads
    table, other = data.draw(project_targets()), data.draw(project_targets())
    first = _same_place_elsewhere(data.draw, table, Scope.PROJECT, in_project=True)
    elsewhere = _same_place_elsewhere(data.draw, other, Scope.PROJECT, in_project=True)
    for rule in (r for r in OBJECT_ONLY if r.scope is Scope.PROJECT):
        same = {name: getattr(table, name) for name in rule.reads}
        if "schedule" in same and table.schedule is not None:
            same["year"] = table.year  # a table's plan is for its year
        moved = attrs.evolve(other, **same)
        document = attrs.evolve(elsewhere.document, projects=(*elsewhere.document.projects[:-1], moved))
        second = attrs.evolve(elsewhere, document=document, project=moved)
        assert list(rule.check(first)) == list(rule.check(second)), rule.code


def _holds(rule: Rule, data: st.DataObject) -> None:
    # the declaration is true: the same object in two different places gives the same violations
    in_project = rule.scope is Scope.PROJECT or data.draw(st.booleans())

    def draw_object() -> object:
        if rule.scope is Scope.PROJECT:
            return data.draw(project_targets())
        if rule.scope is Scope.INDICATOR:
            return data.draw(indicators(levels=in_project or data.draw(st.booleans())))
        return data.draw(goals())

    obj = draw_object()
    first = _same_place_elsewhere(data.draw, obj, rule.scope, in_project=in_project)
    if rule.reads:
        # and it reads only the fields it names: another object with those fields gives the same violations
        same = {name: getattr(obj, name) for name in rule.reads}
        if rule.scope is Scope.PROJECT and "schedule" in same and obj.schedule is not None:
            same["year"] = obj.year  # a table's plan is for its year
        obj = attrs.evolve(draw_object(), **same)
    second = _same_place_elsewhere(data.draw, obj, rule.scope, in_project=in_project)
    assert list(rule.check(first)) == list(rule.check(second))


def test_only_a_project_goal_or_indicator_rule_can_be_object_only():
    with pytest.raises(InvalidValueError, match="object_only"):
        attrs.evolve(DEFAULT_RULES["PT111"], object_only=True)  # a document rule
    assert attrs.evolve(DEFAULT_RULES["PT502"], object_only=True).object_only  # a table rule may be
    with pytest.raises(InvalidValueError, match="distinct fields of the project"):
        attrs.evolve(DEFAULT_RULES["PT401"], reads=("budget", "name", "budget"))
    with pytest.raises(InvalidValueError, match="True or False"):
        attrs.evolve(DEFAULT_RULES["PT104"], object_only=1)
    with pytest.raises(InvalidValueError, match="not object_only"):
        attrs.evolve(DEFAULT_RULES["PT104"], object_only=False)
    with pytest.raises(InvalidValueError, match="distinct fields of the indicator"):
        attrs.evolve(DEFAULT_RULES["PT104"], reads=("name", "budget"))


def test_contexts_and_findings_made_by_assignment_are_whole(seed_path):
    # the engine fills contexts and findings slot by slot: every field is set, as __init__ sets it
    from perftarget._judge.review import Finding, _context

    document = pt.load(seed_path)
    findings = review(document)
    assert findings
    for finding in findings:
        assert type(finding) is Finding
        assert finding == Finding(**{field.name: getattr(finding, field.name) for field in attrs.fields(Finding)})
    config = ReviewConfig()
    made = _context(document, config, "projects[0]", document.projects[0], None, None, None, "document")
    assert type(made) is RuleContext
    assert made == RuleContext(document=document, config=config, path="projects[0]", project=document.projects[0])
