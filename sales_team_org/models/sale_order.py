from collections import defaultdict

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

OPEN_REQUEST_STATES = ("draft", "submitted", "returned")

# 跟单: what the order's people enter about its production, up to its leaving the factory
PRODUCTION_STATES = [
    ("to_produce", "To Produce"),
    ("in_production", "In Production"),
    ("produced", "Produced"),
    ("shipped", "Shipped"),
    ("delivered", "Delivered"),
]
# where it stands: Odoo's deliveries when Inventory ships the order, else the state entered
FOLLOWUP_STATES = [*PRODUCTION_STATES[:4], ("partly_shipped", "Partly Shipped"), PRODUCTION_STATES[4]]
FOLLOWUP_RISKS = [("late", "Overdue"), ("at_risk", "At Risk"), ("on_time", "On Time")]
NOT_PRODUCED = ("to_produce", "in_production")
# Inventory's delivery status of an order -> where it stands (pending: the state entered)
DELIVERY_FOLLOWUP = {"full": "delivered", "partial": "partly_shipped", "started": "partly_shipped"}


def negate(domain):
    """The domain's negation, pushed down to its leaves: a column that is empty satisfies a
    negated leaf as Odoo's own operators read it (a SQL NOT over an empty column would not)."""
    return expression.distribute_not(["!", *expression.normalize_domain(domain)])


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "sales.org.guarded.mixin"]
    _sales_org_system_fields = frozenset({"sales_quotation_sent_date", "sales_promised_date", "sales_promised_day",
                                          "sales_delay_ids"})

    # Odoo's "Send by Email" posts a plain comment and changes the state untracked: the figures
    # count a quotation sent from this date, set once by the server.
    sales_quotation_sent_date = fields.Datetime(string="Quotation First Sent", readonly=True, copy=False,
                                                index="btree_not_null")
    # 降价申请: lines below what the salesperson's role may grant wait for an approved request
    price_approval_needed = fields.Boolean(
        compute="_compute_price_approval_needed",
        help="A line is below the discount the salesperson's role may give and no approved price reduction "
        "covers it: the quotation cannot be confirmed.",
    )
    price_reduction_count = fields.Integer(string="Price Reductions", compute="_compute_price_reduction")
    price_reduction_id = fields.Many2one(
        "sales.price.reduction", string="Latest Price Reduction", compute="_compute_price_reduction")
    price_reduction_state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved"), ("refused", "Refused"),
         ("returned", "Returned"), ("cancelled", "Cancelled")],
        string="Price Reduction Status", compute="_compute_price_reduction")
    # 跟单: followed until it leaves the factory; a delay is told to the customer early
    sales_promised_date = fields.Datetime(
        string="Promised Date", compute="_compute_sales_promised_date", store=True, index="btree_not_null",
        help="The delivery date promised to the customer: the order's delivery date, else the date expected "
        "from its products' lead times when it was confirmed.")
    sales_promised_day = fields.Date(
        string="Promised Day", compute="_compute_sales_promised_day", store=True, index="btree_not_null",
        help="The promised date's day in the company's time zone.")
    sales_production_state = fields.Selection(
        PRODUCTION_STATES, string="Production", default="to_produce", required=True, copy=False,
        tracking=True, group_expand=True,
        help="Entered by the order's salesperson, the people of its unit or its leaders as production goes on.")
    sales_followup_state = fields.Selection(
        FOLLOWUP_STATES, string="Follow-up Status", compute="_compute_sales_followup_state",
        search="_search_sales_followup_state",
        help="From Odoo's deliveries when Inventory ships the order, else the production state entered.")
    sales_followup_risk = fields.Selection(
        FOLLOWUP_RISKS, string="Delivery Risk", compute="_compute_sales_followup_risk",
        search="_search_sales_followup_risk",
        help="Late: the promised date has passed and the order is not delivered. At risk: it is promised "
        "within the next days and not produced yet.")
    sales_delay_ids = fields.One2many("sales.order.delay", "order_id", string="Delays", readonly=True)
    sales_delay_count = fields.Integer(string="Delay Count", compute="_compute_sales_delay")
    sales_last_delay_id = fields.Many2one("sales.order.delay", string="Last Delay", compute="_compute_sales_delay")

    @api.depends("order_line.price_floor_status")
    def _compute_price_approval_needed(self):
        for order in self:
            order.price_approval_needed = "below" in order.order_line.mapped("price_floor_status")

    def _compute_price_reduction(self):
        # counted for whoever reads the quotation; the requests themselves stay under their rules
        requests = self.env["sales.price.reduction"].sudo().search(
            [("order_id", "in", self._origin.ids)], order="id desc")
        by_order = defaultdict(lambda: requests.browse())
        for request in requests:
            by_order[request.order_id.id] |= request
        for order in self:
            found = by_order[order._origin.id]
            order.price_reduction_count = len(found)
            order.price_reduction_id = found[:1]
            order.price_reduction_state = found[:1].state

    # Not on expected_date: a quotation's moves with the clock, a confirmed order's with its lines'
    # lead times. The promise is the expected date at confirmation; it moves by declaring a delay.
    @api.depends("state", "commitment_date")
    def _compute_sales_promised_date(self):
        for order in self:
            order.sales_promised_date = order.commitment_date or (order.state == "sale" and order.expected_date)

    @api.depends("sales_promised_date", "company_id")
    def _compute_sales_promised_day(self):
        for order in self:
            promised = order.sales_promised_date
            order.sales_promised_day = promised and pytz.utc.localize(promised).astimezone(
                order.company_id._sales_org_tz()).date()

    @api.depends(lambda self: ["sales_production_state"] + (
        ["delivery_status"] if "delivery_status" in self._fields else []))
    def _compute_sales_followup_state(self):
        shipped = "delivery_status" in self._fields
        for order in self:
            order.sales_followup_state = (shipped and DELIVERY_FOLLOWUP.get(order.delivery_status)) \
                or order.sales_production_state

    def _search_sales_followup_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("The follow-up status is searched by its value only."))
        values = {value} if operator in ("=", "!=") else set(value)
        if "delivery_status" in self._fields:
            entered = ["|", ("delivery_status", "=", False), ("delivery_status", "=", "pending")]
            shipped = {state: [status for status, mapped in DELIVERY_FOLLOWUP.items() if mapped == state]
                       for state in values}
            domains = [["|", ("delivery_status", "in", shipped[state]),
                        "&", ("sales_production_state", "=", state), *entered] for state in values]
        else:
            domains = [[("sales_production_state", "=", state)] for state in values]
        domain = expression.OR(domains)
        return negate(domain) if operator in ("!=", "not in") else domain

    def _sales_followup_bounds(self, companies):
        """{company: (start of its today, end of the at-risk window)} as naive UTC datetimes."""
        days = self.env["ir.config_parameter"].sudo().get_param("sales_team_org.followup_risk_days", "3")
        days = int(days) if days.strip().isdigit() else 3
        result = {}
        for company in companies:
            today = company._sales_org_today()
            result[company] = (company._sales_org_day_bounds(today)[0],
                               company._sales_org_day_bounds(today, days=max(days, 0) + 1)[1])
        return result

    @api.depends("state", "sales_promised_date", "sales_followup_state")
    def _compute_sales_followup_risk(self):
        bounds = self._sales_followup_bounds(self.company_id)
        for order in self:
            promised = order.sales_promised_date
            if order.state != "sale":
                order.sales_followup_risk = False
            elif promised and promised < bounds[order.company_id][0] and order.sales_followup_state != "delivered":
                order.sales_followup_risk = "late"
            elif promised and promised < bounds[order.company_id][1] and order.sales_followup_state in NOT_PRODUCED:
                order.sales_followup_risk = "at_risk"
            else:
                order.sales_followup_risk = "on_time"

    def _search_sales_followup_risk(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("The delivery risk is searched by its value only."))
        values = {value} if operator in ("=", "!=") else set(value)
        bounds = self._sales_followup_bounds(self.env["res.company"].sudo().search([]))
        late = ["&", ("sales_followup_state", "!=", "delivered"), *expression.OR([
            [("company_id", "=", company.id), ("sales_promised_date", "!=", False), ("sales_promised_date", "<", start)]
            for company, (start, _end) in bounds.items()])]
        at_risk = ["&", ("sales_followup_state", "in", NOT_PRODUCED), *expression.OR([
            [("company_id", "=", company.id), ("sales_promised_date", "!=", False), ("sales_promised_date", ">=", start),
             ("sales_promised_date", "<", end)]
            for company, (start, end) in bounds.items()])]
        risks = {"late": late, "at_risk": at_risk, "on_time": negate(expression.OR([late, at_risk]))}
        domains = [expression.AND([[("state", "=", "sale")], risks[risk]]) for risk in values if risk in risks]
        if False in values:  # not a confirmed order
            domains.append([("state", "!=", "sale")])
        domain = expression.OR(domains)
        return negate(domain) if operator in ("!=", "not in") else domain

    def _compute_sales_delay(self):
        delays = self.env["sales.order.delay"].sudo().search([("order_id", "in", self._origin.ids)],
                                                            order="id desc")
        by_order = defaultdict(lambda: delays.browse())
        for delay in delays:
            by_order[delay.order_id.id] |= delay
        for order in self:
            found = by_order[order._origin.id]
            order.sales_delay_count = len(found)
            order.sales_last_delay_id = found[:1]

    def action_confirm(self):
        # every confirmation goes through here: the button, RPC, a list's mass action, the portal's
        # signature (_validate_order) and an online payment (_check_amount_and_confirm_order)
        self._sales_org_check_price_floor()
        return super().action_confirm()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("sales_production_state", "to_produce") != "to_produce"
                                   for vals in vals_list):
            raise UserError(self.env._("A new order is still to produce: its production is followed once confirmed."))
        orders = super().create(vals_list)
        orders.user_id._sales_training_check_salesperson()  # the salesperson may come from the customer
        return orders

    def write(self, vals):
        # a quotation made an order by writing its state, as action_confirm itself does
        if vals.get("state") == "sale":
            self.filtered(lambda order: order.state in ("draft", "sent"))._sales_org_check_price_floor()
        # a record is written as its id (Odoo's own code and tests write either)
        user = self._fields["user_id"].convert_to_record(
            self._fields["user_id"].convert_to_cache(vals.get("user_id"), self), self)
        if user and any(order.user_id != user for order in self):
            user._sales_training_check_salesperson()
        # a new customer gives an order without salesperson the customer's
        unassigned = self.filtered(lambda order: not order.user_id) if "partner_id" in vals else self.browse()
        if "sales_production_state" in vals and not self.env.su:
            self._sales_followup_check_follower()
        if "commitment_date" in vals and not self.env.su:
            self._sales_followup_check_promise(vals["commitment_date"])
        res = super().write(vals)
        unassigned.user_id._sales_training_check_salesperson()
        return res

    def action_request_price_reduction(self):
        """Ask for the prices of this quotation's lines below the floor: the requester's open request,
        its lines taken again while it is a draft or returned, or a new one."""
        self.ensure_one()
        self._sales_org_check_can_ask()
        Request = self.env["sales.price.reduction"]
        request = Request.search([("order_id", "=", self.id), ("user_id", "=", self.env.uid),
                                  ("state", "in", OPEN_REQUEST_STATES)], limit=1)
        if request.state in ("draft", "returned"):
            request.action_refresh_lines()
        elif not request:
            if not self.price_approval_needed:
                raise UserError(self.env._(
                    "Every line of %(order)s is within the salesperson's discount limit or already approved: "
                    "it can be confirmed as it is.", order=self.name))
            request = Request.create({"order_id": self.id})
        self.invalidate_recordset(["price_reduction_count", "price_reduction_id"])
        return {
            "type": "ir.actions.act_window",
            "res_model": "sales.price.reduction",
            "res_id": request.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_price_reductions(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_team_org.sales_price_reduction_action")
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def _sales_org_check_can_ask(self):
        """A price reduction is asked by someone who may change these quotations."""
        if not self.env.su and not self.env.user._is_internal():
            raise AccessError(self.env._("Only the company's people ask for a price reduction."))
        self.check_access("write")
        for order in self:
            if order.state not in ("draft", "sent"):
                raise UserError(self.env._(
                    "%(order)s is no longer a quotation: its prices are settled.", order=order.name))

    def _sales_org_discount_limits(self):
        """{order: the discount limit (%) of its salesperson's role}, for the orders whose
        salesperson holds a role with a discount limit. The role is the one of their membership
        of the order's unit, else of their oldest membership. The person at work counts too: when
        they hold such a role, the lower of the two limits applies (emptying or changing the
        salesperson does not lift one's own floor). Two queries."""
        acting = self.env.user if self.env.user._is_internal() else self.env["res.users"]
        members = self.env["crm.team.member"].sudo().search(
            [("user_id", "in", (self.user_id | acting).ids), ("role_id", "!=", False)], order="id")
        if not members:
            return {}
        limits = dict(self.env["sales.org.role.limit"].sudo()._read_group(
            [("role_id", "in", members.role_id.ids), ("kind", "=", "discount")], ["role_id"], ["limit:min"]))
        result = {}
        for order in self:
            found = []
            for person in order.user_id | acting:
                held = members.filtered(lambda member, person=person: member.user_id == person)
                member = held.filtered(lambda member: member.crm_team_id == order.team_id)[:1] or held[:1]
                if member and member.role_id in limits:
                    found.append(limits[member.role_id])
            if found:
                result[order] = min(found)
        return result

    def _sales_org_price_blocked(self, floors=None):
        """{order: its lines below the floor that no approved request covers}."""
        if floors is None:
            floors = self.order_line._sales_org_price_floor()
        blocked = defaultdict(lambda: self.env["sale.order.line"])
        for line, floor in floors.items():
            if floor.below and not floor.covered:
                blocked[line.order_id] |= line
        return blocked

    def _sales_org_floors_to_ask(self):
        """{line: PriceFloor} of the lines of these quotations below the floor with no approved
        request: what a request asks for. A discount over 100 % or a negative price is refused."""
        floors = {line: floor for line, floor in self.order_line._sales_org_price_floor().items()
                  if floor.below and not floor.covered}
        for line in floors:
            if line.discount > 100:
                raise ValidationError(self.env._(
                    "%(product)s has a discount over 100%%: correct the quotation first.",
                    product=line.product_id.display_name))
            if line.price_unit < 0:
                raise ValidationError(self.env._(
                    "%(product)s has a negative price: correct the quotation first.",
                    product=line.product_id.display_name))
        return floors

    def _sales_org_check_price_floor(self):
        floors = self.order_line._sales_org_price_floor()
        blocked = self._sales_org_price_blocked(floors)
        if not blocked:
            return
        if not self.env.user._is_internal():  # the customer, signing or paying online
            raise UserError(self.env._(
                "The prices of %(order)s are awaiting approval in our company: we will come back to you "
                "before it can be accepted.", order=", ".join(order.name for order in blocked)))
        pending = self.env["sales.price.reduction"].sudo().search(
            [("order_id", "in", [order.id for order in blocked]), ("state", "in", OPEN_REQUEST_STATES)])
        states = dict(pending._fields["state"]._description_selection(self.env))
        messages = []
        for order, lines in blocked.items():
            message = self.env._(
                "%(order)s cannot be confirmed: these lines are below what %(person)s may grant and no approved "
                "price reduction covers them:\n%(lines)s",
                order=order.name, person=order.user_id.name, lines=lines._sales_org_floor_error_lines(floors))
            request = pending.filtered(lambda request: request.order_id == order)[:1]
            if request:
                message += "\n" + self.env._("Its request %(request)s is %(state)s.",
                                              request=request.display_name, state=states[request.state])
            else:
                message += "\n" + self.env._("Use “Ask for a Lower Price” on the quotation to have them approved.")
            messages.append(message)
        raise UserError("\n\n".join(messages))

    def action_quotation_sent(self):
        res = super().action_quotation_sent()
        self._sales_org_mark_sent()
        return res

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        # a quotation (not a confirmed order) mailed to its customer as a comment, not a note
        quotations = self.filtered(lambda order: order.state in ("draft", "sent"))
        message = super().message_post(**kwargs)
        if self.env.context.get("mark_so_as_sent") and message and message.message_type == "comment" \
                and message.subtype_id == self.env.ref("mail.mt_comment") \
                and quotations.partner_id & message.sudo().partner_ids:
            quotations._sales_org_mark_sent()
        return message

    def _sales_org_mark_sent(self):
        self.filtered(lambda order: not order.sales_quotation_sent_date).sudo().sales_quotation_sent_date = \
            fields.Datetime.now()

    # ------------------------------------------------------------------
    # 跟单: order follow-up
    # ------------------------------------------------------------------

    def _sales_followup_check_follower(self):
        """The production and the delays of confirmed orders are entered by who may change them and
        follows them: their salesperson, the people of their unit, the leaders above it (they read
        it as theirs) or everyone's salespeople."""
        if self.env.su:
            return
        user = self.env.user
        for order in self:
            if order.state != "sale":
                raise UserError(self.env._(
                    "%(order)s is not a confirmed order: its production is followed once it is confirmed.",
                    order=order.name))
        self.check_access("write")
        if user.has_group("sales_team.group_sale_salesman_all_leads"):
            return
        units = self.env["crm.team.member"]._units_of(user.ids, led=True).get(user.id, ())
        for order in self:
            if order.user_id != user and order.team_id.id not in units:
                raise AccessError(self.env._(
                    "%(order)s is followed by its salesperson, the people of its unit and the leaders above it.",
                    order=order.name))

    def _sales_followup_check_promise(self, commitment_date):
        """A confirmed order's delivery date is its promise to the customer: it moves only by
        declaring a delay (which tells the customer and keeps the delay on record), or by the
        sales administrator's correction."""
        if self.env.user.has_group("sales_team.group_sale_manager"):
            return
        promised = self._fields["commitment_date"].convert_to_cache(commitment_date, self) or False
        for order in self:
            if order.state == "sale" and order.commitment_date != promised:
                raise UserError(self.env._(
                    "%(order)s is confirmed: its delivery date is promised to the customer and moves only by "
                    "declaring a delay.", order=order.name))

    def _sales_followup_leader(self, skip=None):
        """The nearest unit leader of the order's unit and the units above it, other than `skip`
        (a leader declaring a delay tells the next leader above)."""
        self.ensure_one()
        team = self.team_id.sudo()
        while team and (not team.user_id or team.user_id == skip):
            team = team.parent_id
        return team.user_id

    @api.ondelete(at_uninstall=False)
    def _unlink_except_delayed(self):
        delay = self.env["sales.order.delay"].sudo().search([("order_id", "in", self.ids)], limit=1)
        if delay:
            raise UserError(self.env._(
                "%(order)s was delayed and its customer told: the order is kept with the history of its delays.",
                order=delay.order_id.name))

    def action_open_delay_wizard(self):
        """Declare a delay: the new date, the reason and the message to the customer."""
        self.ensure_one()
        self._sales_followup_check_follower()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Declare a Delay"),
            "res_model": "sales.order.delay.wizard",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_view_delays(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_team_org.sales_order_delay_action")
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Customer service: the order's complaints and returns
    # ------------------------------------------------------------------

    sales_complaint_count = fields.Integer(string="Complaints", compute="_compute_sales_complaint_count")

    @api.depends_context("uid")
    def _compute_sales_complaint_count(self):
        counts = dict(self.env["sales.complaint"]._read_group(
            [("order_id", "in", self.ids)], ["order_id"], ["__count"]))
        for order in self:
            order.sales_complaint_count = counts.get(order, 0)

    def action_view_sales_complaints(self):
        self.ensure_one()
        self.check_access("read")
        self.env["sales.complaint"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_team_org.sales_complaint_action")
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.partner_id.id, "default_order_id": self.id}
        return action

    return_request_count = fields.Integer(string="Returns", compute="_compute_return_request_count")

    def _compute_return_request_count(self):
        # counted for whoever reads the order; the requests themselves stay under their rules
        counts = dict(self.env["sales.return.request"].sudo()._read_group(
            [("order_id", "in", self._origin.ids)], ["order_id"], ["__count"]))
        for order in self:
            order.return_request_count = counts.get(order._origin, 0)

    def action_request_return(self):
        """A new return or exchange request on this confirmed order, filed by the current user."""
        self.ensure_one()
        self.check_access("read")
        if self.state != "sale":
            raise UserError(self.env._(
                "%(order)s is not a confirmed order: only what was sold and delivered is returned.",
                order=self.name))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return or Exchange"),
            "res_model": "sales.return.request",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_order_id": self.id},
        }

    def action_view_return_requests(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_team_org.sales_return_request_action")
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"default_order_id": self.id}
        return action
