"""Use-cases per aggregate; no web framework imports. Services flush, callers commit.

Every use-case takes ``(session, actor, ...)``: a SQLAlchemy ``Session`` and the acting
:class:`~jixiao.services.principal.Principal`. Services never commit — the request (web) or the
command (CLI) commits once, so each call is all-or-nothing. Errors are
:class:`~jixiao.services.errors.AppError` subclasses with ``status_code``, ``code``, a Chinese
``message`` and ``fields`` (per-field messages for forms). Authorization is decided only in
:mod:`jixiao.services.scope` (``authorize``, ``project_for``, ``scope_projects``).

Map of the API (module → functions):

* ``users.auth`` — ``login(session, username, password, settings, address) -> LoginResult``
  (throttled per account and address, audited; token for the HttpOnly cookie ``SESSION_COOKIE``
  + csrf_token), ``logout(session, token)``, ``principal_from_session(session, token,
  settings)`` (idle and absolute limits), ``session_row`` (csrf), ``create_api_token`` (expires),
  ``list_api_tokens``, ``principal_from_api_token``, ``revoke_api_token``.
* ``users.service`` — ``create_user``, ``update_user``, ``set_password`` (password policy;
  sessions and tokens end), ``change_own_password`` (asks for the current one), ``unlock``,
  ``list_users``, ``get_user``.
* ``orgs.service`` — ``list_orgs(session, actor)``, ``create_org``, ``fiscal_year``.
* ``projects.service`` — ``list_projects(session, actor, ProjectFilters, PageParams) ->
  Page[ProjectSummary]``, ``get_project(...) -> ProjectDetail`` (with findings, repairs,
  warnings, transitions, versions and ``allowed`` actions), ``update_project(..., ProjectUpdate)``
  (names ``version``; 409 when stale, 409 ``locked`` when submitted/approved; ``org_id``
  assigns the project to a unit of its department),
  ``list_versions``, ``get_version``, ``compare_versions``.
* ``indicators.service`` — ``create_indicator``, ``update_indicator`` (names the indicator
  ``version``), ``delete_indicator``, ``reorder_indicators``, ``move_indicator``, ``get_indicator``;
  ``indicators.validation.to_domain`` validates a form against the framework and the grammar.
* ``workflow.service`` — ``transition(session, actor, project_id, action, comment, version)``
  (nobody approves a round they took part in: ``workflow.duties``) with actions ``submit``,
  ``dept_approve``, ``dept_return``, ``finance_approve``, ``finance_return``, ``publish``,
  ``adjust`` (see ``workflow.rules``); ``history``.
* ``imports.service`` — ``preview_import(session, actor, Upload)`` (no writes) and
  ``apply_import(session, actor, Upload)``; ``Upload(data, filename, year, department)``.
* ``reviews.service`` — ``list_findings``, ``waive(session, actor, finding_id, reason)``,
  ``rerun(session, actor, project_id)``.
* ``audit`` — ``record`` (called by every write), ``list_for_project``, ``list_for_object``,
  ``list_for_user``.
"""
