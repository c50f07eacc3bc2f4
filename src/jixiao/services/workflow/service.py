"""Workflow use-cases: move a project through the approval steps with an approver stamp.

``transition(session, actor, project_id, "dept_return", comment="…", version=3)``

* every step records a :class:`~jixiao.db.models.Transition` (who, when, from → to, comment)
  and an audit entry;
* 退回 and 调整 require a comment (the reason); an approval over open findings requires the
  reviewer's confirmation that they read them (``findings_seen``, the page's 我已查看);
* nobody approves a round they submitted or approved before (:mod:`.duties`);
* 财政审核通过 keeps the approved version; 调整 starts a new edition (the approved one stays
  visible among the versions) and reopens the project as a draft;
* the status is read under a row lock and moved by a conditional update (see
  :mod:`jixiao.services.projects.locking`): of concurrent steps from one status exactly one
  moves the project, the others get 409 with the status it now has.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from jixiao.db.models import Project, Transition
from jixiao.services import audit, library
from jixiao.services.errors import InvalidTransition, NotFound, ValidationFailed
from jixiao.services.principal import Principal
from jixiao.services.projects import repository
from jixiao.services.projects.locking import check_version, lock_project, move_status
from jixiao.services.projects.schemas import TransitionOut
from jixiao.services.projects.snapshot import keep_version
from jixiao.services.reviews.service import blocking_findings, open_finding_count
from jixiao.services.scope import Action, project_for
from jixiao.services.workflow import duties
from jixiao.services.workflow.rules import RULES, Rule

# The approvals taken over open findings only with the reviewer's 我已查看.
APPROVALS = frozenset({"dept_approve", "finance_approve"})


def _rule(action: str) -> Rule:
    rule = RULES.get(action)
    if rule is None:
        raise NotFound(f"未知的流程操作“{action}”")
    return rule


def transition(
    session: Session,
    actor: Principal,
    project_id: int,
    action: str,
    comment: str | None = None,
    version: int | None = None,
    findings_seen: bool = False,
) -> TransitionOut:
    """Apply workflow ``action`` to a project; ``version`` (if given) must be current. An
    approval over open findings needs ``findings_seen`` (the reviewer ticked 我已查看)."""
    rule = _rule(action)
    project_for(session, actor, project_id, rule.permission)
    project = lock_project(session, project_id)
    if version is not None:
        check_version(project.version, version)
    if project.status not in rule.sources:
        raise _not_now(project, rule)
    duties.check(session, actor, project, rule.action)
    comment = (comment or "").strip() or None
    if rule.comment_required and comment is None:
        raise ValidationFailed(f"“{rule.label}”必须填写意见或原因", fields={"comment": "必填"})
    if rule.action == "submit":
        _refuse_open_blocking_findings(session, project.id)
    if rule.action in APPROVALS and not findings_seen:
        _confirm_open_findings(session, project.id)
    return _apply(session, actor, project, rule, comment)


def _refuse_open_blocking_findings(session: Session, project_id: int) -> None:
    """Submitting needs every finding of a blocking severity (review profile) fixed or waived."""
    open_ = blocking_findings(session, project_id)
    if not open_:
        return
    rules = "、".join(dict.fromkeys(f.rule for f in open_))
    severities = "、".join(dict.fromkeys(f"“{f.severity.label}”" for f in open_))
    raise ValidationFailed(
        f"还有 {len(open_)} 条{severities}级审核问题未处理（{rules}），不能提交："
        "请先修改，或请审核人员说明理由后豁免（unresolved blocking findings）",
        fields={"findings": rules},
    )


def _confirm_open_findings(session: Session, project_id: int) -> None:
    """A reviewer approves over open findings only after confirming they have read them."""
    count = open_finding_count(session, project_id)
    if count:
        raise ValidationFailed(
            f"本项目还有 {count} 条未处理的审核问题：请查看后勾选“我已查看”，再决定是否通过"
            "（confirm open findings）",
            fields={"findings_seen": "请确认"},
        )


def _not_now(project: Project, rule: Rule) -> InvalidTransition:
    return InvalidTransition(
        f"项目当前为“{project.status.label}”，不能执行“{rule.label}”",
        current={"status": project.status.value, "version": project.version},
    )


def _apply(
    session: Session, actor: Principal, project: Project, rule: Rule, comment: str | None
) -> TransitionOut:
    before = project.status
    edition = project.edition + 1 if rule.action == "adjust" else project.edition
    if not move_status(session, project, rule.target, edition=edition):
        raise _not_now(lock_project(session, project.id), rule)
    row = Transition(
        project_id=project.id,
        action=rule.action,
        from_status=before,
        to_status=rule.target,
        comment=comment,
        actor_id=actor.id,
        actor_name=actor.label,
        edition=project.edition,
    )
    session.add(row)
    session.flush()
    if rule.action == "finance_approve":
        keep_version(session, actor, project, "approved", comment)
    elif rule.action == "adjust":
        keep_version(session, actor, project, "adjustment", comment)
    library.refresh_project(session, project.id)
    audit.record(
        session,
        actor,
        f"workflow.{rule.action}",
        ("project", project.id),
        before={"status": before.value},
        after={"status": rule.target.value},
        reason=comment,
        project_id=project.id,
    )
    return TransitionOut.model_validate(row)


def history(session: Session, actor: Principal, project_id: int) -> list[TransitionOut]:
    """The approver stamps of a project, oldest first."""
    project_for(session, actor, project_id, Action.VIEW)
    return [TransitionOut.model_validate(t) for t in repository.transitions(session, project_id)]
