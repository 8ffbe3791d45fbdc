from datetime import timedelta
from fractions import Fraction
from itertools import groupby

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, float_round

PERIOD_RANK = {"month": 1, "quarter": 2, "year": 3}


class SalesTargetBreakdown(models.TransientModel):
    """目标分解: split a target over the shorter periods of its owner, or over the units just
    below its unit or the people of its unit: evenly, as last year (seasonality over periods,
    share over units and people) or by hand. The amounts add up to the target exactly at its
    precision (largest remainder); applying creates the child targets, or updates the drafts
    already there, as the user: the target's own checks decide who sets which.

    Only the choices and a manual split's amounts are input: `action_apply` computes the
    lines again and reads nothing else of them."""

    _name = "sales.target.breakdown"
    _description = "Break Down a Sales Target"

    target_id = fields.Many2one("sales.target", string="Sales Target", required=True, readonly=True, ondelete="cascade")
    currency_id = fields.Many2one(related="target_id.currency_id")
    is_money = fields.Boolean(related="target_id.is_money")
    target_amount = fields.Float(related="target_id.amount", string="Target")
    target_type = fields.Selection(related="target_id.target_type")
    target_period_type = fields.Selection(related="target_id.period_type", string="Target Period")
    split = fields.Selection(
        [("period", "Over Periods"), ("unit", "Over the Units Below"), ("person", "Over the People")],
        required=True, compute="_compute_split", store=True, readonly=False, precompute=True,
    )
    period_type = fields.Selection(
        [("quarter", "Quarters"), ("month", "Months")], string="Into",
        compute="_compute_period_type", store=True, readonly=False, precompute=True,
    )
    method = fields.Selection(
        [("even", "Evenly"), ("last_year", "As Last Year"), ("manual", "By Hand")], required=True, default="even",
        help="As last year: over periods, the owner's actual of the same periods one year earlier "
             "(seasonality); over units or people, each one's actual of the same period one year earlier "
             "(share).",
    )
    line_ids = fields.One2many(
        "sales.target.breakdown.line", "wizard_id", string="Breakdown",
        compute="_compute_line_ids", store=True, readonly=False, precompute=True, compute_sudo=False,
    )
    warning = fields.Text(compute="_compute_warning")
    total = fields.Float(string="Broken Down", compute="_compute_total", digits=(16, 2))
    difference = fields.Float(
        compute="_compute_total", digits=(16, 2), help="The target less the breakdown: zero when they add up.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        Target = self.env["sales.target"]
        default = self.env.context.get("default_target_id")
        targets = Target.browse({vals.get("target_id", default) for vals in vals_list} - {None, False})
        targets.check_access("read")
        targets._check_can_break_down()
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("target_id")
    def _compute_split(self):
        for wizard in self:
            target = wizard.target_id
            if target.period_type != "month" or target.target_type != "unit":
                wizard.split = "period"
            else:
                wizard.split = "unit" if wizard._child_units() else "person"

    @api.depends("target_id")
    def _compute_period_type(self):
        for wizard in self:
            wizard.period_type = {"year": "quarter", "quarter": "month"}.get(wizard.target_id.period_type, False)

    @api.depends("target_id", "split", "method", "period_type")
    def _compute_line_ids(self):
        for wizard in self:
            commands = [Command.clear()]
            if wizard.target_id and wizard.split and not wizard._plan_error():
                commands += [Command.create(vals) for vals in wizard._plan()]
            wizard.line_ids = commands

    @api.depends("target_id", "split", "method", "period_type", "line_ids.last_year_actual", "line_ids.can_set")
    def _compute_warning(self):
        for wizard in self:
            error = wizard.target_id and wizard.split and wizard._plan_error()
            notes = [error] if error else []
            free = wizard.line_ids.filtered("can_set")
            if (not error and wizard.method == "last_year" and free
                    and not any(line.last_year_actual > 0 for line in free)):
                notes.append(self.env._("Last year has no figures for this split: the target is split evenly."))
            kept = wizard.line_ids - free
            if not error and kept:
                notes.append(self.env._(
                    "Set by a leader above you, kept as they are: %(targets)s.",
                    targets=", ".join(line._label() for line in kept),
                ))
            wizard.warning = "\n".join(notes)

    @api.depends("line_ids.amount", "target_id.amount")
    def _compute_total(self):
        for wizard in self:
            wizard.total = sum(wizard.line_ids.mapped("amount"))
            wizard.difference = wizard.target_id._round(wizard.target_id.amount - wizard.total) if wizard.target_id else 0.0

    # ------------------------------------------------------------------
    # The plan
    # ------------------------------------------------------------------

    def _child_units(self):
        return self.env["crm.team"].search([("parent_id", "=", self.target_id.team_id.id)])

    def _members(self):
        return self.env["crm.team.member"].search([
            ("crm_team_id", "=", self.target_id.team_id.id), ("user_id.active", "=", True),
        ]).user_id

    def _plan_error(self):
        """Why the target cannot be split the way chosen, or False."""
        self.ensure_one()
        target = self.target_id
        if self.split == "period":
            if target.period_type == "month":
                return self.env._(
                    "%(target)s is a month's target: a month is not split over periods. Split it over the units "
                    "below or the people.", target=target.display_name,
                )
            if not self.period_type or PERIOD_RANK[self.period_type] >= PERIOD_RANK[target.period_type]:
                return self.env._(
                    "%(target)s splits into shorter periods: a year into quarters or months, a quarter into months.",
                    target=target.display_name,
                )
        elif target.target_type != "unit":
            return self.env._("%(target)s is a person's target: it is split over periods only.", target=target.display_name)
        elif self.split == "unit" and not self._child_units():
            return self.env._(
                "%(unit)s has no unit below it to split the target over.", unit=target.team_id.name,
            )
        elif self.split == "person" and not self._members():
            return self.env._(
                "%(unit)s has no members to split the target over.", unit=target.team_id.name,
            )
        return False

    def _plan(self):
        """The lines of the split chosen, as values of `sales.target.breakdown.line`."""
        self.ensure_one()
        target = self.target_id
        Target = self.env["sales.target"]
        owner = {"target_type": target.target_type, "team_id": target.team_id.id, "user_id": target.user_id.id}
        period = {"period_type": target.period_type, "date_from": target.date_from, "date_to": target.date_to}
        if self.split == "period":
            rows, day = [], target.date_from
            while day <= target.date_to:
                start, end = self.env["res.company"]._sales_org_period(self.period_type, day)
                rows.append({**owner, "period_type": self.period_type, "date_from": start, "date_to": end})
                day = end + timedelta(days=1)
        elif self.split == "unit":
            rows = [{"target_type": "unit", "team_id": team.id, "user_id": False, **period}
                    for team in self._child_units()]
        else:
            rows = [{"target_type": "person", "team_id": target.team_id.id, "user_id": user.id, **period}
                    for user in self._members()]

        existing = self._existing_targets(rows)
        news = Target.concat(*(Target.new({**row, "metric": target.metric}) for row in rows))
        settable = news if self.env.su else news._settable_by(self.env.user)
        last_year = self._last_year_actuals(rows)
        for sequence, (row, new) in enumerate(zip(rows, news)):
            found = existing.get(self._key(row))
            row.update({
                "sequence": sequence,
                "period_label": new._period_name(),
                "existing_target_id": found.id if found else False,
                "can_set": new in settable,
                "last_year_actual": last_year.get(sequence, 0.0),
                "weight": 0.0,
                "amount": found.amount if found else 0.0,
            })

        free = [row for row in rows if row["can_set"]]
        kept = sum(row["amount"] for row in rows if not row["can_set"])
        weights = [max(row["last_year_actual"], 0.0) for row in free] if self.method == "last_year" else []
        if not any(weights):
            weights = [1.0] * len(free)
        amounts = self._split_exactly(max(target.amount - kept, 0.0), weights)
        total_weight = sum(weights)
        for row, weight, amount in zip(free, weights, amounts):
            row.update(weight=100.0 * weight / total_weight, amount=amount)
        return rows

    @api.model
    def _key(self, row):
        """A line's child target, as the unique indexes of targets tell it: a person's, else a unit's."""
        user_id = row["user_id"] if isinstance(row, dict) else row.user_id.id
        team_id = row["team_id"] if isinstance(row, dict) else row.team_id.id
        return (user_id or False, False if user_id else team_id, row["date_from"], row["date_to"])

    def _existing_targets(self, rows):
        """{line key: target} of the targets already set for `rows` (whatever their parent: one per
        owner, metric and period), read as the superuser: who may change them is checked on apply."""
        if not rows:
            return {}
        users = [row["user_id"] for row in rows if row["user_id"]]
        teams = [row["team_id"] for row in rows if not row["user_id"]]
        owners = expression.OR([
            [("user_id", "in", users)] if users else expression.FALSE_DOMAIN,
            [("user_id", "=", False), ("team_id", "in", teams)] if teams else expression.FALSE_DOMAIN,
        ])
        found = self.env["sales.target"].sudo().search(expression.AND([owners, [
            ("metric", "=", self.target_id.metric),
            ("date_from", "in", [row["date_from"] for row in rows]),
            ("date_to", "in", [row["date_to"] for row in rows]),
        ]]))
        keys = {self._key(row) for row in rows}
        return {key: target for target in found if (key := self._key(target)) in keys}

    def _last_year_actuals(self, rows):
        """{line index: actual of its owner in the same period one year earlier}, in one query."""
        if self.method != "last_year" or not rows:
            return {}
        target = self.target_id
        Company = self.env["res.company"]
        goals = []
        for index, row in enumerate(rows):
            start, end = Company._sales_org_period(
                row["period_type"], row["date_from"].replace(year=row["date_from"].year - 1))
            goals.append(SQL(
                "(%s, %s::int, %s::int, %s::int, %s::varchar, %s::date, %s::date)",
                index, row["team_id"] or None, row["user_id"] or None, target.company_id.id, target.metric,
                start, end,
            ))
        return self.env["sales.target.analysis"]._actuals(SQL(
            "SELECT * FROM (VALUES %s) AS v(key, team_id, user_id, company_id, metric, date_from, date_to)",
            SQL(", ").join(goals),
        ))

    def _split_exactly(self, amount, weights):
        """`amount` divided in proportion to `weights` at the target's precision, adding up to it
        exactly: each part rounded down, the units left over to the largest remainders (the
        first line first on a tie)."""
        if not weights:
            return []
        target = self.target_id
        step = target.currency_id.rounding if target.is_money else 1.0
        units = int(float_round(amount / step, precision_digits=0))
        fractions = [Fraction(weight) for weight in weights]
        quotas = [units * weight / sum(fractions) for weight in fractions]
        parts = [int(quota) for quota in quotas]
        ranked = sorted(range(len(quotas)), key=lambda index: (parts[index] - quotas[index], index))
        for index in ranked[:units - sum(parts)]:
            parts[index] += 1
        return [target._round(part * step) for part in parts]

    # ------------------------------------------------------------------
    # Apply
    # ------------------------------------------------------------------

    def action_apply(self):
        """Set the child targets of the split, all or none: create them, or update the drafts
        already there, as the current user."""
        self.ensure_one()
        target = self.target_id
        target.check_access("read")
        target._check_can_break_down()
        error = self._plan_error()
        if error:
            raise UserError(error)
        rows = self._plan()
        if self.method == "manual":
            typed = {self._key(line): line.amount for line in self.line_ids}
            if set(typed) != {self._key(row) for row in rows}:
                raise UserError(self.env._(
                    "The units, people or periods below %(target)s have changed: open the breakdown again.",
                    target=target.display_name,
                ))
            for row in rows:
                if row["can_set"]:
                    row["amount"] = typed[self._key(row)]
        rows = [row for row in rows if row["can_set"]]
        if not rows:
            raise UserError(self.env._(
                "The targets %(target)s breaks down into are set by a leader above you: you set none of them.",
                target=target.display_name,
            ))
        agreed = self.env["sales.target"].sudo().browse(
            [row["existing_target_id"] for row in rows if row["existing_target_id"]]
        ).filtered(lambda child: child.state == "agreed")
        if agreed:
            raise UserError(self.env._(
                "Already agreed: %(targets)s. Unlock them, giving the reason, to break %(target)s down again.",
                targets=", ".join(agreed.mapped("display_name")), target=target.display_name,
            ))

        Target = self.env["sales.target"]
        updates = sorted((row for row in rows if row["existing_target_id"]), key=lambda row: row["amount"])
        for amount, group in groupby(updates, key=lambda row: row["amount"]):
            Target.browse([row["existing_target_id"] for row in group]).write(
                {"amount": amount, "parent_id": target.id})
        Target.create([{
            "target_type": row["target_type"], "team_id": row["team_id"], "user_id": row["user_id"],
            "metric": target.metric, "period_type": row["period_type"], "date_from": row["date_from"],
            "date_to": row["date_to"], "amount": row["amount"], "parent_id": target.id,
        } for row in rows if not row["existing_target_id"]])
        return {
            "type": "ir.actions.act_window",
            "res_model": "sales.target",
            "res_id": target.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
