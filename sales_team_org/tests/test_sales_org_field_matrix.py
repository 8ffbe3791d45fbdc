"""Every field of the add-on, every role, over real XML-RPC: what is not allowed here is refused
and changes nothing.

For each model of the add-on and each of its stored fields (and the fields it adds to Odoo's
models), each role writes the field on each record of the model: its own, one in its scope, one
out of it, one of another company. The allow-list below says who may, by a rule per field; a field
without a rule fails the test, so that every later feature falls under it. Creating (as oneself,
for someone else, in a unit or company not one's own, for a day to come, already decided),
deleting and every public method of the add-on's models are tried the same way.

Each attempt runs inside a savepoint rolled back afterwards: the cells do not depend on each other.
"""
import inspect
import xmlrpc.client
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import PNG, SalesOrgCommon

ROLES = ("rep", "clerk", "manager", "regional", "director", "admin", "outsider")
LEADERS_OF_REP = {"manager", "regional", "director", "admin"}  # above the rep's approver (the supervisor)
MAGIC = {"id", "display_name", "create_uid", "create_date", "write_uid", "write_date", "__last_update"}
MAIL_FIELDS = {"message_follower_ids", "message_ids", "activity_ids", "website_message_ids"}
# XML-RPC fault codes of a refusal: a user error (validation included), access denied, an access
# error. Code 1 is an application error (a TypeError…): a bug, never a refusal.
REFUSALS = (2, 3, 4)
# A group robot's webhook: a closed port of this machine, so that a test message fails at once
# and nothing leaves it; with either app's parameter, so that its app may change
ROBOT_URL = "http://127.0.0.1:9/robot/send?access_token=t&key=t"


# Who may write a field, given a cell: the role trying and the facts of the record.
def nobody(cell):
    return False


def sales_admin(cell):
    """Configuration: the sales administrator, in their company (shared catalogues have none)."""
    return cell["role"] == "admin" and cell["company"] in ("A", None)


def author_of_draft(cell):
    return cell["role"] == cell["author"] and cell["state"] in ("draft", "returned")


def reviewer(cell):
    return cell["state"] == "submitted" and cell["role"] in cell["reviewers"]


def delegator(cell):
    """A delegation: the leader who names their delegate, or the sales administrator."""
    return cell["role"] == cell["author"] or sales_admin(cell)


def traveller_after_trip(cell):
    """After an approved trip its traveller writes the actual costs and the visits' results."""
    return cell["role"] == cell["author"] and cell["state"] in ("draft", "returned", "approved")


def classifier(cell):
    return cell["role"] in cell["classifiers"]


def creator(cell):
    return cell["role"] == cell["author"]


def meeting_organiser(cell):
    """A weekly meeting's chair, note-taker and time: the unit's manager, a leader above or the
    sales administrator, while the minutes are a draft."""
    return cell["state"] == "draft" and cell["role"] in cell["organisers"]


def meeting_editor(cell):
    """The minutes: the organisers, the chair and the note-taker, while a draft."""
    return cell["state"] == "draft" and cell["role"] in cell["editors"]


def item_editor(cell):
    """An action item's owner and deadline: who may write its meeting's minutes, while the item
    is open; what it says, only while the minutes are a draft."""
    return cell["state"] == "open" and cell["role"] in cell["editors"]


def item_decision(cell):
    return item_editor(cell) and cell["meeting_state"] == "draft"


def scorecard_rater(cell):
    """A scorecard's teamwork: a leader above its person or the sales administrator, while to review."""
    return cell["state"] == "draft" and cell["role"] in cell["raters"]


def target_setter(cell):
    """A target: a leader above its unit or person, or the sales administrator, while a draft."""
    return cell["state"] == "draft" and cell["role"] in cell["setters"]


def sample_sender(cell):
    """A sample's carrier and tracking number: its author, until it is followed up."""
    return cell["role"] == cell["author"] and cell["state"] in ("draft", "sent")


def sample_follower(cell):
    """The customer's feedback on a sample: its author, while it waits for the follow-up."""
    return cell["role"] == cell["author"] and cell["state"] == "sent"


def visit_recorder(cell):
    return cell["role"] == cell["author"] and cell["state"] == "planned"


def visit_outcome(cell):
    """What came of a visit: its recorder, before and after it is received."""
    return cell["role"] == cell["author"] and cell["state"] in ("planned", "done")
def author_of_new(cell):
    """Market information: its author's while nobody has acknowledged it."""
    return cell["role"] == cell["author"] and cell["state"] == "new"


def competitor_keeper(cell):
    """A competitor: the leaders of its company, or the sales administrator (the shared ones his only)."""
    return sales_admin(cell) or cell["company"] == "A" and cell["role"] in ("manager", "regional", "director")
def order_follower(cell):
    """A confirmed order's production: who may change the order and follows it (its salesperson,
    the people of its unit, the leaders above it)."""
    return cell["state"] == "sale" and cell["role"] in cell.get("followers", ())
def complaint_worker(cell):
    """A complaint's cause, resolution and actions: its service unit's people, the leaders above
    it and the sales administrator, while it is open or in progress."""
    return cell["state"] in ("open", "in_progress") and cell["role"] in cell["workers"]


WORKFLOW = {"user_id", "company_id", "name", "state", "approver_id", "reviewer_id", "review_date", "submit_date",
            "read_by_id", "read_date", *MAIL_FIELDS}
ALLOW = {
    # Daily reports and monthly summaries: the author writes their draft, the reviewer their
    # comment, the workflow everything else (state, dates, approver, figures, author, day…).
    **{("sales.daily.report", f): nobody for f in WORKFLOW | {
        "date", "reminded", "urged_date", "call_count", "visit_count", "customer_count", "new_customer_count", "quotation_count",
        "order_count", "order_amount"}},
    **{("sales.daily.report", f): author_of_draft for f in ("diary", "team_id", "line_ids", "answer_ids")},
    ("sales.daily.report", "review_comment"): reviewer,
    **{("sales.monthly.summary", f): nobody for f in WORKFLOW | {
        "month", "people_count", "report_count", "submitted_count", "call_count", "customer_count",
        "new_customer_count", "quotation_count", "order_count", "order_amount"}},
    **{("sales.monthly.summary", f): author_of_draft for f in ("results", "problems", "next_month_plan")},
    ("sales.monthly.summary", "review_comment"): reviewer,
    # A call of a report: its author's while the report is a draft; the customer's
    # classification is the leaders' (through the customer's own rule)
    **{("sales.daily.report.line", f): nobody for f in (
        "report_id", "user_id", "date", "company_id", "message_id", "activity_scheduled", "check_in_date")},
    **{("sales.daily.report.line", f): author_of_draft for f in (
        "sequence", "lead_id", "partner_id", "contact_name", "channel", "duration", "subject", "result",
        "next_step", "next_step_date", "photo_ids", "check_in_latitude", "check_in_longitude",
        "check_in_accuracy", "satisfaction")},
    # A section of the report's template: its author's text while a draft; where it belongs, the server's
    ("sales.daily.report.answer", "body"): author_of_draft,
    **{("sales.daily.report.answer", f): nobody for f in (
        "report_id", "section_id", "sequence", "user_id", "date", "company_id")},
    ("sales.daily.report.line", "classification"): classifier,
    # The organisation: configured by the sales administrator; the tree's own bookkeeping by nobody
    **{("crm.team", f): sales_admin for f in (
        "parent_id", "child_ids", "unit_type", "sales_channel", "region_id", "product_category_ids",
        "headcount_ids")},
    **{("crm.team", f): nobody for f in ("parent_path", "complete_name")},
    **{("crm.team.member", f): sales_admin for f in ("role_id", "crm_team_id")},
    **{("crm.team.member", f): nobody for f in ("parent_member_id", "child_member_ids")},
    **{("sales.org.role", f): sales_admin for f in (
        "name", "code", "sequence", "active", "level", "parent_id", "description", "duty_ids", "access_level",
        "daily_report_at_top", "headcount_ids", "member_ids", "report_section_ids")},
    **{("sales.daily.report.section", f): sales_admin for f in ("name", "sequence", "active", "placeholder")},
    **{("sales.org.role.duty", f): sales_admin for f in ("role_id", "sequence", "name", "kind")},
    **{("sales.org.region", f): sales_admin for f in (
        "name", "code", "sequence", "active", "country_id", "state_ids", "team_ids")},
    **{("sales.org.headcount", f): sales_admin for f in ("team_id", "role_id", "planned_count")},
    ("sales.org.headcount", "company_id"): nobody,
    # Customers and leads: the region follows the province, the classification goes through Classify
    **{("res.partner", f): nobody for f in ("sales_region_id", "sales_classification", "sales_classification_ids")},
    ("crm.lead", "sales_region_id"): nobody,
    ("res.country.state", "sales_region_id"): nobody,  # through the region, by the sales administrator
    # Written by the add-on only
    **{("sales.customer.classification", f): nobody for f in (
        "partner_id", "company_id", "classification", "previous_classification", "reason", "user_id")},
    **{("sales.daily.digest", f): nobody for f in ("user_id", "date", "company_id")},
    **{("sales.org.assignment", f): nobody for f in (
        "member_id", "user_id", "team_id", "role_id", "company_id", "date_from", "date_to")},
    ("sale.report", "sales_region_id"): nobody,  # a column of Odoo's sales analysis
    **{("sales.org.figure", f): nobody for f in (
        "kind", "date", "user_id", "team_id", "company_id", "partner_id", "lead_id", "order_id", "customer_ref",
        "call_count", "visit_count", "new_customer_count", "quotation_count", "order_count", "order_amount")},
    # set when a call or meeting is marked done, with what was typed on it
    **{("mail.message", f): nobody for f in ("sales_activity_done", "sales_activity_text")},
    ("sale.order", "sales_quotation_sent_date"): nobody,  # set when a quotation is sent
    **{("sales.daily.report.status", f): nobody for f in (
        "date", "user_id", "team_id", "company_id", "role_id", "report_id", "state", "is_submitted", "call_count",
        "order_amount")},
    # Assistants: their creator's
    **{("sales.customer.classify", f): creator for f in ("partner_id", "classification", "reason")},
    **{("sales.daily.report.export", f): creator for f in ("report_ids", "date_from", "date_to", "team_id", "sheet_by")},
    # Settings: Odoo's administrators only, none of the sales roles
    **{("res.config.settings", f): nobody for f in ("sales_report_reminder_hour", "sales_report_digest_hour")},
    ("res.company", "sales_org_default_team_id"): nobody,  # through the settings
    ("res.company", "sales_org_approval_hours"): nobody,  # through the settings
    # The approval engine: its steps are its own record of the way up; the limits are the
    # sales administrator's; a delegation, its leader's
    **{("sales.org.approval.step", f): nobody for f in (
        "res_model", "res_id", "requester_id", "company_id", "round", "sequence", "leader_id", "approver_id", "state",
        "note", "amount", "limit", "decided_by_id", "decided_date", "comment", "reminded_date")},
    ("sales.daily.report", "approval_step_ids"): nobody,
    ("sales.monthly.summary", "approval_step_ids"): nobody,
    **{("sales.org.role.limit", f): sales_admin for f in ("role_id", "kind", "limit")},
    ("sales.org.role", "limit_ids"): sales_admin,
    **{("sales.org.delegation", f): delegator for f in ("delegate_id", "date_from", "date_to", "active", "note")},
    ("sales.org.delegation", "user_id"): sales_admin,
    ("sales.org.delegation", "company_id"): nobody,
    # Business trips: the traveller writes their request while it is theirs, the results and
    # actual costs once approved; the approver their comment; the engine everything else
    **{("sales.business.trip", f): nobody for f in WORKFLOW - {"read_by_id", "read_date"} | {
        "approval_step_ids", "budget", "actual_amount", "difference", "late_approval_flagged"}},
    **{("sales.business.trip", f): author_of_draft for f in (
        "name", "team_id", "date_start", "date_end", "region_id", "cities", "plan", "visit_ids", "cost_ids")},
    ("sales.business.trip", "review_comment"): reviewer,
    **{("sales.business.trip.visit", f): nobody for f in ("trip_id", "user_id", "company_id", "report_line_id")},
    **{("sales.business.trip.visit", f): author_of_draft for f in (
        "sequence", "visit_date", "partner_id", "lead_id", "purpose")},
    ("sales.business.trip.visit", "result"): traveller_after_trip,
    **{("sales.business.trip.cost", f): nobody for f in ("trip_id", "user_id", "company_id")},
    **{("sales.business.trip.cost", f): author_of_draft for f in ("sequence", "cost_type", "expected_amount")},
    **{("sales.business.trip.cost", f): traveller_after_trip for f in ("actual_amount", "description")},
    # Price reductions: the requester writes the reason; the lines are the prices it saw, the
    # quotation, unit and company are the quotation's: nobody's to write
    **{("sales.price.reduction", f): nobody for f in WORKFLOW - {"read_by_id", "read_date", "name"} | {
        "approval_step_ids", "line_ids", "order_id", "team_id"}},
    ("sales.price.reduction", "reason"): author_of_draft,
    ("sales.price.reduction", "review_comment"): reviewer,
    **{("sales.price.reduction.line", f): nobody for f in (
        "reduction_id", "company_id", "sequence", "order_line_id", "product_id", "product_uom_id", "quantity",
        "list_price", "price_unit", "line_discount", "price", "discount", "limit", "cost")},
    # Weekly meetings: the organisers set the chair, the note-taker and the time, the minutes'
    # writers fill them while a draft; the organisation everything else; confirmed minutes are nobody's
    **{("sales.meeting", f): nobody for f in MAIL_FIELDS | {
        "name", "team_id", "company_id", "week_start", "event_id", "guest_ids", "figure_ids", "figures_date",
        "state", "revision", "previous_id", "confirmed_date", "confirmed_by_id", "carried_action_ids"}},
    **{("sales.meeting", f): meeting_organiser for f in ("chair_id", "note_taker_id", "start", "duration")},
    **{("sales.meeting", f): meeting_editor for f in (
        "attendee_ids", "problem_ids", "next_week_plan", "recognition", "notes", "action_ids")},
    **{("sales.meeting.attendee", f): nobody for f in ("meeting_id", "user_id", "is_guest")},
    **{("sales.meeting.attendee", f): meeting_editor for f in ("attendance", "note", "is_present")},
    **{("sales.meeting.figure", f): nobody for f in (
        "meeting_id", "user_id", "call_count", "visit_count", "customer_count", "new_customer_count",
        "quotation_count", "order_count", "order_amount", "report_due", "report_submitted")},
    ("sales.meeting.problem", "meeting_id"): nobody,
    **{("sales.meeting.problem", f): meeting_editor for f in ("sequence", "problem", "solution", "user_id")},
    **{("sales.meeting.action", f): nobody for f in MAIL_FIELDS | {
        "meeting_id", "team_id", "company_id", "week_start", "state", "done_date", "activity_id", "overdue_count",
        "escalated"}},
    **{("sales.meeting.action", f): item_editor for f in ("user_id", "date_deadline")},
    ("sales.meeting.action", "name"): item_decision,
    **{("crm.team", f): sales_admin for f in ("meeting_weekday", "meeting_hour", "meeting_duration")},
    # Training: programmes are the sales administrator's; enrolments and their steps change only
    # through their actions (enrol, start, mark done, sign off, cancel)
    ("sales.org.role", "training_required"): sales_admin,
    **{("sales.training.program", f): sales_admin for f in MAIL_FIELDS - {"activity_ids"} | {
        "name", "role_id", "active", "company_id", "description", "step_ids"}},
    **{("sales.training.program.step", f): sales_admin for f in (
        "program_id", "sequence", "name", "step_type", "day_offset", "duration_days", "trainer", "trainer_role_id",
        "assessment", "attachment_ids", "description")},
    **{("sales.training.enrolment", f): nobody for f in MAIL_FIELDS | {
        "name", "user_id", "program_id", "team_id", "company_id", "date_start", "state", "progress", "date_done",
        "step_ids"}},
    **{("sales.training.enrolment.step", f): nobody for f in MAIL_FIELDS | {
        "enrolment_id", "program_step_id", "user_id", "company_id", "sequence", "name", "step_type", "date_start",
        "date_end", "trainer_id", "state", "attempt", "result", "result_comment", "signed_by_id", "signed_date",
        "reminded_state"}},
    **{("sales.training.sign.off", f): creator for f in ("step_id", "result", "comment")},
    # Targets: set by a leader above their unit or person while a draft; agreed, locked; the
    # actual is the figures', kept by the scheduled action when the period ends
    ("sales.org.figure", "invoiced_amount"): nobody,
    **{("sales.target", f): target_setter for f in (
        "target_type", "team_id", "user_id", "metric", "period_type", "date_from", "date_to", "amount", "note",
        "parent_id")},
    **{("sales.target", f): nobody for f in MAIL_FIELDS - {"activity_ids"} | {
        "name", "company_id", "breakdown", "state", "agreed_by_id", "agreed_date", "closed_actual", "is_closed",
        "child_ids"}},  # a target's children are set on each of them, by the breakdown
    **{("sales.target.analysis", f): nobody for f in (
        "target_id", "parent_id", "target_type", "team_id", "user_id", "company_id", "metric", "period_type",
        "date_from", "date_to", "state", "amount", "actual", "gap")},
    **{("sales.target.unlock", f): creator for f in ("target_ids", "reason")},
    **{("sales.target.breakdown", f): creator for f in ("target_id", "split", "period_type", "method", "line_ids")},
    **{("sales.target.breakdown.line", f): creator for f in (
        "wizard_id", "sequence", "target_type", "team_id", "user_id", "period_type", "date_from", "date_to",
        "period_label", "weight", "last_year_actual", "amount", "existing_target_id", "can_set")},
    **{("sales.target.export", f): creator for f in ("date_from", "date_to", "period_type", "metric", "team_ids")},
    # Regional plans: the author writes theirs while a draft or returned, the approver their comment
    **{("sales.regional.plan", f): nobody for f in WORKFLOW - {"read_by_id", "read_date", "name"} | {
        "approval_step_ids"}},
    **{("sales.regional.plan", f): author_of_draft for f in (
        "name", "team_id", "period_type", "date_from", "date_to", "actions", "resources", "budget", "milestone_ids")},
    ("sales.regional.plan", "review_comment"): reviewer,
    **{("sales.regional.plan.milestone", f): nobody for f in MAIL_FIELDS | {
        "plan_id", "date_done", "state", "company_id", "plan_state", "flagged"}},
    **{("sales.regional.plan.milestone", f): author_of_draft for f in ("sequence", "name", "user_id", "date_deadline")},
    # Performance: slips are written by a leader above the person and decided through the engine;
    # their reasons and the scorecard weights are the sales administrator's
    **{("sales.slip", f): nobody for f in WORKFLOW - {"read_by_id", "read_date", "name"} | {"approval_step_ids"}},
    **{("sales.slip", f): author_of_draft for f in (
        "kind", "person_id", "team_id", "date", "reason_id", "description", "points", "amount")},
    ("sales.slip", "review_comment"): reviewer,
    **{("sales.slip.reason", f): sales_admin for f in (
        "name", "kind", "points", "amount", "description", "sequence", "active", "company_id")},
    **{("sales.scorecard.weight", f): sales_admin for f in ("role_id", "criterion", "weight", "sequence")},
    ("sales.org.role", "scorecard_weight_ids"): sales_admin,
    **{("sales.org.figure", f): nobody for f in ("satisfaction_sum", "satisfaction_count")},
    # Scorecards: made and computed by the scheduled action; a leader above the person rates the
    # teamwork, the person comments, while to review; confirmed, nobody's
    **{("sales.scorecard", f): nobody for f in MAIL_FIELDS - {"activity_ids"} | {
        "name", "user_id", "team_id", "region_id", "role_id", "company_id", "period_type", "date_from", "date_to",
        "sales_amount", "target_amount", "achievement", "last_year_amount", "growth", "satisfaction",
        "satisfaction_count", "slip_points", "sales_score", "growth_score", "satisfaction_score", "teamwork_score",
        "slips_score", "score", "rank_unit", "rank_region", "state", "confirmed_by_id", "confirmed_date"}},
    **{("sales.scorecard", f): scorecard_rater for f in ("teamwork", "teamwork_comment")},
    ("sales.scorecard", "comment"): author_of_draft,
    **{("sales.scorecard.export", f): creator for f in ("period_type", "date", "team_ids", "scorecard_ids")},
    # Commissions: rules are the sales administrator's, their versions the workflow's; takeovers,
    # settlements and their lines only the workflow writes; a dispute is its author's while a
    # draft, its approver decides the adjustment
    **{("sales.commission.rule", f): sales_admin for f in (
        "name", "sequence", "active", "company_id", "date_from", "date_to", "rule_type", "base", "role_ids",
        "team_ids", "user_ids", "product_categ_ids", "partner_ids", "key_accounts_only", "rate", "tier_mode",
        "tier_ids", "accelerator_ids", "level_ids", "bonus_amount", "bonus_threshold", "fee_permille")},
    **{("sales.commission.rule", f): nobody for f in MAIL_FIELDS - {"activity_ids"} | {"origin_id", "version"}},
    **{("sales.commission.rule.tier", f): sales_admin for f in ("rule_id", "amount_from", "amount_to", "rate")},
    **{("sales.commission.rule.accelerator", f): sales_admin for f in (
        "rule_id", "achievement_from", "achievement_to", "multiplier")},
    **{("sales.commission.rule.level", f): sales_admin for f in ("rule_id", "level", "rate")},
    **{("sales.key.account.takeover", f): nobody for f in MAIL_FIELDS - {"activity_ids"} | {
        "partner_id", "director_id", "team_id", "company_id", "date_from", "date_to", "reason", "handback_reason"}},
    **{("res.partner", f): nobody for f in ("sales_key_account", "sales_key_account_takeover_ids")},
    **{("sales.commission.settlement", f): nobody for f in MAIL_FIELDS - {"activity_ids"} | {
        "user_id", "team_id", "company_id", "date_from", "date_to", "state", "line_ids", "amount_total",
        "line_count", "confirm_uid", "confirm_date", "paid_date", "dispute_ids"}},
    **{("sales.commission.settlement.line", f): nobody for f in (
        "settlement_id", "user_id", "company_id", "period_date", "date", "kind", "level", "rule_id", "source_ref",
        "order_id", "order_line_id", "move_id", "move_line_id", "payment_ref", "slip_id", "partner_id", "seller_id",
        "team_id", "base_amount", "rate", "amount", "origin_line_id", "dispute_id", "note")},
    **{("sales.commission.dispute", f): nobody for f in WORKFLOW - {"read_by_id", "read_date", "name"} | {
        "approval_step_ids", "settlement_id", "adjustment_line_id"}},
    **{("sales.commission.dispute", f): author_of_draft for f in ("line_id", "description", "amount_claimed")},
    **{("sales.commission.dispute", f): reviewer for f in ("review_comment", "amount_granted")},
    **{("sales.key.account.wizard", f): creator for f in ("partner_id", "mode", "team_id", "date", "reason")},
    **{("sales.commission.rule.version", f): creator for f in (
        "rule_id", "mode", "date_from", "reason", "rate", "bonus_amount", "bonus_threshold", "fee_permille")},
    **{("sales.commission.compute", f): creator for f in ("company_id", "date_from")},
    **{("sales.commission.export", f): creator for f in ("date_from", "team_ids")},
    # Returns and exchanges: the author writes what the customer asks, the photos and the
    # quantities while a draft; the order, unit, company, day and reference are set at create,
    # the amounts computed, the handling recorded on approval
    **{("sales.return.request", f): nobody for f in WORKFLOW - {"read_by_id", "read_date"} | {
        "approval_step_ids", "order_id", "partner_id", "team_id", "date", "amount_total", "outcome_state",
        "return_picking_id", "return_picking_names"}},
    **{("sales.return.request", f): author_of_draft for f in (
        "reason", "description", "outcome", "photo_ids", "line_ids")},
    ("sales.return.request", "review_comment"): reviewer,
    **{("sales.return.request.line", f): nobody for f in ("request_id", "product_id", "company_id", "amount")},
    **{("sales.return.request.line", f): author_of_draft for f in ("sale_line_id", "quantity")},
    # Samples and catalogues sent: their author's while a draft, the carrier and tracking number
    # until followed up, the feedback while waiting for it; the workflow everything else
    **{("sales.sample", f): nobody for f in MAIL_FIELDS | {
        "name", "user_id", "company_id", "state", "total_cost", "done_date", "activity_id", "daily_report_line_id"}},
    **{("sales.sample", f): author_of_draft for f in (
        "kind", "partner_id", "contact_note", "team_id", "date_sent", "follow_up_date", "line_ids", "note")},
    **{("sales.sample", f): sample_sender for f in ("carrier", "tracking_ref")},
    ("sales.sample", "feedback"): sample_follower,
    **{("sales.sample.line", f): nobody for f in (
        "sample_id", "user_id", "partner_id", "team_id", "company_id", "date", "state", "kind", "subtotal")},
    **{("sales.sample.line", f): author_of_draft for f in ("sequence", "product_id", "description", "quantity",
                                                          "unit_cost")},
    # Customer visits: their recorder's while planned, what came of them afterwards too
    **{("sales.visit", f): nobody for f in MAIL_FIELDS | {"user_id", "company_id", "state", "daily_report_line_id"}},
    **{("sales.visit", f): visit_recorder for f in (
        "partner_id", "visitor_names", "visitor_count", "date_start", "date_end", "host_ids", "team_id", "purpose",
        "factory_tour", "quality_inspection", "lodging_arranged", "lodging_note", "meals_arranged", "meals_note")},
    ("sales.visit", "outcome"): visit_outcome,
    # Competitors: kept by the leaders of their company and the sales administrator; their market
    # information is reported on them, never taken off them from here
    **{("sales.competitor", f): competitor_keeper for f in (
        "name", "website", "partner_id", "product_info", "positioning", "strengths", "weaknesses", "active")},
    ("sales.competitor", "company_id"): sales_admin,
    **{("sales.competitor", f): nobody for f in MAIL_FIELDS - {"activity_ids"} | {"market_info_ids"}},
    # Market information: its author's while new; acknowledged, nobody's; who, where and from
    # which call, set when it is reported
    **{("sales.market.info", f): author_of_new for f in (
        "date", "team_id", "partner_id", "competitor_id", "kind", "product_id", "product_description", "price",
        "currency_id", "description")},
    **{("sales.market.info", f): nobody for f in MAIL_FIELDS | {
        "user_id", "company_id", "region_id", "daily_report_line_id", "state", "acknowledged_by_id",
        "acknowledged_date"}},
    # Collections: a call is the record of what was said, its caller corrects its channel and
    # text; the invoice keeps the latest promise, written by the calls; the board is a view
    **{("sales.collection.call", f): nobody for f in (
        "move_id", "partner_id", "salesperson_id", "team_id", "company_id", "user_id", "date", "promised_date",
        "promised_amount", "promised_residual", "daily_report_line_id", "reminded")},
    **{("sales.collection.call", f): creator for f in ("channel", "result")},
    **{("account.move", f): nobody for f in (
        "sales_promised_payment_date", "sales_promised_amount", "sales_last_collection_date")},
    **{("sales.collection.report", f): nobody for f in (
        "move_id", "user_id", "team_id", "partner_id", "company_id", "currency_id", "invoice_date",
        "invoice_date_due", "days_overdue", "overdue", "age_bucket", "amount_total", "amount_residual",
        "amount_overdue", "promised_date", "promised_amount", "promise_broken", "call_count", "last_call_date")},
    # Order follow-up: the production state is entered on confirmed orders by their people; the
    # promised date is computed; delays are history, written by the delay assistant only
    ("sale.order", "sales_production_state"): order_follower,
    **{("sale.order", f): nobody for f in ("sales_promised_date", "sales_promised_day", "sales_delay_ids")},
    **{("sales.order.delay", f): nobody for f in (
        "order_id", "partner_id", "team_id", "company_id", "user_id", "date", "old_date", "new_date", "reason",
        "message")},
    ("sales.order.delay.wizard", "order_id"): nobody,  # the order it was opened from
    **{("sales.order.delay.wizard", f): creator for f in ("new_date", "reason", "message")},
    # Complaints: the reporter writes what the customer said while a draft; the service unit
    # (its people, the leaders above, the sales administrator) the cause, resolution and actions
    # while it is worked on; the tree routes it; its categories are the sales administrator's
    **{("sales.complaint.category", f): sales_admin for f in ("name", "sequence", "active", "company_id")},
    **{("sales.complaint", f): nobody for f in MAIL_FIELDS | {
        "name", "user_id", "company_id", "region_id", "daily_report_line_id", "service_team_id", "responsible_id",
        "state", "close_date"}},
    **{("sales.complaint", f): author_of_draft for f in (
        "partner_id", "contact_name", "team_id", "date", "category_id", "severity", "order_id", "invoice_id",
        "claim_amount", "description")},
    **{("sales.complaint", f): complaint_worker for f in ("root_cause", "resolution", "satisfaction", "action_ids")},
    **{("sales.complaint.action", f): nobody for f in (
        "complaint_id", "company_id", "team_id", "service_team_id", "responsible_id", "reporter_id", "state",
        "done_date", "activity_id")},
    **{("sales.complaint.action", f): complaint_worker for f in ("kind", "description", "owner_id", "date_deadline")},
    **{("sales.complaint.report", f): nobody for f in (
        "complaint_id", "name", "month", "date", "partner_id", "region_id", "team_id", "service_team_id",
        "responsible_id", "category_id", "severity", "state", "is_closed", "claim_amount", "currency_id",
        "action_count", "open_action_count", "days_to_close", "company_id", "user_id")},
    **{("sales.complaint.monthly", f): creator for f in ("month", "region_id")},
    ("sales.complaint.monthly", "company_id"): nobody,
    # Group robots: the sales administrator's configuration; paused and resumed by the outbox and
    # its actions only. The outbox is written by its scheduled action alone (send again, cancel)
    **{("sales.org.robot", f): sales_admin for f in (
        "name", "active", "team_id", "kind", "webhook_url", "secret", "lang", "send_digest", "send_reminder",
        "send_approval", "send_meeting", "send_target")},
    **{("sales.org.robot", f): nobody for f in (
        "company_id", "is_paused", "paused_reason", "paused_date", "message_ids")},
    **{("sales.org.robot.message", f): nobody for f in (
        "robot_id", "company_id", "kind", "key", "part", "part_count", "title", "body", "mobiles", "state",
        "attempt_count", "next_try_date", "expire_date", "sent_date", "last_error", "split_kind")},
}
# Written with the value it has (the author's own unit): an allowed write changes nothing.
SAME_VALUE = {("sales.daily.report", "team_id"), ("sales.business.trip", "team_id"),
              # a target's owner and period: written whole, never one field at a time
              *(("sales.target", f) for f in ("target_type", "team_id", "user_id", "period_type", "date_from",
                                               "date_to", "parent_id")),
              *(("sales.regional.plan", f) for f in ("team_id", "period_type", "date_from", "date_to")),
              # a slip's kind goes with the sign of its points and its reason's kind; its person
              # with its author; a reason's kind with its points; a weight keeps its role at 100 %
              *(("sales.slip", f) for f in ("kind", "person_id", "team_id", "reason_id")),
              ("sales.slip.reason", "kind"), ("sales.scorecard.weight", "weight"),
              # a rule's computation goes with its tiers or levels; a dispute with its author's line
              ("sales.commission.rule", "rule_type"), ("sales.commission.dispute", "line_id"),
              # a returned product is a line of the request's own order
              ("sales.return.request.line", "sale_line_id"),
              # a sample's or visit's unit: one of its author's
              ("sales.sample", "team_id"), ("sales.visit", "team_id"),
              ("sales.market.info", "team_id"),
              # a complaint is filed under one of its reporter's units
              ("sales.complaint", "team_id")}
# Written through an inverse, not stored: tried as well.
UNSTORED_WRITABLE = {("sales.daily.report.line", "classification"), ("sales.meeting.attendee", "is_present")}


@tagged("post_install", "-at_install")
class TestSalesOrgFieldMatrix(HttpCase, SalesOrgCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        today = env.company._sales_org_today()
        cls.company_a = env.company
        cls.company_b = env["res.company"].create({"name": "T Company B"})
        cls.sales_admin = new_test_user(env, login="t_matrix_admin", groups="sales_team.group_sale_manager",
                                        name="T Matrix Admin")
        cls.outsider = new_test_user(env, login="t_outsider", groups="base.group_user", name="T Outsider",
                                     company_id=cls.company_b.id, company_ids=[Command.set(cls.company_b.ids)])
        cls.spare_user = new_test_user(env, login="t_spare", groups="base.group_user", name="T Spare")
        cls.b_hq = env["crm.team"].create({"name": "T B HQ", "company_id": cls.company_b.id})
        cls.b_sub = env["crm.team"].create({"name": "T B Sub", "parent_id": cls.b_hq.id})
        env["crm.team.member"].create({"crm_team_id": cls.b_sub.id, "user_id": cls.outsider.id,
                                       "role_id": cls.role_director.id})
        cls.empty_unit = env["crm.team"].create({"name": "T Empty", "parent_id": cls.north.id})
        cls.region = env["sales.org.region"].create({"name": "T Region", "code": "T-R"})
        cls.spare_region = env["sales.org.region"].create({"name": "T Spare Region", "code": "T-SR"})
        cls.north.region_id = cls.region
        cls.spare_role = env["sales.org.role"].create({"name": "T Spare Role", "code": "T-SPARE"})
        cls.duty = env["sales.org.role.duty"].create({"role_id": cls.role_rep.id, "name": "Call customers"})
        cls.customer.is_company = True
        cls.customer2 = env["res.partner"].create({"name": "T Customer 2", "is_company": True})
        cls.north_customer = env["res.partner"].create({"name": "T North Customer", "is_company": True,
                                                        "user_id": cls.rep_north.id})
        cls.category = env["product.category"].create({"name": "T Gates"})
        cls.rep_lead2 = env["crm.lead"].create({"name": "T Second lead", "user_id": cls.rep_shanghai.id})
        cls.b_lead = env["crm.lead"].create({"name": "T B lead", "user_id": cls.outsider.id,
                                             "company_id": cls.company_b.id})
        cls.people_by_role = {
            "rep": cls.rep_shanghai, "clerk": cls.clerk_east, "manager": cls.manager,
            "regional": cls.regional_east, "director": cls.director, "admin": cls.sales_admin,
            "outsider": cls.outsider,
        }
        role_of = {user: role for role, user in cls.people_by_role.items()}

        def report(person, days_ago, submit=False, **values):
            document = env["sales.daily.report"].with_user(person).with_company(
                person.company_id).create({
                    "date": today - timedelta(days=days_ago),
                    "line_ids": [Command.create({"partner_id": cls.customer.id, "subject": "Gate prices",
                                                 "next_step": "Send the catalogue",
                                                 "lead_id": cls.leads.get(person, env["crm.lead"]).id})],
                    **values})
            if submit:
                document.action_submit()
            return document

        def summary(person, months_ago, submit=False):
            document = env["sales.monthly.summary"].with_user(person).with_company(person.company_id).create(
                {"month": today.replace(day=1) - relativedelta(months=months_ago)})
            if submit:
                document.action_submit()
            return document

        reports = {
            "rep_draft": report(cls.rep_shanghai, 3),
            "rep_submitted": report(cls.rep_shanghai, 2, submit=True),
            "clerk_draft": report(cls.clerk_east, 3),
            "manager_draft": report(cls.manager, 3),
            "north_draft": report(cls.rep_north, 3),
            "outsider_draft": report(cls.outsider, 3),
        }
        reports["rep_submitted"].sudo().review_comment = "Add the contact person."
        # a visit checked in, with a photo its author took (kept once the report is submitted)
        cls.photos = {}
        for key in ("rep_draft", "rep_submitted", "north_draft", "outsider_draft"):
            person = reports[key].user_id
            cls.photos[key] = env["ir.attachment"].with_user(person).create(
                {"name": "visit.png", "raw": PNG, "res_model": "sales.daily.report.line", "res_id": 0})
            reports[key].line_ids.sudo().write({
                "check_in_latitude": 31.2304, "check_in_longitude": 121.4737, "check_in_accuracy": 12.0,
                "photo_ids": [Command.link(cls.photos[key].id)]})
        summaries = {
            "manager_draft": summary(cls.manager, 1),
            "manager_submitted": summary(cls.manager, 2, submit=True),
            "north_draft": summary(cls.regional_north, 1),
            "outsider_draft": summary(cls.outsider, 1),
        }
        summaries["manager_submitted"].sudo().review_comment = "Add the plan."
        reviewers = {reports["rep_submitted"]: LEADERS_OF_REP,
                     summaries["manager_submitted"]: {"regional", "director", "admin"}}
        cls.report_of = reports
        cls.summary_of = summaries

        def document_facts(document):
            return {"author": role_of.get(document.user_id), "state": document.state,
                    "company": "A" if document.company_id == cls.company_a else "B",
                    "reviewers": reviewers.get(document, set())}

        def line_facts(key):
            facts = document_facts(reports[key])
            facts["classifiers"] = {
                "rep_draft": LEADERS_OF_REP, "rep_submitted": LEADERS_OF_REP,
                "north_draft": {"director", "admin"}, "outsider_draft": {"outsider"},
            }[key]
            return facts

        cls.shared = {"author": None, "state": None, "company": None}
        cls.limit = env["sales.org.role.limit"].create({"role_id": cls.role_supervisor.id, "kind": "trip_budget"})
        cls.delegation = env["sales.org.delegation"].with_user(cls.manager).create({
            "delegate_id": cls.clerk_east.id, "date_from": today - timedelta(days=5),
            "date_to": today + timedelta(days=5)})
        cls.step = env["sales.org.approval.step"].search([
            ("res_model", "=", "sales.daily.report"), ("res_id", "=", reports["rep_submitted"].id)])

        def trip(person, state):
            start = today + timedelta(days=3)
            document = env["sales.business.trip"].with_user(person).create({
                "name": "Visit the dealers", "date_start": start, "date_end": start + timedelta(days=2),
                "visit_ids": [Command.create({"partner_id": cls.customer.id, "purpose": "Gate prices",
                                              "visit_date": start})]})
            if state != "draft":
                document.action_submit()
                document.sudo().review_comment = "Take the train."
            if state == "approved":
                document.sudo().action_approve()
                # back from the trip: its days have passed and the visit has a result
                past = today - timedelta(days=3)
                document.sudo().write({"date_start": past, "date_end": past, "visit_ids": [Command.update(
                    document.visit_ids.id, {"visit_date": past, "result": "Ordered 20 gates"})]})
            return document

        trips = {"rep_draft": trip(cls.rep_shanghai, "draft"), "rep_submitted": trip(cls.rep_shanghai, "submitted"),
                 "rep_approved": trip(cls.rep_shanghai, "approved"), "north_draft": trip(cls.rep_north, "draft")}
        reviewers[trips["rep_submitted"]] = LEADERS_OF_REP
        cls.trip_of = trips

        # the rep sells 10 % under the list price, their role may give nothing
        env["sales.org.role.limit"].create({"role_id": cls.role_rep.id, "kind": "discount", "limit": 0})
        cls.cheap_quotation = env["sale.order"].create({
            "partner_id": cls.customer.id, "user_id": cls.rep_shanghai.id, "team_id": cls.shanghai.id,
            "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 2, "price_unit": 90})]})
        cls.orders[cls.rep_shanghai].order_line.price_unit = 90
        reductions = {}
        for key, order in (("rep_draft", cls.cheap_quotation), ("rep_submitted", cls.orders[cls.rep_shanghai])):
            reductions[key] = env["sales.price.reduction"].with_user(cls.rep_shanghai).create(
                {"order_id": order.id, "reason": "A competitor offers 88."})
        reductions["rep_submitted"].with_user(cls.rep_shanghai).action_submit()
        reductions["rep_submitted"].sudo().review_comment = "Try 92 first."
        reviewers[reductions["rep_submitted"]] = LEADERS_OF_REP
        cls.reduction_of = reductions
        cls.classify_wizard = env["sales.customer.classify"].with_user(cls.manager).create(
            {"partner_id": cls.customer.id})
        cls.export_wizard = env["sales.daily.report.export"].with_user(cls.rep_shanghai).create(
            {"report_ids": [Command.set(reports["rep_draft"].ids)]})
        cls.customer.sudo()._set_sales_classification("primary", reason="Set up")
        classification_b = env["sales.customer.classification"].sudo().create({
            "partner_id": cls.customer.id, "classification": "normal", "company_id": cls.company_b.id})
        env["sales.daily.digest"].create({"user_id": cls.manager.id, "date": today, "company_id": cls.company_a.id})
        env["sales.org.headcount"].create({"team_id": cls.shanghai.id, "role_id": cls.role_rep.id})
        env["sales.org.headcount"].create({"team_id": cls.b_hq.id, "role_id": cls.role_rep.id})
        # the rep's own comment: mail lets an author edit it, the add-on keeps its flag
        cls.rep_comment = cls.leads[cls.rep_shanghai].with_user(cls.rep_shanghai).message_post(
            body="Called back", message_type="comment")
        # Weekly meetings: the manager's unit this week (the manager chairs, the clerk takes the
        # notes) and last week, confirmed; the North region's, out of the manager's scope
        monday = today - timedelta(days=today.weekday())

        def meeting(team, week, **values):
            return env["sales.meeting"].create({
                "team_id": team.id, "start": fields.Datetime.to_datetime(f"{week} 10:00:00"), **values})

        meetings = {
            "east_draft": meeting(cls.east_business, monday, note_taker_id=cls.clerk_east.id),
            "east_confirmed": meeting(cls.east_business, monday - timedelta(days=7), note_taker_id=cls.clerk_east.id),
            "north_draft": meeting(cls.north, monday),
        }
        items = {key: env["sales.meeting.action"].create({
            "meeting_id": meetings[key].id, "name": "Send the catalogue", "user_id": cls.rep_shanghai.id,
            "date_deadline": meetings[key].week_start + timedelta(days=4)}) for key in ("east_draft", "east_confirmed")}
        for key in ("east_draft", "east_confirmed"):
            meetings[key].problem_ids = [Command.create({"problem": "Hengda asks 3 % off",
                                                         "solution": "Free installation instead"})]
        meetings["east_confirmed"].action_confirm()
        cls.meeting_of, cls.item_of = meetings, items
        east_editors = {"manager", "regional", "director", "admin", "clerk"}
        editors = {meetings["east_draft"]: east_editors, meetings["east_confirmed"]: east_editors,
                   meetings["north_draft"]: {"director", "admin"}}

        def meeting_facts(document):
            return {"author": None, "state": document.state, "company": "A", "editors": editors[document],
                    "organisers": editors[document] - {"clerk"}}

        # Training: the rep has started the first step of theirs; the clerk has marked theirs done,
        # and their manager (the step's trainer) opened the sign-off
        def programme(role):
            return env["sales.training.program"].create({"name": f"T {role.name} training", "role_id": role.id,
                                                         "step_ids": [Command.create({
                                                             "name": name, "day_offset": offset, "trainer": "leader",
                                                         }) for name, offset in (("Products", 0), ("Phone", 1))]})

        cls.programme_rep, programme_clerk = programme(cls.role_rep), programme(cls.role_clerk)
        Enrolment = env["sales.training.enrolment"]
        cls.enrolment_of = {
            person: Enrolment._enrol([{"user_id": person.id, "program_id": program.id, "team_id": team.id,
                                       "date_start": today, "company_id": cls.company_a.id}])
            for person, program, team in ((cls.rep_shanghai, cls.programme_rep, cls.shanghai),
                                          (cls.clerk_east, programme_clerk, cls.east_business))}
        rep_first = cls.enrolment_of[cls.rep_shanghai].step_ids[0]
        rep_first.with_user(cls.rep_shanghai).action_start()
        clerk_first = cls.enrolment_of[cls.clerk_east].step_ids[0]
        clerk_first.with_user(cls.clerk_east).action_start()
        clerk_first.with_user(cls.clerk_east).action_mark_done()
        cls.sign_off = env["sales.training.sign.off"].with_user(cls.manager).create(
            {"step_id": clerk_first.id, "result": "passed"})
        # Targets of this month and year: the East region's (the director's to set), the East
        # business unit's (the regional director's), the rep's (their leaders'), one agreed
        Company = env["res.company"]
        month, year = Company._sales_org_period("month", today), Company._sales_org_period("year", today)
        quarter = Company._sales_org_period("quarter", today)
        Target = env["sales.target"]

        def target(team, period, person=None, amount=100000.0):
            return Target.create({"target_type": "person" if person else "unit", "team_id": team.id,
                                  "user_id": person.id if person else False, "metric": "order_amount",
                                  "period_type": period[2], "date_from": period[0], "date_to": period[1],
                                  "amount": amount})

        cls.target_of = {
            "east": target(cls.east, (*year, "year")),
            "east_business": target(cls.east_business, (*month, "month")),
            "rep": target(cls.shanghai, (*month, "month"), person=cls.rep_shanghai),
            "east_agreed": target(cls.east, (*quarter, "quarter")),
            "b_sub": target(cls.b_sub, (*month, "month")),
        }
        cls.target_of["east_agreed"].with_user(cls.director).action_agree()
        cls.target_setters = {"east": {"director", "admin"}, "east_business": {"regional", "director", "admin"},
                              "rep": LEADERS_OF_REP, "east_agreed": {"director", "admin"}, "b_sub": set()}
        cls.unlock_wizard = env["sales.target.unlock"].with_user(cls.director).create(
            {"target_ids": [Command.set(cls.target_of["east_agreed"].ids)], "reason": "Reorganised"})
        cls.breakdown_wizard = env["sales.target.breakdown"].with_user(cls.regional_east).create(
            {"target_id": cls.target_of["east_business"].id, "split": "person", "method": "even"})
        cls.other_breakdown = env["sales.target.breakdown"].with_user(cls.regional_east).create(
            {"target_id": cls.target_of["east_agreed"].id, "split": "unit", "method": "even"})
        cls.target_export = env["sales.target.export"].with_user(cls.rep_shanghai).create({})
        # Regional plans of the East region this quarter: a draft, and one waiting for the director
        Plan = env["sales.regional.plan"].with_user(cls.regional_east)

        def plan(name, period, submit=False):
            document = Plan.create({
                "name": name, "team_id": cls.east.id, "period_type": "quarter", "date_from": period[0],
                "date_to": period[1], "budget": 3000,
                "milestone_ids": [Command.create({"name": "Visit the dealers", "user_id": cls.manager.id,
                                                  "date_deadline": period[1] - timedelta(days=5)})]})
            if submit:
                document.action_submit()
                document.sudo().review_comment = "Add the Hangzhou fair."
            return document

        next_quarter = Company._sales_org_period("quarter", quarter[1] + timedelta(days=1))
        cls.plan_of = {"east_draft": plan("T East plan", quarter)}
        cls.plan_of["east_submitted"] = plan("T East plan, next quarter", next_quarter, submit=True)
        reviewers[cls.plan_of["east_submitted"]] = {"director", "admin"}
        # Slips: the manager's reward for the rep, a draft and one waiting for the regional director
        cls.slip_reason = env["sales.slip.reason"].create({"name": "T Order won", "kind": "reward", "points": 5})
        cls.spare_slip_reason = env["sales.slip.reason"].create({"name": "T Spare", "kind": "demerit", "points": -1})
        Slip = env["sales.slip"].with_user(cls.manager)
        cls.slip_of = {key: Slip.create({"kind": "reward", "person_id": cls.rep_shanghai.id, "date": today,
                                         "reason_id": cls.slip_reason.id, "amount": 50})
                       for key in ("manager_draft", "manager_submitted")}
        cls.slip_of["manager_submitted"].action_submit()
        cls.slip_of["manager_submitted"].sudo().review_comment = "Well done."
        reviewers[cls.slip_of["manager_submitted"]] = {"regional", "director", "admin"}
        cls.weight = env["sales.scorecard.weight"].create(
            {"role_id": cls.spare_role.id, "criterion": "sales", "weight": 100})
        # the rep's scorecards of last month, one to review and one confirmed (as of the month before)
        last_month = Company._sales_org_period("month", month[0] - timedelta(days=1))
        month_before = Company._sales_org_period("month", last_month[0] - timedelta(days=1))
        cls.scorecard_of = {key: env["sales.scorecard"].sudo().create({
            "user_id": cls.rep_shanghai.id, "team_id": cls.shanghai.id, "role_id": cls.role_rep.id,
            "company_id": cls.company_a.id, "period_type": "month", "date_from": period[0], "date_to": period[1],
        }) for key, period in (("rep_draft", last_month), ("rep_confirmed", month_before))}
        cls.scorecard_of["rep_confirmed"].sudo().state = "confirmed"
        cls.scorecard_export = env["sales.scorecard.export"].with_user(cls.manager).create({})
        # Commissions: rules, a key account the director took over, the rep's settlements of this
        # month (a draft) and last month (confirmed), the rep's disputes of last month's line
        Rule = env["sales.commission.rule"]
        cls.commission_rule, cls.other_commission_rule, paid_rule = Rule.create([
            {"name": f"T {name}", "rate": rate, "date_from": date_from}
            for name, rate, date_from in (("Flat", 2, month[0] + timedelta(days=1)), ("Other", 1, month[0]),
                                          ("Paid Out", 3, "2020-01-01"))])
        # valid after the confirmed month (last month): not locked
        cls.tiered_rule = Rule.create({
            "name": "T Tiers", "rule_type": "tiered", "date_from": month[0],
            "tier_ids": [Command.create({"amount_from": 0, "amount_to": 100000, "rate": 1})],
            "accelerator_ids": [Command.create({"achievement_from": 0, "multiplier": 50})]})
        cls.override_rule = Rule.create({"name": "T Override", "rule_type": "override", "date_from": month[0],
                                         "level_ids": [Command.create({"level": 1, "rate": 0.5})]})
        key_account = env["res.partner"].create({"name": "T Key Account", "is_company": True,
                                                 "sales_key_account": True})
        cls.takeover = env["sales.key.account.takeover"].create({
            "partner_id": key_account.id, "director_id": cls.director.id, "team_id": cls.east_business.id,
            "company_id": cls.company_a.id, "date_from": today - timedelta(days=10), "reason": "T Too big"})
        cls.settlement_of = {key: env["sales.commission.settlement"].create({
            "user_id": cls.rep_shanghai.id, "company_id": cls.company_a.id, "date_from": period[0],
            "date_to": period[1], "line_ids": [Command.create({
                "user_id": cls.rep_shanghai.id, "company_id": cls.company_a.id, "period_date": period[0],
                "kind": "own", "rule_id": paid_rule.id, "source_ref": f"T:{key}:{number}", "base_amount": 1000,
                "rate": 2, "amount": 20}) for number in range(3)],
        }) for key, period in (("rep_draft", month), ("rep_confirmed", last_month))}
        cls.settlement_of["rep_confirmed"].state = "confirmed"
        Dispute = env["sales.commission.dispute"].with_user(cls.rep_shanghai)
        # a line is disputed once at a time: the two disputes and the one created below, a line each
        cls.dispute_of = {key: Dispute.create({
            "line_id": line.id, "description": "T An order is missing", "amount_claimed": 10})
            for key, line in zip(("rep_draft", "rep_submitted"), cls.settlement_of["rep_confirmed"].line_ids)}
        cls.dispute_of["rep_submitted"].action_submit()
        cls.dispute_of["rep_submitted"].sudo().review_comment = "Checked."
        reviewers[cls.dispute_of["rep_submitted"]] = LEADERS_OF_REP
        cls.key_account = key_account
        cls.key_account_wizard = env["sales.key.account.wizard"].with_user(cls.director).create({
            "partner_id": key_account.id, "mode": "hand_back", "reason": "T Back to the team"})
        cls.rule_version_wizard = env["sales.commission.rule.version"].with_user(cls.sales_admin).create({
            "rule_id": cls.commission_rule.id, "mode": "correct", "reason": "T A typo"})
        cls.commission_compute = env["sales.commission.compute"].with_user(cls.sales_admin).create({})
        cls.commission_export = env["sales.commission.export"].with_user(cls.rep_shanghai).create({})
        # Returns: the rep's order, 10 delivered; their draft request with a photo, one submitted
        cls.delivered_order = env["sale.order"].create({
            "partner_id": cls.customer.id, "user_id": cls.rep_shanghai.id, "team_id": cls.shanghai.id,
            "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 10, "price_unit": 100})]})
        cls.delivered_order.action_confirm()
        cls.delivered_order.order_line.qty_delivered = 10
        return_photo = env["ir.attachment"].with_user(cls.rep_shanghai).create(
            {"name": "door.png", "raw": PNG, "res_model": "sales.return.request", "res_id": 0})
        cls.return_of = {key: env["sales.return.request"].with_user(cls.rep_shanghai).create({
            "order_id": cls.delivered_order.id, "reason": "quality", "description": "T Bent rail",
            "line_ids": [Command.create({"sale_line_id": cls.delivered_order.order_line.id, "quantity": 2})],
            **extra}) for key, extra in (("rep_draft", {"photo_ids": [Command.link(return_photo.id)]}),
                                         ("rep_submitted", {}))}
        cls.return_of["rep_submitted"].action_submit()
        cls.return_of["rep_submitted"].sudo().review_comment = "Checked on site."
        reviewers[cls.return_of["rep_submitted"]] = LEADERS_OF_REP
        # Samples: the clerk's draft, the clerk's sent one (the customer has answered), the
        # outsider's draft; visits: the clerk's, planned and received, on the day of the clerk's
        # draft report; the outsider's planned one
        def sample(person, send=False):
            document = env["sales.sample"].with_user(person).create({
                "partner_id": cls.customer.id,
                "line_ids": [Command.create({"description": "Slat", "quantity": 2, "unit_cost": 30})]})
            if send:
                document.action_send()
                document.sudo().feedback = "Likes it"
            return document

        cls.sample_of = {"clerk_draft": sample(cls.clerk_east), "clerk_sent": sample(cls.clerk_east, send=True),
                         "outsider_draft": sample(cls.outsider)}
        visit_start = cls.company_a._sales_org_day_bounds(today - timedelta(days=3))[0] + timedelta(hours=10)

        def visit(person, hosts, done=False):
            document = env["sales.visit"].with_user(person).create({
                "partner_id": cls.customer.id, "visitor_names": "Mr Wang", "purpose": "Factory tour",
                "date_start": visit_start, "date_end": visit_start + timedelta(hours=4),
                "host_ids": [Command.set(hosts.ids)]})
            if done:
                document.action_done()
            return document

        cls.visit_of = {"clerk_planned": visit(cls.clerk_east, cls.manager),
                        "clerk_done": visit(cls.clerk_east, cls.manager, done=True),
                        "outsider_planned": visit(cls.outsider, env["res.users"])}
        # Competitors (company A's and a shared one) and market information: the rep's, new and
        # acknowledged by the manager, the North rep's, the outsider's in company B
        cls.competitor, cls.shared_competitor, cls.spare_competitor = env["sales.competitor"].create([
            {"name": "T Huatong", "company_id": cls.company_a.id}, {"name": "T Shared", "company_id": False},
            {"name": "T Spare", "company_id": False}])

        def market_info(person, **values):
            return env["sales.market.info"].with_user(person).with_company(person.company_id).create({
                "kind": "price", "competitor_id": cls.competitor.id, "product_description": "Garage door",
                "price": 2600, "description": "Huatong asks 2600", **values})

        cls.market_info_of = {
            "rep_new": market_info(cls.rep_shanghai),
            "rep_acknowledged": market_info(cls.rep_shanghai),
            "north_new": market_info(cls.rep_north),
            "outsider_new": market_info(cls.outsider, competitor_id=cls.shared_competitor.id),
        }
        cls.market_info_of["rep_acknowledged"].with_user(cls.manager).action_acknowledge()
        # Collections: the rep's invoice, past due, and the rep's call with a promise
        cls.rep_invoice = env["account.move"].create({
            "move_type": "out_invoice", "partner_id": cls.customer.id, "invoice_user_id": cls.rep_shanghai.id,
            "team_id": cls.shanghai.id, "invoice_date": today - timedelta(days=40),
            "invoice_date_due": today - timedelta(days=10),
            "invoice_line_ids": [Command.create({"product_id": cls.product.id, "quantity": 1, "price_unit": 1000,
                                                 "tax_ids": [Command.clear()]})]})
        cls.rep_invoice.action_post()
        cls.collection_call = env["sales.collection.call"].with_user(cls.rep_shanghai).create({
            "move_id": cls.rep_invoice.id, "result": "T Pays next week",
            "promised_date": today + timedelta(days=7), "promised_amount": 500})
        # Order follow-up: the rep's confirmed order, delayed once by the rep; a delay to declare
        cls.followed_order = env["sale.order"].create({
            "partner_id": cls.customer.id, "user_id": cls.rep_shanghai.id, "team_id": cls.shanghai.id,
            "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 1})]})
        cls.followed_order.action_confirm()
        env["sales.order.delay.wizard"].with_user(cls.rep_shanghai).create({
            "order_id": cls.followed_order.id, "new_date": today + timedelta(days=10), "reason": "T Motors late",
        }).action_declare()
        cls.delay_wizard = env["sales.order.delay.wizard"].with_user(cls.rep_shanghai).create({
            "order_id": cls.followed_order.id, "new_date": today + timedelta(days=20), "reason": "T Paint late"})
        # Complaints: routed to a service unit under HQ led by someone outside the matrix's roles,
        # worked by the director (a leader above it) and the sales administrator
        env["crm.team"].create({"name": "T Service", "unit_type": "service", "parent_id": cls.hq.id,
                                "user_id": cls.spare_user.id})
        cls.complaint_workers = {"director", "admin"}
        cls.complaint_category = env.ref("sales_team_org.complaint_category_quality")
        cls.spare_complaint_category = env["sales.complaint.category"].create({"name": "T Spare Category"})
        cls.customer_invoice = env["account.move"].create({"move_type": "out_invoice", "partner_id": cls.customer.id,
                                                           "invoice_user_id": cls.rep_shanghai.id})
        Complaint = env["sales.complaint"].with_user(cls.rep_shanghai)
        cls.complaint_of = {key: Complaint.create({
            "partner_id": cls.customer.id, "category_id": cls.complaint_category.id, "claim_amount": 100,
            "description": "<p>T Noisy motor</p>"}) for key in ("rep_draft", "rep_open", "rep_closed")}
        for key in ("rep_open", "rep_closed"):
            cls.complaint_of[key].action_submit()
        cls.complaint_of["rep_open"].with_user(cls.director).write({"action_ids": [Command.create({
            "description": "T Replace the motor", "owner_id": cls.director.id, "date_deadline": today})]})
        cls.complaint_of["rep_closed"].with_user(cls.director).write({"resolution": "T Replaced", "satisfaction": "4"})
        cls.complaint_of["rep_closed"].with_user(cls.director).action_close()
        cls.complaint_action = cls.complaint_of["rep_open"].action_ids
        cls.complaint_monthly = env["sales.complaint.monthly"].with_user(cls.regional_east).create({})
        # Group robots: the East business unit's, with a message it failed to send, and company B's;
        # a second language for their messages
        env["res.lang"]._activate_lang("zh_CN")
        env["ir.config_parameter"].set_param("sales_team_org.robot_hosts", "127.0.0.1")
        cls.robot, cls.b_robot = env["sales.org.robot"].create([
            {"name": f"T {team.name} group", "team_id": team.id, "kind": "dingtalk", "lang": "en_US",
             "webhook_url": ROBOT_URL.replace("token=t", f"token={team.id}")} for team in (cls.east_business, cls.b_hq)])
        cls.robot_message = env["sales.org.robot.message"]._enqueue([{
            "robot": cls.robot, "kind": "digest", "key": "t:matrix", "title": "T Digest", "body": "T Figures"}])
        cls.robot_message.write({"state": "failed", "attempt_count": 12, "last_error": "HTTP 500: T Down"})
        env.flush_all()
        Status = env["sales.daily.report.status"]

        def unit_facts(company):
            return {"author": None, "state": None, "company": company}

        cls.records = {
            "sales.daily.report": {key: (doc, document_facts(doc)) for key, doc in reports.items()},
            "sales.monthly.summary": {key: (doc, document_facts(doc)) for key, doc in summaries.items()},
            "sales.daily.report.line": {
                f"line of {key}": (reports[key].line_ids, line_facts(key))
                for key in ("rep_draft", "rep_submitted", "north_draft", "outsider_draft")},
            "sales.daily.report.answer": {
                f"section of {key}": (reports[key].answer_ids[:1], document_facts(reports[key]))
                for key in ("rep_draft", "rep_submitted", "north_draft", "outsider_draft")},
            "sales.daily.report.section": {"section": (env.ref("sales_team_org.daily_report_section_coordination"),
                                                       cls.shared)},
            "crm.team": {"Shanghai": (cls.shanghai, unit_facts("A")), "B HQ": (cls.b_hq, unit_facts("B"))},
            "crm.team.member": {
                "rep's membership": (env["crm.team.member"].search([("user_id", "=", cls.rep_shanghai.id)]),
                                     unit_facts("A")),
                "outsider's membership": (env["crm.team.member"].search([("user_id", "=", cls.outsider.id)]),
                                          unit_facts("B"))},
            "sales.org.role": {"rep role": (cls.role_rep, cls.shared)},
            "sales.org.role.duty": {"duty": (cls.duty, cls.shared)},
            "sales.org.region": {"region": (cls.region, cls.shared)},
            "sales.org.headcount": {
                "Shanghai plan": (cls.shanghai.headcount_ids, unit_facts("A")),
                "B plan": (cls.b_hq.headcount_ids, unit_facts("B"))},
            "res.partner": {"customer": (cls.customer, cls.shared)},
            "res.country.state": {"province": (env["res.country.state"].search([], limit=1), cls.shared)},
            "crm.lead": {"rep's lead": (cls.leads[cls.rep_shanghai], cls.shared),
                         "north lead": (cls.leads[cls.rep_north], cls.shared)},
            "sales.customer.classification": {
                "A history": (cls.customer.sales_classification_ids - classification_b, unit_facts("A")),
                "B history": (classification_b, unit_facts("B"))},
            "sales.daily.digest": {"digest": (env["sales.daily.digest"].search([("user_id", "=", cls.manager.id)]),
                                              unit_facts("A"))},
            "sales.daily.report.status": {"rep's last day": (Status.search([
                ("user_id", "=", cls.rep_shanghai.id)], limit=1), unit_facts("A"))},
            "sales.org.assignment": {
                "rep's": (env["sales.org.assignment"].search([("user_id", "=", cls.rep_shanghai.id)]), unit_facts("A")),
                "outsider's": (env["sales.org.assignment"].search([("user_id", "=", cls.outsider.id)]),
                               unit_facts("B"))},
            "sales.org.figure": {"rep's call": (env["sales.org.figure"].search([
                ("user_id", "=", cls.rep_shanghai.id), ("kind", "=", "line")], limit=1), unit_facts("A"))},
            "mail.message": {"rep's comment": (cls.rep_comment, cls.shared)},
            "sale.order": {"rep's quotation": (cls.orders[cls.rep_shanghai], cls.shared),
                           "rep's order": (cls.followed_order, {"author": "rep", "state": "sale", "company": "A",
                                                                "followers": {"rep", *LEADERS_OF_REP}})},
            "sale.report": {"rep's quotation": (env["sale.report"].search([("user_id", "=", cls.rep_shanghai.id)],
                                                                        limit=1), cls.shared)},
            "sales.customer.classify": {"manager's": (cls.classify_wizard, {"author": "manager"})},
            "sales.daily.report.export": {"rep's": (cls.export_wizard, {"author": "rep"})},
            "res.config.settings": {"settings": (env["res.config.settings"].create({}), cls.shared)},
            "res.company": {"company A": (cls.company_a, cls.shared), "company B": (cls.company_b, cls.shared)},
            "sales.org.approval.step": {"rep's step": (cls.step, unit_facts("A"))},
            "sales.org.role.limit": {"limit": (cls.limit, cls.shared)},
            "sales.org.delegation": {"manager's": (cls.delegation, {"author": "manager", "state": None,
                                                                    "company": "A"})},
            "sales.business.trip": {key: (doc, document_facts(doc)) for key, doc in trips.items()},
            "sales.business.trip.visit": {f"visit of {key}": (doc.visit_ids, document_facts(doc))
                                          for key, doc in trips.items()},
            "sales.business.trip.cost": {f"cost of {key}": (doc.cost_ids[:1], document_facts(doc))
                                         for key, doc in trips.items()},
            "sales.price.reduction": {key: (doc, document_facts(doc)) for key, doc in reductions.items()},
            "sales.price.reduction.line": {f"line of {key}": (doc.line_ids[:1], document_facts(doc))
                                           for key, doc in reductions.items()},
            "sales.meeting": {key: (doc, meeting_facts(doc)) for key, doc in meetings.items()},
            "sales.meeting.attendee": {f"attendance of {key}": (meetings[key].attendee_ids[:1], meeting_facts(
                meetings[key])) for key in ("east_draft", "east_confirmed")},
            "sales.meeting.figure": {"figures of east_draft": (meetings["east_draft"].figure_ids[:1],
                                                               meeting_facts(meetings["east_draft"]))},
            "sales.meeting.problem": {f"problem of {key}": (meetings[key].problem_ids, meeting_facts(meetings[key]))
                                      for key in ("east_draft", "east_confirmed")},
            "sales.meeting.action": {f"item of {key}": (item, {**meeting_facts(meetings[key]), "state": item.state,
                                                               "meeting_state": meetings[key].state})
                                     for key, item in items.items()},
            "sales.training.program": {"rep's": (cls.programme_rep, cls.shared)},
            "sales.training.program.step": {"rep's first": (cls.programme_rep.step_ids[:1], cls.shared)},
            "sales.training.enrolment": {f"{person.name}'s": (enrolment, unit_facts("A"))
                                         for person, enrolment in cls.enrolment_of.items()},
            "sales.training.enrolment.step": {"rep's first": (rep_first, unit_facts("A")),
                                              "clerk's first": (clerk_first, unit_facts("A"))},
            "sales.training.sign.off": {"manager's": (cls.sign_off, {"author": "manager"})},
            "sales.target": {key: (target, {**unit_facts("B" if key == "b_sub" else "A"), "state": target.state,
                                            "setters": cls.target_setters[key]})
                             for key, target in cls.target_of.items()},
            "sales.target.analysis": {"the rep's": (env["sales.target.analysis"].search([
                ("target_id", "=", cls.target_of["rep"].id)]), unit_facts("A"))},
            "sales.target.unlock": {"director's": (cls.unlock_wizard, {"author": "director"})},
            "sales.target.breakdown": {"regional's": (cls.breakdown_wizard, {"author": "regional"})},
            "sales.target.breakdown.line": {"regional's": (cls.breakdown_wizard.line_ids[:1], {"author": "regional"})},
            "sales.target.export": {"rep's": (cls.target_export, {"author": "rep"})},
            "sales.regional.plan": {key: (doc, document_facts(doc)) for key, doc in cls.plan_of.items()},
            "sales.regional.plan.milestone": {f"milestone of {key}": (doc.milestone_ids, document_facts(doc))
                                              for key, doc in cls.plan_of.items()},
            "sales.slip": {key: (doc, document_facts(doc)) for key, doc in cls.slip_of.items()},
            "sales.slip.reason": {"order won": (cls.slip_reason, cls.shared)},
            "sales.scorecard.weight": {"spare role's": (cls.weight, cls.shared)},
            "sales.scorecard": {key: (card, {"author": "rep", "state": card.state, "company": "A",
                                             "raters": LEADERS_OF_REP})
                                for key, card in cls.scorecard_of.items()},
            "sales.scorecard.export": {"manager's": (cls.scorecard_export, {"author": "manager"})},
            "sales.commission.rule": {"flat": (cls.commission_rule, unit_facts("A"))},
            "sales.commission.rule.tier": {"first": (cls.tiered_rule.tier_ids, unit_facts("A"))},
            "sales.commission.rule.accelerator": {"first": (cls.tiered_rule.accelerator_ids, unit_facts("A"))},
            "sales.commission.rule.level": {"first": (cls.override_rule.level_ids, unit_facts("A"))},
            "sales.key.account.takeover": {"director's": (cls.takeover, unit_facts("A"))},
            "sales.commission.settlement": {key: (settlement, {"author": "rep", "state": settlement.state,
                                                              "company": "A"})
                                            for key, settlement in cls.settlement_of.items()},
            "sales.commission.settlement.line": {f"line of {key}": (settlement.line_ids[:1], {
                "author": "rep", "state": settlement.state, "company": "A"})
                for key, settlement in cls.settlement_of.items()},
            "sales.commission.dispute": {key: (doc, document_facts(doc)) for key, doc in cls.dispute_of.items()},
            "sales.key.account.wizard": {"director's": (cls.key_account_wizard, {"author": "director"})},
            "sales.commission.rule.version": {"admin's": (cls.rule_version_wizard, {"author": "admin"})},
            "sales.commission.compute": {"admin's": (cls.commission_compute, {"author": "admin"})},
            "sales.commission.export": {"rep's": (cls.commission_export, {"author": "rep"})},
            "sales.return.request": {key: (doc, document_facts(doc)) for key, doc in cls.return_of.items()},
            "sales.return.request.line": {f"line of {key}": (doc.line_ids, document_facts(doc))
                                          for key, doc in cls.return_of.items()},
            "sales.sample": {key: (doc, document_facts(doc)) for key, doc in cls.sample_of.items()},
            "sales.sample.line": {f"line of {key}": (doc.line_ids, document_facts(doc))
                                  for key, doc in cls.sample_of.items()},
            "sales.visit": {key: (doc, document_facts(doc)) for key, doc in cls.visit_of.items()},
            "sales.competitor": {"company A's": (cls.competitor, unit_facts("A")),
                                 "shared": (cls.shared_competitor, cls.shared)},
            "sales.market.info": {key: (info, {"author": role_of.get(info.user_id), "state": info.state,
                                               "company": "A" if info.company_id == cls.company_a else "B"})
                                  for key, info in cls.market_info_of.items()},
            "sales.collection.call": {"rep's": (cls.collection_call, {"author": "rep", "state": None, "company": "A"})},
            "account.move": {"rep's invoice": (cls.rep_invoice, cls.shared)},
            "sales.collection.report": {"rep's invoice": (env["sales.collection.report"].search([
                ("move_id", "=", cls.rep_invoice.id)]), unit_facts("A"))},
            "sales.order.delay": {"rep's order's": (cls.followed_order.sales_delay_ids, unit_facts("A"))},
            "sales.order.delay.wizard": {"rep's": (cls.delay_wizard, {"author": "rep"})},
            "sales.complaint.category": {"quality": (cls.complaint_category, cls.shared)},
            "sales.complaint": {key: (doc, {**document_facts(doc), "workers": cls.complaint_workers})
                                for key, doc in cls.complaint_of.items()},
            "sales.complaint.action": {"of rep_open": (cls.complaint_action, {
                "author": "director", "state": "open", "company": "A", "workers": cls.complaint_workers})},
            "sales.complaint.report": {"rep_open's": (env["sales.complaint.report"].search([
                ("complaint_id", "=", cls.complaint_of["rep_open"].id)]), unit_facts("A"))},
            "sales.complaint.monthly": {"regional's": (cls.complaint_monthly, {"author": "regional"})},
            "sales.org.robot": {"East's": (cls.robot, unit_facts("A")), "B HQ's": (cls.b_robot, unit_facts("B"))},
            "sales.org.robot.message": {"East's failed": (cls.robot_message, unit_facts("A"))},
        }
        # XML-RPC with API keys: a password check costs 600,000 hashing rounds each time the
        # caches are cleared, an API key 6,000
        cls.keys = {}
        for role, user in cls.people_by_role.items():
            cls.keys[role] = env["res.users.apikeys"].with_user(user).sudo()._generate(None, "matrix", None)
        env.cr.execute("UPDATE res_users SET password = NULL WHERE id IN %s",
                       [tuple(u.id for u in cls.people_by_role.values())])

    def setUp(self):
        super().setUp()
        self.rpc = xmlrpc.client.ServerProxy(f"{self.base_url()}/xmlrpc/2/object", allow_none=True)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def attempt(self, role, model, method, args, kwargs=None, check=None):
        """Call `method` over XML-RPC as `role` inside a savepoint rolled back afterwards.

        :returns: (accepted, what `check` read before the rollback)
        """
        self.env.flush_all()
        self.refusal = None
        with self.env.cr.savepoint() as savepoint:
            try:
                self.rpc.execute_kw(self.env.cr.dbname, self.people_by_role[role].id, self.keys[role],
                                    model, method, args, kwargs or {})
                accepted = True
            except xmlrpc.client.Fault as fault:
                self.assertIn(fault.faultCode, REFUSALS, f"not a refusal but a failure: {fault.faultString[-800:]}")
                self.refusal = fault.faultString  # says why, when the cell expected otherwise
                accepted = False
            self.env.invalidate_all()
            seen = check() if check else None
            savepoint.rollback()
        self.env.invalidate_all()
        if accepted:  # what the call cached may describe what was rolled back
            self.env.registry.clear_cache()
            self.env.registry.clear_cache("groups")
        return accepted, seen

    def fields_of_the_addon(self):
        """{(model, field)}: every stored field of the add-on's own models, the stored fields it
        adds to Odoo's models, and the unstored ones written through an inverse."""
        pairs = set(UNSTORED_WRITABLE)
        for name, model_class in self.registry.items():
            model = self.env[name]
            if model._abstract or not model._auto and not model._table_query:
                continue
            own = model_class._original_module == "sales_team_org"
            for fname, field in model._fields.items():
                if not field.store or fname in MAGIC:
                    continue
                if own or field._module == "sales_team_org":
                    pairs.add((name, fname))
        return pairs

    def new_value(self, record, fname):
        """A value different from the current one, valid where the allow-list permits the write."""
        field = record._fields[fname]
        current = record.sudo()[fname]
        in_b = "company_id" in record and record.sudo().company_id == self.company_b
        others = {
            "res.users": self.rep_north, "crm.team": self.north, "res.company": self.company_b,
            "res.partner": self.customer2, "crm.lead": self.b_lead if in_b else self.rep_lead2,
            "sales.org.region": self.spare_region, "sales.org.role": self.role_clerk,
            "sales.daily.report": self.report_of["manager_draft"], "res.country": self.env.ref("base.fr"),
            "product.category": self.category,
            "crm.team.member": self.env["crm.team.member"].search([("user_id", "=", self.supervisor.id)]),
            "mail.message": self.env["mail.message"].search([], limit=1),
            "sale.order": self.orders[self.rep_north],
            "sales.daily.report.section": self.env.ref("sales_team_org.daily_report_section_done"),
            "sales.business.trip": self.trip_of["north_draft"],
            "sales.daily.report.line": self.report_of["rep_draft"].line_ids[:1],
            "sales.price.reduction": self.reduction_of["rep_draft"],
            "sale.order.line": self.orders[self.rep_north].order_line[:1],
            "product.product": self.env["product.product"].search([("id", "!=", self.product.id)], limit=1),
            "uom.uom": self.env.ref("uom.product_uom_dozen"),
            "sales.meeting": self.meeting_of["north_draft"],
            "sales.meeting.action": self.item_of["east_confirmed"],
            "calendar.event": self.meeting_of["north_draft"].event_id,
            "mail.activity": self.env["mail.activity"].search([], limit=1),
            "ir.attachment": self.photos["rep_draft"],
            "sales.training.program": self.programme_rep,
            "sales.training.program.step": self.programme_rep.step_ids[-1:],
            "sales.training.enrolment": self.enrolment_of[self.clerk_east],
            "sales.training.enrolment.step": self.enrolment_of[self.clerk_east].step_ids[-1:],
            "sales.target": self.target_of["east"],
            "sales.regional.plan": self.plan_of["east_submitted"],
            "sales.target.breakdown": self.other_breakdown,
            "sales.scorecard": self.scorecard_of["rep_draft"],
            "sales.commission.rule": self.other_commission_rule,
            "sales.commission.settlement": self.settlement_of["rep_draft"],
            "sales.commission.settlement.line": self.settlement_of["rep_draft"].line_ids[:1],
            "sales.commission.dispute": self.dispute_of["rep_draft"],
            "sales.return.request": self.return_of["rep_draft"],
            "sales.slip": self.slip_of["manager_draft"],
            "account.move": self.env["account.move"].search([], limit=1),
            "sales.complaint": self.complaint_of["rep_draft"],
            "sales.complaint.category": self.spare_complaint_category,
            "account.move.line": self.env["account.move.line"].search([], limit=1),
            "account.partial.reconcile": self.env["account.partial.reconcile"].search([], limit=1),
            "sales.sample": self.sample_of["clerk_sent"],
            "sales.competitor": self.spare_competitor,
            "res.currency": self.env.ref("base.USD"),
            "sales.org.robot": self.b_robot,
        }
        special = {
            ("sales.daily.report", "team_id"): lambda: record.sudo().team_id,  # the author's own unit
            ("sales.business.trip", "team_id"): lambda: record.sudo().team_id,
            ("sales.sample", "team_id"): lambda: record.sudo().team_id,
            ("sales.visit", "team_id"): lambda: record.sudo().team_id,
            ("sales.market.info", "team_id"): lambda: record.sudo().team_id,
            ("sales.org.role", "parent_id"): lambda: self.role_director,
            ("sales.training.program", "role_id"): lambda: self.spare_role,  # one programme a role
            ("sales.regional.plan.milestone", "user_id"): lambda: self.clerk_east,  # a person of the region
            ("sales.complaint", "invoice_id"): lambda: self.customer_invoice,  # the customer's, the rep's
            ("sales.complaint", "order_id"): lambda: self.orders[self.rep_shanghai],  # the customer's, the rep's
            ("sales.complaint.action", "owner_id"): lambda: self.rep_shanghai,  # who reads the complaint
        }
        if (record._name, fname) == ("sales.daily.report.line", "photo_ids"):
            # only a photo the writer uploaded may go on a line (its own tests): here, who may take them off
            return [[Command.CLEAR.value, 0, 0]]
        if (record._name, fname) == ("sales.business.trip.visit", "visit_date"):  # within its trip
            return fields.Date.to_string(record.sudo().trip_id.date_end)
        if (record._name, fname) == ("sales.meeting", "action_ids") and record.sudo().action_ids:
            # an item is deleted with its draft, never taken off its meeting
            return [[Command.DELETE.value, record.sudo().action_ids[0].id, 0]]
        if (record._name, fname) == ("sales.complaint", "action_ids"):  # an action, given to its reporter
            return [[Command.CREATE.value, 0, {"description": "RPC", "owner_id": self.rep_shanghai.id,
                                               "date_deadline": fields.Date.to_string(self.env.company._sales_org_today())}]]
        if (record._name, fname) == ("sales.org.robot", "webhook_url"):  # another closed port
            return ROBOT_URL.replace(":9/", ":7/")
        if (record._name, fname) == ("sales.complaint.action", "date_deadline"):  # from today on
            return fields.Date.to_string(self.env.company._sales_org_today() + timedelta(days=1))
        if (record._name, fname) == ("sales.commission.rule", "date_to"):  # after it starts
            return fields.Date.to_string(record.sudo().date_from + relativedelta(years=1))
        if (record._name, fname) == ("sales.visit", "host_ids"):  # a host who may open it: its recorder
            return [[Command.SET.value, 0, record.sudo().user_id.ids]]
        if (record._name, fname) == ("sales.visit", "date_end"):  # after the visitors arrive
            return fields.Datetime.to_string(record.sudo().date_end + timedelta(hours=1))
        if (record._name, fname) == ("sales.meeting", "start"):  # within its week
            return fields.Datetime.to_string(record.sudo().start + timedelta(hours=1))
        if (record._name, fname) == ("sales.org.role", "headcount_ids"):  # shared: plans of every company
            return [[Command.CREATE.value, 0, {"team_id": self.north.id, "planned_count": 2}]]
        if (record._name, fname) in special:
            return special[record._name, fname]().id
        if (record._name, fname) == ("sales.scorecard", "teamwork"):
            return "3"  # "0" is no rating: stored empty
        if (record._name, fname) in SAME_VALUE:
            return fields.Date.to_string(current) if field.type == "date" else field.convert_to_write(current, record)
        if field.type in ("char", "text"):
            return f"RPC {fname}"
        if field.type == "html":
            return f"<p>RPC {fname}</p>"
        if field.type in ("integer", "float", "monetary", "many2one_reference"):
            return (current or 0) + 1
        if field.type == "boolean":
            return not current
        if field.type == "date":
            return fields.Date.to_string((current or self.env.company._sales_org_today()) - timedelta(days=1))
        if field.type == "datetime":
            return "2026-01-01 10:00:00"
        if field.type == "selection":
            options = [value for value, _label in field._description_selection(self.env)]
            return next(value for value in options if value != current)
        if field.type == "many2one":
            other = others[field.comodel_name]
            return (other if other != current else self.env[field.comodel_name].search(
                [("id", "!=", current.id)], limit=1)).id
        # x2many commands as plain lists: XML-RPC does not marshal odoo.Command
        if field.type == "one2many":
            return [[Command.CLEAR.value, 0, 0]]
        if field.type == "many2many":
            if current:
                return [[Command.CLEAR.value, 0, 0]]
            return [[Command.LINK.value, others[field.comodel_name].id, 0]]
        raise AssertionError(f"no value for {record._name}.{fname} ({field.type})")

    # ------------------------------------------------------------------
    # Write
    # ------------------------------------------------------------------

    def test_every_field_is_classified(self):
        pairs = self.fields_of_the_addon()
        self.assertFalse(sorted(pairs - set(ALLOW)), "fields the allow-list does not classify")
        self.assertFalse(sorted(set(ALLOW) - pairs), "allow-list entries that are no field of the add-on")
        self.assertFalse(sorted({model for model, _f in pairs} - set(self.records)), "models without records")

    def read_back(self, record, fname):
        """What the database holds for the field; for the classification a line writes through,
        its customer's."""
        record.invalidate_recordset()
        if (record._name, fname) == ("sales.daily.report.line", "classification"):
            return record.sudo().partner_id.commercial_partner_id.sales_classification
        return record.sudo().read([fname])[0][fname]

    def test_field_write_matrix(self):
        for (model, fname), rule in sorted(ALLOW.items()):
            for key, (record, facts) in self.records[model].items():
                value = self.new_value(record, fname)
                before = self.read_back(record, fname)
                for role in ROLES:
                    allowed = rule({**facts, "role": role})
                    with self.subTest(cell=f"{role} × {model}.{fname} of {key} × write"):
                        accepted, after = self.attempt(role, model, "write", [record.ids, {fname: value}],
                                                       check=lambda record=record, fname=fname: self.read_back(record, fname))
                        self.assertEqual(accepted, allowed, self.refusal or "refused")
                        if not accepted:
                            self.assertEqual(after, before, "a refused write changes nothing")
                        elif record._fields[fname].type not in ("one2many", "many2many") \
                                and (model, fname) not in SAME_VALUE:
                            self.assertNotEqual(after, before, "an allowed write is written")

    def test_moved_into_another_company(self):
        """A robot's company is its unit's: moved into a unit of a company the writer is not in,
        refused as its create would be (its webhook would take that company's figures)."""
        for role in ROLES:
            with self.subTest(cell=f"{role} × sales.org.robot.team_id of East's × into B HQ"):
                accepted, after = self.attempt(role, "sales.org.robot", "write",
                                               [self.robot.ids, {"team_id": self.b_hq.id}],
                                               check=lambda: self.robot.sudo().company_id)
                self.assertFalse(accepted, "moved into another company")
                self.assertEqual(after, self.company_a)

    # ------------------------------------------------------------------
    # Create, delete
    # ------------------------------------------------------------------

    def test_create_matrix(self):
        today = self.env.company._sales_org_today()
        this_month = today.replace(day=1)
        everyone = set(ROLES)
        leaders = {"manager", "regional", "director", "admin", "outsider"}

        def other_company(role):
            return (self.company_a if role == "outsider" else self.company_b).id

        decided = {"state": "reviewed", "reviewer_id": self.director.id, "order_amount": 9999999}
        east_editors = {"manager", "regional", "director", "admin", "clerk"}
        spare_section = self.env["sales.daily.report.section"].create({"name": "T Spare Section"})
        creates = [
            ("sales.daily.report", "their own", lambda r: {"diary": "<p>Today</p>"}, everyone),
            ("sales.daily.report", "for someone else", lambda r: {"user_id": self.rep_north.id}, set()),
            ("sales.daily.report", "in a unit not theirs", lambda r: {"team_id": self.north.id}, set()),
            ("sales.daily.report", "for a day to come",
             lambda r: {"date": fields.Date.to_string(today + timedelta(days=1))}, set()),
            ("sales.daily.report", "in another company", lambda r: {"company_id": other_company(r)}, set()),
            ("sales.daily.report", "already reviewed", lambda r: decided, set()),
            ("sales.daily.report", "with figures", lambda r: {"order_count": 5}, set()),
            ("sales.monthly.summary", "their own", lambda r: {}, everyone),
            ("sales.monthly.summary", "for someone else", lambda r: {"user_id": self.manager.id}, {"manager"}),
            ("sales.monthly.summary", "for a month to come",
             lambda r: {"month": fields.Date.to_string(this_month + relativedelta(months=1))}, set()),
            ("sales.monthly.summary", "in another company", lambda r: {"company_id": other_company(r)}, set()),
            ("sales.monthly.summary", "already reviewed", lambda r: decided, set()),
            ("sales.daily.report.line", "on their draft",
             lambda r: {"report_id": self.report_of["rep_draft"].id, "subject": "Call"}, {"rep"}),
            ("sales.daily.report.line", "on a submitted report",
             lambda r: {"report_id": self.report_of["rep_submitted"].id, "subject": "Call"}, set()),
            ("sales.daily.report.line", "naming a lead of someone else",
             lambda r: {"report_id": self.report_of["rep_draft"].id, "lead_id": self.leads[self.rep_north].id},
             set()),
            ("sales.daily.report.line", "as a done activity",
             lambda r: {"report_id": self.report_of["rep_draft"].id,
                        "message_id": self.env["mail.message"].search([], limit=1).id}, set()),
            ("sales.daily.report.line", "checked in",
             lambda r: {"report_id": self.report_of["rep_draft"].id, "check_in_latitude": 31.2,
                        "check_in_longitude": 121.4}, {"rep"}),
            ("sales.daily.report.line", "checked in at a time of its own",
             lambda r: {"report_id": self.report_of["rep_draft"].id, "check_in_latitude": 31.2,
                        "check_in_longitude": 121.4, "check_in_date": "2026-01-01 10:00:00"}, set()),
            ("sales.daily.report.answer", "on their draft",
             lambda r: {"report_id": self.report_of["rep_draft"].id, "section_id": spare_section.id,
                        "body": "RPC"}, {"rep"}),
            ("sales.daily.report.answer", "on a submitted report",
             lambda r: {"report_id": self.report_of["rep_submitted"].id, "section_id": spare_section.id}, set()),
            ("sales.daily.report.answer", "as someone else",
             lambda r: {"report_id": self.report_of["rep_draft"].id, "section_id": spare_section.id,
                        "user_id": self.rep_north.id}, set()),
            ("sales.daily.report.section", "a section", lambda r: {"name": "RPC section"}, {"admin"}),
            ("crm.team", "a sub-unit", lambda r: {"name": "RPC unit", "parent_id": self.north.id}, {"admin"}),
            ("crm.team", "with its place in the tree", lambda r: {"name": "RPC unit", "parent_path": "1/"}, set()),
            ("crm.team.member", "with a role", lambda r: {
                "crm_team_id": self.north.id, "user_id": self.spare_user.id, "role_id": self.role_rep.id}, {"admin"}),
            ("crm.team.member", "with a reporting line", lambda r: {
                "crm_team_id": self.north.id, "user_id": self.spare_user.id,
                "parent_member_id": self.env["crm.team.member"].search([], limit=1).id}, set()),
            ("sales.org.role", "a role", lambda r: {"name": "RPC role", "code": "RPC"}, {"admin"}),
            ("sales.org.role.duty", "a duty", lambda r: {"role_id": self.role_rep.id, "name": "RPC"}, {"admin"}),
            ("sales.org.region", "a region", lambda r: {"name": "RPC region", "code": "RPC"}, {"admin"}),
            ("sales.org.headcount", "a plan", lambda r: {"team_id": self.north.id, "role_id": self.role_rep.id},
             {"admin"}),
            ("sales.org.headcount", "in another company", lambda r: {
                "team_id": self.north.id, "role_id": self.role_rep.id, "company_id": self.company_b.id}, set()),
            ("sales.customer.classification", "a history line", lambda r: {
                "partner_id": self.customer.id, "classification": "primary"}, set()),
            ("sales.daily.digest", "a digest", lambda r: {
                "user_id": self.manager.id, "date": fields.Date.to_string(today), "company_id": self.company_a.id},
             set()),
            ("sales.daily.report.status", "a row", lambda r: {}, set()),
            ("sales.org.figure", "a row", lambda r: {}, set()),
            ("sales.org.assignment", "a period", lambda r: {
                "user_id": self.spare_user.id, "team_id": self.north.id, "company_id": self.company_a.id,
                "date_from": fields.Date.to_string(today)}, set()),
            ("mail.message", "a call done", lambda r: {
                "model": "crm.lead", "res_id": self.leads[self.rep_shanghai].id, "body": "RPC",
                "sales_activity_done": True}, set()),
            ("sale.order", "already sent", lambda r: {
                "partner_id": self.customer.id, "sales_quotation_sent_date": "2026-01-01 10:00:00"}, set()),
            ("sales.customer.classify", "an assistant", lambda r: {"partner_id": self.customer.id}, leaders),
            ("sales.daily.report.export", "an assistant", lambda r: {}, everyone),
            ("res.config.settings", "settings", lambda r: {"sales_report_reminder_hour": 18}, set()),
            ("res.partner", "already classified", lambda r: {"name": "RPC", "sales_classification": "primary"},
             set()),
            ("res.partner", "in a region", lambda r: {"name": "RPC", "sales_region_id": self.region.id}, set()),
            ("crm.lead", "in a region", lambda r: {"name": "RPC", "sales_region_id": self.region.id}, set()),
            ("sales.org.approval.step", "a step", lambda r: {
                "res_model": "sales.daily.report", "res_id": self.report_of["rep_draft"].id,
                "requester_id": self.rep_shanghai.id, "company_id": self.company_a.id}, set()),
            ("sales.org.role.limit", "a limit", lambda r: {"role_id": self.role_clerk.id, "kind": "discount",
                                                           "limit": 5}, {"admin"}),
            ("sales.org.role.limit", "below zero", lambda r: {"role_id": self.role_clerk.id, "kind": "discount",
                                                              "limit": -1}, set()),
            ("sales.org.delegation", "their own", lambda r: {"delegate_id": self.spare_user.id}, everyone),
            ("sales.business.trip", "their own", lambda r: {
                "name": "RPC trip", "date_start": fields.Date.to_string(today + timedelta(days=3)),
                "date_end": fields.Date.to_string(today + timedelta(days=4))}, everyone),
            ("sales.business.trip", "for someone else", lambda r: {
                "name": "RPC trip", "user_id": self.rep_north.id, "date_start": fields.Date.to_string(today),
                "date_end": fields.Date.to_string(today)}, set()),
            ("sales.business.trip", "already approved", lambda r: {
                "name": "RPC trip", "state": "approved", "date_start": fields.Date.to_string(today),
                "date_end": fields.Date.to_string(today)}, set()),
            ("sales.business.trip.visit", "on their draft", lambda r: {
                "trip_id": self.trip_of["rep_draft"].id, "partner_id": self.customer.id, "purpose": "RPC",
                "visit_date": fields.Date.to_string(self.trip_of["rep_draft"].date_start)}, {"rep"}),
            ("sales.business.trip.visit", "on a submitted trip", lambda r: {
                "trip_id": self.trip_of["rep_submitted"].id, "partner_id": self.customer.id, "purpose": "RPC",
                "visit_date": fields.Date.to_string(self.trip_of["rep_submitted"].date_start)}, set()),
            ("sales.business.trip.cost", "on their draft", lambda r: {
                "trip_id": self.trip_of["rep_draft"].id, "expected_amount": 100}, {"rep"}),
            ("sales.business.trip.cost", "expected, after approval", lambda r: {
                "trip_id": self.trip_of["rep_approved"].id, "expected_amount": 100}, set()),
            ("sales.price.reduction", "on the rep's quotation", lambda r: {
                "order_id": self.cheap_quotation.id, "reason": "RPC"}, {"rep", *LEADERS_OF_REP}),
            ("sales.price.reduction", "for someone else", lambda r: {
                "order_id": self.cheap_quotation.id, "user_id": self.rep_north.id}, set()),
            ("sales.price.reduction", "already approved", lambda r: {
                "order_id": self.cheap_quotation.id, "state": "approved"}, set()),
            ("sales.price.reduction.line", "a line", lambda r: {
                "reduction_id": self.reduction_of["rep_draft"].id, "price": 1}, set()),
            ("sales.org.delegation", "for someone else", lambda r: {
                "user_id": self.rep_north.id, "delegate_id": self.spare_user.id}, {"admin"}),
            ("sales.org.delegation", "in another company", lambda r: {
                "delegate_id": self.spare_user.id, "company_id": other_company(r)}, set()),
            ("sales.meeting", "next week's, of the manager's unit", lambda r: {
                "team_id": self.east_business.id,
                "start": fields.Datetime.to_string(self.meeting_of["east_draft"].start + timedelta(days=7))},
             {"manager", "regional", "director", "admin"}),
            ("sales.meeting", "already confirmed", lambda r: {
                "team_id": self.east_business.id, "state": "confirmed",
                "start": fields.Datetime.to_string(self.meeting_of["east_draft"].start + timedelta(days=7))}, set()),
            ("sales.meeting.attendee", "on a draft", lambda r: {
                "meeting_id": self.meeting_of["east_draft"].id, "user_id": self.spare_user.id}, east_editors),
            ("sales.meeting.attendee", "on confirmed minutes", lambda r: {
                "meeting_id": self.meeting_of["east_confirmed"].id, "user_id": self.spare_user.id}, set()),
            ("sales.meeting.figure", "a line", lambda r: {"meeting_id": self.meeting_of["east_draft"].id}, set()),
            ("sales.meeting.problem", "on a draft", lambda r: {
                "meeting_id": self.meeting_of["east_draft"].id, "problem": "RPC"}, east_editors),
            ("sales.meeting.problem", "on confirmed minutes", lambda r: {
                "meeting_id": self.meeting_of["east_confirmed"].id, "problem": "RPC"}, set()),
            ("sales.meeting.action", "on a draft", lambda r: {
                "meeting_id": self.meeting_of["east_draft"].id, "name": "RPC", "user_id": self.rep_shanghai.id,
                "date_deadline": fields.Date.to_string(self.meeting_of["east_draft"].week_start)}, east_editors),
            ("sales.meeting.action", "on confirmed minutes", lambda r: {
                "meeting_id": self.meeting_of["east_confirmed"].id, "name": "RPC", "user_id": self.rep_shanghai.id,
                "date_deadline": fields.Date.to_string(today)}, set()),
            ("sales.training.program", "a programme", lambda r: {"name": "RPC", "role_id": self.spare_role.id},
             {"admin"}),
            ("sales.training.program.step", "a step", lambda r: {
                "program_id": self.programme_rep.id, "name": "RPC"}, {"admin"}),
            ("sales.training.program.step", "starting before the programme", lambda r: {
                "program_id": self.programme_rep.id, "name": "RPC", "day_offset": -1}, set()),
            ("sales.training.enrolment", "for the North's rep", lambda r: {
                "user_id": self.rep_north.id, "program_id": self.programme_rep.id,
                "date_start": fields.Date.to_string(today)}, {"director", "admin"}),
            ("sales.training.enrolment", "for oneself", lambda r: {
                "user_id": self.people_by_role[r].id, "program_id": self.programme_rep.id,
                "date_start": fields.Date.to_string(today)}, set()),
            ("sales.training.enrolment.step", "a step", lambda r: {
                "enrolment_id": self.enrolment_of[self.rep_shanghai].id, "name": "RPC"}, set()),
            ("sales.training.sign.off", "on the clerk's step", lambda r: {
                "step_id": self.sign_off.step_id.id, "result": "passed"}, everyone),
            ("sales.target", "for the East business unit", lambda r: {
                "team_id": self.east_business.id, "metric": "call_count", "period_type": "month",
                "date_from": fields.Date.to_string(this_month),
                "date_to": fields.Date.to_string(this_month + relativedelta(months=1, days=-1)), "amount": 300},
             {"regional", "director", "admin"}),
            ("sales.target", "for oneself", lambda r: {
                "target_type": "person", "user_id": self.people_by_role[r].id,
                "team_id": (self.people_by_role[r].sale_team_id or self.hq).id, "metric": "call_count",
                "period_type": "month",
                "date_from": fields.Date.to_string(this_month),
                "date_to": fields.Date.to_string(this_month + relativedelta(months=1, days=-1)), "amount": 300},
             set()),
            ("sales.target", "already agreed", lambda r: {
                "team_id": self.east_business.id, "metric": "visit_count", "period_type": "month",
                "date_from": fields.Date.to_string(this_month),
                "date_to": fields.Date.to_string(this_month + relativedelta(months=1, days=-1)), "amount": 30,
                "state": "agreed"}, set()),
            ("sales.target.unlock", "for the agreed quarter", lambda r: {
                "target_ids": [[Command.SET.value, 0, self.target_of["east_agreed"].ids]], "reason": "RPC"},
             {"manager", "regional", "director", "admin", "outsider"}),
            ("sales.target.breakdown", "of the East business unit", lambda r: {
                "target_id": self.target_of["east_business"].id, "split": "person"},
             {"regional", "director", "admin"}),
            ("sales.target.export", "their own", lambda r: {}, everyone),
            ("sales.regional.plan", "for the region one leads", lambda r: {
                "name": "RPC plan", "team_id": self.east.id, "period_type": "month",
                "date_from": fields.Date.to_string(this_month),
                "date_to": fields.Date.to_string(this_month + relativedelta(months=1, days=-1))}, {"regional"}),
            ("sales.regional.plan", "already approved", lambda r: {
                "name": "RPC plan", "team_id": self.east.id, "period_type": "month", "state": "approved",
                "date_from": fields.Date.to_string(this_month),
                "date_to": fields.Date.to_string(this_month + relativedelta(months=1, days=-1))}, set()),
            ("sales.regional.plan.milestone", "on a draft plan", lambda r: {
                "plan_id": self.plan_of["east_draft"].id, "name": "RPC"}, {"regional"}),
            ("sales.regional.plan.milestone", "on a submitted plan", lambda r: {
                "plan_id": self.plan_of["east_submitted"].id, "name": "RPC"}, set()),
            ("sales.slip", "about the rep", lambda r: {
                "kind": "reward", "person_id": self.rep_shanghai.id, "points": 1,
                "date": fields.Date.to_string(today)}, {"manager", "regional", "director"}),
            ("sales.slip", "about oneself", lambda r: {
                "kind": "reward", "person_id": self.people_by_role[r].id, "points": 1,
                "date": fields.Date.to_string(today)}, set()),
            ("sales.slip", "already approved", lambda r: {
                "kind": "reward", "person_id": self.rep_shanghai.id, "points": 1, "state": "approved",
                "date": fields.Date.to_string(today)}, set()),
            ("sales.slip.reason", "a reason", lambda r: {"name": "RPC", "kind": "reward", "points": 1}, {"admin"}),
            ("sales.scorecard.weight", "the whole score of a role", lambda r: {
                "role_id": self.role_clerk.id, "criterion": "sales", "weight": 100}, {"admin"}),
            ("sales.scorecard.export", "their own", lambda r: {}, everyone),
            ("sales.scorecard", "by hand", lambda r: {
                "user_id": self.rep_north.id, "company_id": self.company_a.id, "period_type": "month",
                "date_from": fields.Date.to_string(this_month),
                "date_to": fields.Date.to_string(this_month + relativedelta(months=1, days=-1))}, set()),
            ("sales.commission.rule", "a rule", lambda r: {"name": "RPC", "rate": 1}, {"admin"}),
            ("sales.commission.rule", "above 100 %", lambda r: {"name": "RPC", "rate": 101}, set()),
            ("sales.commission.rule", "as a later version", lambda r: {
                "name": "RPC", "rate": 1, "origin_id": self.commission_rule.id, "version": 2}, set()),
            ("sales.commission.rule.tier", "a tier", lambda r: {
                "rule_id": self.tiered_rule.id, "amount_from": 100000, "rate": 2}, {"admin"}),
            ("sales.commission.rule.tier", "overlapping", lambda r: {
                "rule_id": self.tiered_rule.id, "amount_from": 10, "rate": 2}, set()),
            ("sales.key.account.takeover", "by hand", lambda r: {
                "partner_id": self.customer.id, "director_id": self.director.id, "team_id": self.north.id,
                "company_id": self.company_a.id, "date_from": fields.Date.to_string(today), "reason": "RPC"}, set()),
            ("sales.commission.settlement", "by hand", lambda r: {
                "user_id": self.people_by_role[r].id, "company_id": self.company_a.id,
                "date_from": fields.Date.to_string(this_month), "date_to": fields.Date.to_string(today)}, set()),
            ("sales.commission.settlement.line", "by hand", lambda r: {
                "settlement_id": self.settlement_of["rep_draft"].id, "user_id": self.rep_shanghai.id,
                "company_id": self.company_a.id, "period_date": fields.Date.to_string(this_month), "kind": "own",
                "source_ref": "RPC", "amount": 1000}, set()),
            ("sales.commission.dispute", "of the rep's line", lambda r: {
                "line_id": self.settlement_of["rep_confirmed"].line_ids[2].id, "description": "RPC"}, {"rep"}),
            ("sales.commission.dispute", "already approved", lambda r: {
                "line_id": self.settlement_of["rep_confirmed"].line_ids[2].id, "description": "RPC",
                "state": "approved"}, set()),
            ("sales.key.account.wizard", "for a key account", lambda r: {
                "partner_id": self.key_account.id, "mode": "hand_back", "reason": "RPC"},
             {"director", "admin", "outsider"}),
            ("sales.commission.rule.version", "for a rule", lambda r: {
                "rule_id": self.commission_rule.id, "mode": "correct"}, {"admin"}),
            ("sales.commission.compute", "an assistant", lambda r: {}, {"admin"}),
            ("sales.commission.export", "their own", lambda r: {}, everyone),
            # a collection call: by the invoice's salesperson, the people of its unit or a unit above
            # (the clerk), its leaders, the sales administrator
            ("sales.collection.call", "about the rep's invoice", lambda r: {
                "move_id": self.rep_invoice.id, "result": "RPC"}, {"rep", "clerk", *LEADERS_OF_REP}),
            ("sales.collection.call", "for someone else", lambda r: {
                "move_id": self.rep_invoice.id, "user_id": self.rep_shanghai.id if r != "rep" else self.manager.id},
             set()),
            ("sales.collection.call", "promising more than is due", lambda r: {
                "move_id": self.rep_invoice.id, "promised_date": fields.Date.to_string(today),
                "promised_amount": 1000.01}, set()),
            ("sales.collection.call", "with a promise for a day past", lambda r: {
                "move_id": self.rep_invoice.id, "promised_date": fields.Date.to_string(today - timedelta(days=1))},
             set()),
            ("sales.collection.call", "already reminded", lambda r: {
                "move_id": self.rep_invoice.id, "reminded": True}, set()),
            ("account.move", "with a promise", lambda r: {
                "move_type": "out_invoice", "partner_id": self.customer.id,
                "sales_promised_payment_date": fields.Date.to_string(today)}, set()),
            ("sales.collection.report", "a row", lambda r: {}, set()),
            ("sale.order", "already produced", lambda r: {
                "partner_id": self.customer.id, "sales_production_state": "produced"}, set()),
            ("sales.order.delay", "by hand", lambda r: {
                "order_id": self.followed_order.id, "company_id": self.company_a.id, "user_id": self.rep_shanghai.id,
                "new_date": "2026-01-01 10:00:00", "reason": "RPC"}, set()),
            ("sales.order.delay.wizard", "on the rep's order", lambda r: {
                "order_id": self.followed_order.id, "new_date": fields.Date.to_string(today + timedelta(days=30)),
                "reason": "RPC"}, {"rep", *LEADERS_OF_REP}),
            ("sales.commission.dispute", "with its adjustment", lambda r: {
                "line_id": self.settlement_of["rep_confirmed"].line_ids[2].id, "description": "RPC",
                "amount_granted": 100}, set()),
            ("sales.return.request", "on the rep's order", lambda r: {
                "order_id": self.delivered_order.id, "reason": "quality"}, {"rep", *LEADERS_OF_REP}),
            ("sales.return.request", "for someone else", lambda r: {
                "order_id": self.delivered_order.id, "reason": "quality", "user_id": self.rep_north.id}, set()),
            ("sales.return.request", "already approved", lambda r: {
                "order_id": self.delivered_order.id, "reason": "quality", "state": "approved"}, set()),
            ("sales.return.request", "on a quotation", lambda r: {
                "order_id": self.cheap_quotation.id, "reason": "quality"}, set()),
            ("sales.return.request.line", "on their draft", lambda r: {
                "request_id": self.return_of["rep_draft"].id,
                "sale_line_id": self.delivered_order.order_line.id, "quantity": 1}, {"rep"}),
            ("sales.return.request.line", "more than was delivered", lambda r: {
                "request_id": self.return_of["rep_draft"].id,
                "sale_line_id": self.delivered_order.order_line.id, "quantity": 7}, set()),
            ("sales.return.request.line", "on a submitted request", lambda r: {
                "request_id": self.return_of["rep_submitted"].id,
                "sale_line_id": self.delivered_order.order_line.id, "quantity": 1}, set()),
            ("sales.sample", "their own", lambda r: {"partner_id": self.customer.id}, everyone),
            ("sales.sample", "for someone else", lambda r: {
                "partner_id": self.customer.id, "user_id": self.rep_north.id}, set()),
            ("sales.sample", "already sent", lambda r: {"partner_id": self.customer.id, "state": "sent"}, set()),
            ("sales.sample", "with its cost set by hand", lambda r: {
                "partner_id": self.customer.id, "total_cost": 5}, set()),
            ("sales.sample", "in a unit not theirs", lambda r: {
                "partner_id": self.customer.id, "team_id": self.north.id}, {"director"}),
            ("sales.sample", "from a call of the rep's report", lambda r: {
                "daily_report_line_id": self.report_of["rep_draft"].line_ids.id}, {"rep"}),
            ("sales.sample.line", "on the clerk's draft", lambda r: {
                "sample_id": self.sample_of["clerk_draft"].id, "description": "RPC", "quantity": 1}, {"clerk"}),
            ("sales.sample.line", "on a sample sent", lambda r: {
                "sample_id": self.sample_of["clerk_sent"].id, "description": "RPC", "quantity": 1}, set()),
            ("sales.sample.line", "of nothing", lambda r: {
                "sample_id": self.sample_of["clerk_draft"].id, "description": "RPC", "quantity": 0}, set()),
            ("sales.visit", "their own", lambda r: {
                "partner_id": self.customer.id, "visitor_names": "RPC", "purpose": "RPC",
                "date_start": "2026-01-01 02:00:00", "date_end": "2026-01-01 08:00:00"}, everyone),
            ("sales.visit", "leaving before arriving", lambda r: {
                "partner_id": self.customer.id, "visitor_names": "RPC", "purpose": "RPC",
                "date_start": "2026-01-01 08:00:00", "date_end": "2026-01-01 02:00:00"}, set()),
            ("sales.visit", "already received", lambda r: {
                "partner_id": self.customer.id, "visitor_names": "RPC", "purpose": "RPC", "state": "done",
                "date_start": "2026-01-01 02:00:00", "date_end": "2026-01-01 08:00:00"}, set()),
            ("sales.visit", "for someone else", lambda r: {
                "partner_id": self.customer.id, "visitor_names": "RPC", "purpose": "RPC", "user_id": self.rep_north.id,
                "date_start": "2026-01-01 02:00:00", "date_end": "2026-01-01 08:00:00"}, set()),
        ]
        creates += [
            ("sales.market.info", "their own", lambda r: {"kind": "trend", "description": "RPC"}, everyone),
            ("sales.market.info", "for someone else", lambda r: {
                "kind": "trend", "description": "RPC", "user_id": self.rep_north.id}, set()),
            ("sales.market.info", "for a day to come", lambda r: {
                "kind": "trend", "description": "RPC", "date": fields.Date.to_string(today + timedelta(days=1))},
             set()),
            ("sales.market.info", "a price without its price", lambda r: {
                "kind": "price", "competitor_id": self.shared_competitor.id, "product_description": "RPC",
                "description": "RPC"}, set()),
            ("sales.market.info", "already acknowledged", lambda r: {
                "kind": "trend", "description": "RPC", "state": "acknowledged"}, set()),
            ("sales.market.info", "in another company", lambda r: {
                "kind": "trend", "description": "RPC", "company_id": other_company(r)}, set()),
            ("sales.market.info", "from the rep's call", lambda r: {
                "kind": "trend", "description": "RPC",
                "daily_report_line_id": self.report_of["rep_draft"].line_ids[:1].id}, {"rep"}),
            ("sales.competitor", "of their company", lambda r: {"name": "RPC competitor"},
             {"manager", "regional", "director", "admin", "outsider"}),
            ("sales.competitor", "shared", lambda r: {"name": "RPC competitor", "company_id": False}, {"admin"}),
            ("sales.complaint", "their own", lambda r: {"partner_id": self.customer.id}, everyone),
            ("sales.complaint", "for someone else", lambda r: {
                "partner_id": self.customer.id, "user_id": self.rep_north.id}, set()),
            ("sales.complaint", "already closed", lambda r: {"partner_id": self.customer.id, "state": "closed"},
             set()),
            ("sales.complaint", "routed by hand", lambda r: {
                "partner_id": self.customer.id, "service_team_id": self.north.id}, set()),
            ("sales.complaint", "claiming below zero", lambda r: {"partner_id": self.customer.id, "claim_amount": -1},
             set()),
            ("sales.complaint", "for a day to come", lambda r: {
                "partner_id": self.customer.id, "date": fields.Date.to_string(today + timedelta(days=1))}, set()),
            ("sales.complaint", "with its resolution", lambda r: {"partner_id": self.customer.id, "resolution": "RPC"},
             set()),
            ("sales.complaint", "from the rep's call", lambda r: {
                "partner_id": self.customer.id, "daily_report_line_id": self.report_of["rep_draft"].line_ids.id},
             {"rep"}),
            ("sales.complaint.action", "on the open complaint", lambda r: {
                "complaint_id": self.complaint_of["rep_open"].id, "description": "RPC", "owner_id": self.rep_shanghai.id,
                "date_deadline": fields.Date.to_string(today)}, self.complaint_workers),
            ("sales.complaint.action", "on the closed complaint", lambda r: {
                "complaint_id": self.complaint_of["rep_closed"].id, "description": "RPC",
                "owner_id": self.rep_shanghai.id, "date_deadline": fields.Date.to_string(today)}, set()),
            ("sales.complaint.action", "already done", lambda r: {
                "complaint_id": self.complaint_of["rep_open"].id, "description": "RPC", "owner_id": self.rep_shanghai.id,
                "date_deadline": fields.Date.to_string(today), "state": "done"}, set()),
            ("sales.complaint.category", "a category", lambda r: {"name": "RPC"}, {"admin"}),
            ("sales.complaint.monthly", "an analysis", lambda r: {}, everyone),
            ("sales.complaint.monthly", "in another company", lambda r: {"company_id": other_company(r)}, set()),
            ("sales.complaint.report", "a row", lambda r: {}, set()),
            ("sales.org.robot", "a robot", lambda r: {
                "name": "RPC", "team_id": self.north.id, "webhook_url": ROBOT_URL.replace(":9/", ":5/")}, {"admin"}),
            ("sales.org.robot", "already paused", lambda r: {
                "name": "RPC", "team_id": self.north.id, "webhook_url": ROBOT_URL.replace(":9/", ":5/"), "is_paused": True}, set()),
            ("sales.org.robot", "for a unit of another company", lambda r: {
                "name": "RPC", "team_id": (self.b_hq if r != "outsider" else self.north).id,
                "webhook_url": ROBOT_URL.replace(":9/", ":5/")}, set()),
            ("sales.org.robot", "with a webhook in clear", lambda r: {
                "name": "RPC", "team_id": self.north.id,
                "webhook_url": "http://oapi.dingtalk.com/robot/send?access_token=t"}, set()),
            ("sales.org.robot", "in a language not installed", lambda r: {
                "name": "RPC", "team_id": self.north.id, "webhook_url": ROBOT_URL.replace(":9/", ":5/"), "lang": "fr_BE"}, set()),
            ("sales.org.robot.message", "a message", lambda r: {
                "robot_id": self.robot.id, "company_id": self.company_a.id, "kind": "digest", "key": "rpc",
                "title": "RPC", "body": "RPC"}, set()),
        ]
        for model, label, values, allowed in creates:
            for role in ROLES:
                with self.subTest(cell=f"{role} × {model} {label} × create"):
                    accepted, _seen = self.attempt(role, model, "create", [values(role)])
                    self.assertEqual(accepted, role in allowed, self.refusal or "refused")

    def test_unlink_matrix(self):
        unlinks = [
            (self.report_of["rep_draft"], {"rep"}),
            (self.report_of["rep_submitted"], set()),
            (self.report_of["north_draft"], set()),
            (self.report_of["outsider_draft"], {"outsider"}),
            (self.summary_of["manager_draft"], {"manager"}),
            (self.summary_of["manager_submitted"], set()),
            (self.report_of["rep_draft"].line_ids, {"rep"}),
            (self.report_of["rep_submitted"].line_ids, set()),
            # a photo goes with its line: through the attachment as well
            (self.photos["rep_draft"], {"rep"}),
            (self.photos["rep_submitted"], set()),
            (self.photos["north_draft"], set()),
            (self.report_of["rep_draft"].answer_ids[:1], {"rep"}),
            (self.report_of["rep_submitted"].answer_ids[:1], set()),
            (self.shanghai, set()),  # members, leads, reports: archived, not deleted
            (self.empty_unit, {"admin"}),
            (self.b_hq, set()),
            (self.records["crm.team.member"]["rep's membership"][0], {"admin"}),
            (self.role_rep, set()),  # held by people
            (self.spare_role, {"admin"}),
            (self.duty, {"admin"}),
            (self.region, set()),  # has a unit
            (self.spare_region, {"admin"}),
            (self.shanghai.headcount_ids, {"admin"}),
            (self.b_hq.headcount_ids, set()),
            (self.step, set()),  # the history of a request
            (self.limit, {"admin"}),
            (self.delegation, {"admin"}),  # archived by its leader, deleted by the administrator only
            (self.trip_of["rep_draft"], {"rep"}),
            (self.trip_of["rep_submitted"], set()),
            (self.trip_of["rep_approved"], set()),
            (self.trip_of["rep_draft"].visit_ids, {"rep"}),
            (self.trip_of["rep_approved"].visit_ids, set()),
            (self.trip_of["rep_draft"].cost_ids[:1], {"rep"}),
            (self.trip_of["rep_approved"].cost_ids[:1], set()),
            (self.reduction_of["rep_draft"], {"rep"}),
            (self.reduction_of["rep_submitted"], set()),
            (self.reduction_of["rep_draft"].line_ids, set()),
            (self.meeting_of["east_draft"], {"manager", "regional", "director", "admin"}),  # its items with it
            (self.meeting_of["east_confirmed"], set()),  # archived: revised, never deleted
            (self.meeting_of["east_draft"].attendee_ids[:1], {"manager", "regional", "director", "admin", "clerk"}),
            (self.meeting_of["east_confirmed"].attendee_ids[:1], set()),
            (self.meeting_of["east_draft"].figure_ids[:1], set()),
            (self.meeting_of["east_draft"].problem_ids, {"manager", "regional", "director", "admin", "clerk"}),
            (self.meeting_of["east_confirmed"].problem_ids, set()),
            (self.item_of["east_draft"], {"manager", "regional", "director", "admin", "clerk"}),
            (self.item_of["east_confirmed"], set()),  # cancelled, not deleted
            (self.programme_rep, set()),  # followed by people: archived
            (self.programme_rep.step_ids[:1], {"admin"}),  # the trainings planned keep their own steps
            (self.enrolment_of[self.rep_shanghai], set()),  # a training under way stays on record
            (self.enrolment_of[self.rep_shanghai].step_ids[:1], set()),
            (self.target_of["east_business"], {"regional", "director", "admin"}),
            (self.target_of["rep"], LEADERS_OF_REP),
            (self.target_of["east_agreed"], set()),  # unlocked first
            (self.target_of["b_sub"], set()),
            (self.plan_of["east_draft"], {"regional"}),
            (self.plan_of["east_submitted"], set()),
            (self.plan_of["east_draft"].milestone_ids, {"regional"}),
            (self.plan_of["east_submitted"].milestone_ids, set()),
            (self.breakdown_wizard.line_ids[:1], {"regional"}),
            (self.slip_of["manager_draft"], {"manager"}),
            (self.slip_of["manager_submitted"], set()),
            (self.spare_slip_reason, {"admin"}),
            (self.weight, {"admin"}),  # the role is left without a scorecard
            (self.scorecard_of["rep_draft"], set()),
            (self.scorecard_of["rep_confirmed"], set()),
            (self.other_commission_rule, {"admin"}),
            (self.tiered_rule.tier_ids, {"admin"}),
            (self.takeover, set()),  # the history of a key account
            (self.settlement_of["rep_draft"], set()),  # computed again, never deleted by hand
            (self.settlement_of["rep_confirmed"], set()),
            (self.settlement_of["rep_draft"].line_ids, set()),
            (self.settlement_of["rep_confirmed"].line_ids, set()),
            (self.dispute_of["rep_draft"], {"rep"}),
            (self.dispute_of["rep_submitted"], set()),
            (self.return_of["rep_draft"], {"rep"}),
            (self.return_of["rep_submitted"], set()),
            (self.return_of["rep_draft"].line_ids, {"rep"}),
            (self.return_of["rep_submitted"].line_ids, set()),
            (self.sample_of["clerk_draft"], {"clerk"}),
            (self.sample_of["clerk_sent"], set()),  # cancelled, not deleted
            (self.sample_of["outsider_draft"], {"outsider"}),
            (self.sample_of["clerk_draft"].line_ids, {"clerk"}),
            (self.sample_of["clerk_sent"].line_ids, set()),
            (self.visit_of["clerk_planned"], {"clerk"}),
            (self.visit_of["clerk_done"], set()),
            (self.visit_of["outsider_planned"], {"outsider"}),
            (self.market_info_of["rep_new"], {"rep"}),  # before it is acknowledged
            (self.market_info_of["rep_acknowledged"], set()),
            (self.market_info_of["north_new"], set()),
            (self.spare_competitor, {"admin"}),
            (self.collection_call, {"admin"}),  # the history of a collection: the sales administrator only
            (self.complaint_of["rep_draft"], {"rep"}),
            (self.complaint_of["rep_open"], set()),  # cancelled, not deleted
            (self.complaint_of["rep_closed"], set()),
            (self.complaint_action, set()),
            (self.spare_complaint_category, {"admin"}),
            (self.complaint_category, set()),  # complaints have it
            (self.robot, set()),  # it has sent: archived, its outbox kept
            (self.b_robot, set()),
            (self.robot_message, set()),  # cancelled, not deleted
            *((record, set()) for model in ("sales.customer.classification", "sales.daily.digest",
                                            "sales.daily.report.status", "sales.org.figure",
                                            "sales.org.assignment", "sales.customer.classify",
                                            "sales.daily.report.export", "sales.target.analysis",
                                            "sales.target.unlock", "sales.target.breakdown",
                                            "sales.target.export", "sales.scorecard.export",
                                            "sales.key.account.wizard", "sales.commission.rule.version",
                                            "sales.commission.compute", "sales.commission.export",
                                            "sales.collection.report", "sales.order.delay",
                                            "sales.order.delay.wizard", "sales.complaint.report",
                                            "sales.complaint.monthly")
              for record, _facts in self.records[model].values()),
        ]
        for record, allowed in unlinks:
            for role in ROLES:
                with self.subTest(cell=f"{role} × {record._name} {record.ids} × unlink"):
                    accepted, still_there = self.attempt(
                        role, record._name, "unlink", [record.ids],
                        check=lambda record=record: bool(record.sudo().exists()))
                    self.assertEqual(accepted, role in allowed, self.refusal or "refused")
                    self.assertEqual(still_there, not accepted)

    # ------------------------------------------------------------------
    # Public methods
    # ------------------------------------------------------------------

    def public_methods(self):
        """{(model, method)}: the methods of the add-on's classes callable over RPC."""
        found = set()
        for name, model_class in self.registry.items():
            if model_class._abstract:
                continue
            for klass in inspect.getmro(model_class):
                if not klass.__module__.startswith("odoo.addons.sales_team_org"):
                    continue
                for attr, member in vars(klass).items():
                    if callable(member) and not attr.startswith("_") and not isinstance(member, type):
                        found.add((name, attr))
        return found

    def test_public_methods_are_refused_outside_ones_rights(self):
        rep_report, rep_submitted = self.report_of["rep_draft"], self.report_of["rep_submitted"]
        manager_draft, manager_submitted = self.summary_of["manager_draft"], self.summary_of["manager_submitted"]
        company_a_roles = set(ROLES) - {"outsider"}
        east_editors = {"manager", "regional", "director", "admin", "clerk"}
        rep_first_step = self.enrolment_of[self.rep_shanghai].step_ids[0]
        # today's row of the rep on the board, whatever day the suite runs
        every_day = self.env["resource.calendar"].create({
            "name": "T Every Day", "attendance_ids": [Command.create({
                "name": f"Day {day}", "dayofweek": str(day), "hour_from": 8, "hour_to": 17}) for day in range(7)],
        })
        self.env["resource.resource"].create({"name": "T Rep", "user_id": self.rep_shanghai.id,
                                              "calendar_id": every_day.id})
        rep_today = self.env["sales.daily.report.status"].search([
            ("user_id", "=", self.rep_shanghai.id), ("date", "=", self.env.company._sales_org_today())])
        self.assertTrue(rep_today)
        calls = [
            (rep_today, "action_urge", LEADERS_OF_REP),
            (rep_report, "action_submit", {"rep"}),
            (self.report_of["outsider_draft"], "action_submit", {"outsider"}),
            (rep_submitted, "action_approve", LEADERS_OF_REP),
            (rep_submitted, "action_return", LEADERS_OF_REP),
            (self.report_of["north_draft"], "action_refresh_figures", set()),
            (rep_report, "action_refresh_figures", {"rep"}),
            (manager_draft, "action_submit", {"manager"}),
            (manager_draft, "action_refresh_figures", {"manager"}),
            (manager_submitted, "action_approve", {"regional", "director", "admin"}),
            (manager_submitted, "action_return", {"regional", "director", "admin"}),
            (rep_submitted.line_ids, "action_schedule_next_step", LEADERS_OF_REP),
            (rep_submitted.line_ids, "action_classify_customer", LEADERS_OF_REP),
            (self.report_of["north_draft"].line_ids, "action_classify_customer", {"director", "admin"}),
            (self.report_of["north_draft"].line_ids, "action_schedule_next_step", {"director", "admin"}),
            (self.shanghai, "action_view_children", company_a_roles),
            (self.b_hq, "action_view_children", {"outsider"}),
            (self.role_rep, "action_view_holders", set(ROLES)),  # a shared catalogue everyone reads
            (self.region, "action_view_provinces_without_region", set(ROLES)),  # likewise
            (self.leads[self.rep_shanghai], "action_route_to_region", {"rep", *LEADERS_OF_REP}),
            (self.leads[self.rep_north], "action_route_to_region", {"director", "admin"}),
            (self.customer, "action_set_classification", {*LEADERS_OF_REP, "outsider"}),
            (self.north_customer, "action_set_classification", {"director", "admin", "outsider"}),
            (self.classify_wizard, "action_apply", {"manager"}),
            (self.export_wizard, "action_export", {"rep"}),
            (self.step, "action_open_document", {"rep", *LEADERS_OF_REP}),
            (rep_submitted, "action_refuse", set()),  # a review returns, never refuses
            (rep_report, "action_cancel", set()),
            (manager_submitted, "action_refuse", set()),
            (manager_draft, "action_cancel", set()),
            (self.trip_of["rep_draft"], "action_submit", {"rep"}),
            (self.trip_of["rep_draft"], "action_cancel", {"rep"}),
            (self.trip_of["north_draft"], "action_submit", set()),
            (self.trip_of["rep_submitted"], "action_approve", LEADERS_OF_REP),
            (self.trip_of["rep_submitted"], "action_return", LEADERS_OF_REP),
            (self.trip_of["rep_submitted"], "action_refuse", LEADERS_OF_REP),
            (self.trip_of["rep_submitted"], "action_cancel", {"rep"}),
            (self.trip_of["rep_approved"], "action_add_visits_to_daily_report", {"rep"}),
            (self.trip_of["rep_approved"], "action_cancel", set()),
            (self.cheap_quotation, "action_confirm", set()),  # below the rep's floor: nobody confirms it
            (self.cheap_quotation, "action_request_price_reduction", {"rep", *LEADERS_OF_REP}),
            (self.cheap_quotation, "action_view_price_reductions", {"rep", *LEADERS_OF_REP}),
            (self.reduction_of["rep_draft"], "action_refresh_lines", {"rep"}),
            (self.reduction_of["rep_draft"], "action_open_order", {"rep", *LEADERS_OF_REP}),
            (self.reduction_of["rep_draft"], "action_submit", {"rep"}),
            (self.reduction_of["rep_submitted"], "action_approve", LEADERS_OF_REP),
            (self.reduction_of["rep_submitted"], "action_return", LEADERS_OF_REP),
            (self.reduction_of["rep_submitted"], "action_refuse", LEADERS_OF_REP),
            (self.reduction_of["rep_submitted"], "action_cancel", {"rep"}),
            (self.meeting_of["east_draft"], "action_confirm", east_editors),
            (self.meeting_of["east_draft"], "action_refresh_figures", east_editors),
            (self.meeting_of["east_draft"], "action_open_event", east_editors),
            (self.meeting_of["east_confirmed"], "action_revise", east_editors),
            (self.meeting_of["east_confirmed"], "action_confirm", set()),
            (self.meeting_of["east_confirmed"], "action_refresh_figures", set()),
            (self.meeting_of["north_draft"], "action_confirm", {"director", "admin"}),
            (self.item_of["east_draft"], "action_done", {"rep", *east_editors}),
            (self.item_of["east_draft"], "action_cancel", east_editors),
            (self.item_of["east_draft"], "action_reopen", set()),  # open already
            (self.item_of["east_confirmed"], "action_done", {"rep", *east_editors}),
            (self.enrolment_of[self.rep_shanghai], "action_cancel", LEADERS_OF_REP),
            (rep_first_step, "action_start", set()),  # started already
            (rep_first_step, "action_mark_done", {"rep"}),
            (rep_first_step, "action_sign_off", set()),  # not marked done, and no result
            (self.enrolment_of[self.rep_shanghai].step_ids[1], "action_start", set()),  # the first is not passed
            (self.sign_off, "action_sign_off", {"manager"}),  # the clerk's trainer, through their own dialog
            (self.target_of["east_business"], "action_agree", {"regional", "director", "admin"}),
            (self.target_of["rep"], "action_agree", LEADERS_OF_REP),
            (self.target_of["b_sub"], "action_agree", set()),
            (self.target_of["east_agreed"], "action_unlock", set()),  # not without a reason
            (self.target_of["east_agreed"], "action_open_unlock", {"director", "admin"}),
            (self.target_of["east_business"], "action_open_unlock", {"regional", "director", "admin"}),
            # an agreed target is broken down by whoever reads it, into the children they may set
            (self.target_of["east_agreed"], "action_open_breakdown", {"regional", "director", "admin"}),
            (self.target_of["east_business"], "action_open_breakdown", {"regional", "director", "admin"}),
            (self.unlock_wizard, "action_unlock", {"director"}),
            (self.breakdown_wizard, "action_apply", {"regional"}),
            (self.target_export, "action_export", {"rep"}),
            (self.plan_of["east_draft"], "action_submit", {"regional"}),
            (self.plan_of["east_draft"], "action_cancel", {"regional"}),
            (self.plan_of["east_submitted"], "action_approve", {"director", "admin"}),
            (self.plan_of["east_submitted"], "action_return", {"director", "admin"}),
            (self.plan_of["east_submitted"], "action_refuse", {"director", "admin"}),
            (self.plan_of["east_submitted"], "action_cancel", {"regional"}),
            (self.plan_of["east_submitted"].milestone_ids, "action_done", set()),  # once approved
            (self.plan_of["east_submitted"].milestone_ids, "action_reopen", set()),
            (self.slip_of["manager_draft"], "action_submit", {"manager"}),
            (self.slip_of["manager_draft"], "action_cancel", {"manager"}),
            (self.slip_of["manager_submitted"], "action_approve", {"regional", "director", "admin"}),
            (self.slip_of["manager_submitted"], "action_return", {"regional", "director", "admin"}),
            (self.slip_of["manager_submitted"], "action_refuse", {"regional", "director", "admin"}),
            (self.slip_of["manager_submitted"], "action_cancel", {"manager"}),
            (self.scorecard_of["rep_draft"], "action_confirm", LEADERS_OF_REP),
            (self.scorecard_of["rep_draft"], "action_refresh", LEADERS_OF_REP),
            (self.scorecard_of["rep_confirmed"], "action_confirm", set()),
            (self.scorecard_of["rep_confirmed"], "action_refresh", set()),
            (self.scorecard_export, "action_export", {"manager"}),
            (self.settlement_of["rep_draft"], "action_confirm", set()),  # this month: confirmed once it has ended
            (self.settlement_of["rep_draft"], "action_mark_paid", set()),  # confirmed first
            (self.settlement_of["rep_confirmed"], "action_confirm", set()),
            (self.settlement_of["rep_confirmed"], "action_mark_paid", {"admin"}),
            (self.settlement_of["rep_confirmed"].line_ids[2], "action_dispute", {"rep"}),
            (self.dispute_of["rep_draft"], "action_submit", {"rep"}),
            (self.dispute_of["rep_draft"], "action_cancel", {"rep"}),
            (self.dispute_of["rep_submitted"], "action_approve", set()),  # not before the adjustment is set
            (self.dispute_of["rep_submitted"], "action_return", LEADERS_OF_REP),
            (self.dispute_of["rep_submitted"], "action_refuse", LEADERS_OF_REP),
            (self.dispute_of["rep_submitted"], "action_cancel", {"rep"}),
            # each company's sales director marks its own key accounts (the outsider: company B's)
            (self.customer, "action_set_key_account", {"director", "admin", "outsider"}),
            (self.customer, "action_unset_key_account", {"director", "admin", "outsider"}),
            (self.customer, "action_take_over_key_account", {"director", "admin", "outsider"}),
            (self.customer, "action_hand_back_key_account", {"director", "admin", "outsider"}),
            (self.key_account_wizard, "action_confirm", {"director"}),
            (self.rule_version_wizard, "action_apply", {"admin"}),
            (self.commission_compute, "action_compute", {"admin"}),
            (self.commission_export, "action_export", {"rep"}),
            (self.return_of["rep_draft"], "action_submit", {"rep"}),
            (self.return_of["rep_draft"], "action_cancel", {"rep"}),
            (self.return_of["rep_draft"], "action_open_order", {"rep", *LEADERS_OF_REP}),
            (self.return_of["rep_draft"], "action_open_return_picking", set()),  # approved with Inventory only
            (self.return_of["rep_submitted"], "action_approve", LEADERS_OF_REP),
            (self.return_of["rep_submitted"], "action_return", LEADERS_OF_REP),
            (self.return_of["rep_submitted"], "action_refuse", LEADERS_OF_REP),
            (self.return_of["rep_submitted"], "action_cancel", {"rep"}),
            (self.delivered_order, "action_request_return", {"rep", *LEADERS_OF_REP}),
            (self.delivered_order, "action_view_return_requests", {"rep", *LEADERS_OF_REP}),
            (self.sample_of["clerk_draft"], "action_send", {"clerk"}),
            (self.sample_of["clerk_draft"], "action_done", set()),  # sent first
            (self.sample_of["clerk_draft"], "action_cancel", {"clerk"}),
            (self.sample_of["clerk_sent"], "action_send", set()),
            (self.sample_of["clerk_sent"], "action_done", {"clerk"}),
            (self.sample_of["clerk_sent"], "action_cancel", {"clerk"}),
            (self.visit_of["clerk_planned"], "action_done", {"clerk"}),
            (self.visit_of["clerk_planned"], "action_cancel", {"clerk"}),
            # the clerk's report of the visit's day, for whoever reads both
            (self.visit_of["clerk_planned"], "action_open_daily_report", {"clerk", "manager", "regional", "director",
                                                                         "admin"}),
            (self.visit_of["clerk_done"], "action_done", set()),
            (self.visit_of["clerk_done"], "action_cancel", set()),
            (self.market_info_of["rep_new"], "action_acknowledge", LEADERS_OF_REP),
            (self.market_info_of["rep_acknowledged"], "action_acknowledge", set()),
            (self.market_info_of["north_new"], "action_acknowledge", {"director", "admin"}),
            (self.market_info_of["outsider_new"], "action_acknowledge", set()),  # nobody above the outsider
            (self.competitor, "action_view_market_info", company_a_roles),
            (self.shared_competitor, "action_view_market_info", set(ROLES)),
            # the board's row opens its invoice for whoever reads the row (Odoo's rules decide then)
            (self.records["sales.collection.report"]["rep's invoice"][0], "action_open_invoice",
             {"rep", *LEADERS_OF_REP}),
            (self.followed_order, "action_open_delay_wizard", {"rep", *LEADERS_OF_REP}),
            (self.followed_order, "action_view_delays", {"rep", *LEADERS_OF_REP}),
            (self.orders[self.rep_shanghai], "action_open_delay_wizard", set()),  # a quotation
            (self.delay_wizard, "action_declare", {"rep"}),
            (self.collection_call, "copy_data", set()),  # a call is the record of what was said: never copied
            (self.complaint_of["rep_draft"], "action_submit", {"rep"}),
            (self.complaint_of["rep_draft"], "action_cancel", {"rep"}),
            (self.complaint_of["rep_draft"], "action_start", set()),
            (self.complaint_of["rep_open"], "action_start", self.complaint_workers),
            (self.complaint_of["rep_open"], "action_close", set()),  # not before the resolution is written
            (self.complaint_of["rep_open"], "action_cancel", {"rep", *self.complaint_workers}),
            (self.complaint_of["rep_open"], "action_reopen", set()),
            (self.complaint_of["rep_closed"], "action_reopen", self.complaint_workers),
            (self.complaint_of["rep_closed"], "action_cancel", set()),
            (self.complaint_of["rep_closed"], "action_close", set()),
            (self.complaint_of["rep_open"], "action_view_actions", {"rep", *LEADERS_OF_REP}),
            (self.complaint_action, "action_done", {"director", "admin"}),  # its owner, the service leaders
            (self.complaint_action, "action_cancel", self.complaint_workers),
            (self.complaint_monthly, "action_print", {"regional"}),
            *((rep_report.line_ids, f"action_log_{log}", {"rep"})
              for log in ("complaint", "market_info", "collection_call", "sample", "visit")),
            (self.customer, "action_view_sales_complaints", set(ROLES)),
            (self.orders[self.rep_shanghai], "action_view_sales_complaints", {"rep", *LEADERS_OF_REP}),
            (self.robot, "action_send_test", {"admin"}),  # refused by the closed port: said, not raised
            (self.robot, "action_resume", {"admin"}),
            (self.robot, "action_view_messages", {"admin"}),
            (self.b_robot, "action_send_test", set()),
            (self.b_robot, "action_resume", set()),
            (self.b_robot, "action_view_messages", set()),
            (self.robot_message, "action_send_again", {"admin"}),
            (self.robot_message, "action_cancel", {"admin"}),
        ]
        tried = {(record._name, method) for record, method, _allowed in calls}
        # create/write/unlink are the matrices above; message_subscribe and default_get below;
        # sale.order's message_post and action_quotation_sent are Odoo's, with Odoo's access: the
        # add-on only notes when a quotation was first sent
        # init: the install hook creating an index if missing, idempotent; web_read and
        # web_search_read: Odoo's reads, with Odoo's access (a form opened by a reviewer records
        # its read receipt, written by the server: the fields are in the matrix above)
        covered = tried | {(model, method) for model, method in self.public_methods()
                           if method in ("create", "write", "unlink", "message_subscribe", "default_get", "init",
                                         "web_read", "web_search_read")} \
            | {("sale.order", "message_post"), ("sale.order", "action_quotation_sent")} \
            | {("ir.attachment", "check")}  # Odoo's access check of attachments, which the add-on only narrows
        self.assertFalse(sorted(self.public_methods() - covered), "public methods the test does not try")
        for record, method, allowed in calls:
            for role in ROLES:
                with self.subTest(cell=f"{role} × {record._name}.{method} on {record.display_name}"):
                    accepted, _seen = self.attempt(role, record._name, method, [record.ids])
                    self.assertEqual(accepted, role in allowed, self.refusal or "refused")
        for role in ROLES:
            with self.subTest(cell=f"{role} × sales.daily.report.message_subscribe on the rep's draft"):
                partner = self.people_by_role[role].partner_id
                # mail refuses by returning False: what counts is who follows afterwards
                _accepted, follows = self.attempt(
                    role, "sales.daily.report", "message_subscribe", [rep_report.ids], {"partner_ids": partner.ids},
                    check=lambda partner=partner: partner in rep_report.sudo().message_partner_ids)
                self.assertEqual(follows, role in {"rep", *LEADERS_OF_REP})
            with self.subTest(cell=f"{role} × sales.daily.report.export.default_get of every report"):
                everything = self.env["sales.daily.report"].search([]).ids
                values = self.rpc.execute_kw(
                    self.env.cr.dbname, self.people_by_role[role].id, self.keys[role], "sales.daily.report.export",
                    "default_get", [["report_ids"]],
                    {"context": {"active_model": "sales.daily.report", "active_ids": everything}})
                visible = self.env["sales.daily.report"].with_user(self.people_by_role[role]).search([]).ids
                self.assertLessEqual(set(values.get("report_ids", [[0, 0, []]])[0][2]), set(visible))
