"""The ``object_only`` declaration of a rule, and the engine's reuse of its violations.

A project, goal or indicator rule declared ``object_only`` is checked once per object of a review
call (once per distinct values of the fields it ``reads``); these tests hold the engine to giving exactly the findings it gives when every rule is
checked at every place, and hold each built-in declaration to being true.
"""

from __future__ import annotations

from collections.abc import Callable
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


def _place(draw: st.DrawFn, scope: Scope, *, in_project: bool) -> Callable[[object], RuleContext]:
    """Surroundings of their own (a table, goal, document, path and configuration), drawn once: a
    function that puts any object of ``scope`` into them."""
    policy = draw(st.sampled_from(["national-2020", "reverse-linear"]))
    if scope is Scope.PROJECT:
        others = draw(st.lists(project_targets(), max_size=1))
        department = draw(st.none() | department_targets())
        path = draw(st.sampled_from(["", "projects[2]"]))
        root = draw(st.sampled_from(["document", "project"]))

        def table_context(obj: object) -> RuleContext:
            return RuleContext(
                document=pt.Document(projects=(*others, obj), department=department),
                config=ReviewConfig(scoring_policy=policy), path=path, project=obj, root=root,
            )

        return table_context
    goal = draw(goals())
    table = draw(project_targets()) if in_project else draw(department_targets())
    path = draw(st.sampled_from(["", "projects[2].goals[1]", "department.goals[0].indicators[5]"]))
    root = draw(st.sampled_from(["document", "project", "department"]))

    def context(obj: object) -> RuleContext:
        placed = attrs.evolve(goal, indicators=(*goal.indicators, obj)) if scope is Scope.INDICATOR else obj
        holder = attrs.evolve(table, goals=(*table.goals, placed))
        document = pt.Document(projects=(holder,)) if in_project else pt.Document(department=holder)
        return RuleContext(
            document=document,
            config=ReviewConfig(scoring_policy=policy),
            path=path,
            project=document.projects[0] if in_project else None,
            department=document.department,
            goal=placed,
            indicator=obj if scope is Scope.INDICATOR else None,
            root=root,
        )

    return context


def _object_of(draw: st.DrawFn, scope: Scope, *, in_project: bool) -> Callable[[], object]:
    if scope is Scope.PROJECT:
        return lambda: draw(project_targets())
    if scope is Scope.INDICATOR:
        with_levels = in_project or draw(st.booleans())
        return lambda: draw(indicators(levels=with_levels))
    return lambda: draw(goals())


@pytest.mark.parametrize("scope", [Scope.GOAL, Scope.INDICATOR, Scope.PROJECT], ids=lambda scope: scope.value)
@settings(max_examples=60)  # every object-only rule of the scope on each example (18 in dev, 60 in CI)
@given(data=st.data())
def test_the_object_only_rules_read_only_their_object(scope: Scope, data):
    # the declaration is true: the same object in two different places gives the same violations, and a
    # rule that names the fields it reads gives them for another object with those fields
    rules = [rule for rule in OBJECT_ONLY if rule.scope is scope]
    in_project = scope is Scope.PROJECT or data.draw(st.booleans())
    draw_object = _object_of(data.draw, scope, in_project=in_project)
    obj, other = draw_object(), draw_object()
    here = _place(data.draw, scope, in_project=in_project)
    elsewhere = _place(data.draw, scope, in_project=in_project)
    first, second = here(obj), elsewhere(obj)
    for rule in rules:
        assert list(rule.check(first)) == list(rule.check(second)), rule.code
        if rule.reads:
            same = {name: getattr(obj, name) for name in rule.reads}
            if scope is Scope.PROJECT and "schedule" in same and obj.schedule is not None:
                same["year"] = obj.year  # a table's plan is for its year
            moved = elsewhere(attrs.evolve(other, **same))
            assert list(rule.check(first)) == list(rule.check(moved)), rule.code


def test_every_object_only_rule_is_held_to_its_declaration():
    # the property above covers the rules of these scopes, and each of them has at least one rule
    assert {rule.scope for rule in OBJECT_ONLY} == {Scope.GOAL, Scope.INDICATOR, Scope.PROJECT}


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
