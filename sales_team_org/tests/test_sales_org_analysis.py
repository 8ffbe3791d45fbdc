from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SalesOrgCommon

DESKTOP = "1366x768"
# The searches of each analysis (and of the pipeline) offering "My Units and Below"
SEARCH_VIEWS = {
    "sale.report": "sale.view_order_product_search",
    "crm.lead": "crm.view_crm_case_opportunities_filter",
    "crm.activity.report": "crm.crm_activity_report_view_search",
}


class SalesOrgAnalysisCommon(SalesOrgCommon):
    """Two regions of a province each, a customer in each, a confirmed order and an opportunity
    with a done call in each: East's by the Shanghai rep, North's by the North rep."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        china = env.ref("base.cn")
        cls.region_of = {}
        cls.customer_of = {}
        cls.order_of = {}
        cls.lead_of = {}
        for key, rep, quantity in (("east", cls.rep_shanghai, 3), ("north", cls.rep_north, 5)):
            province = env["res.country.state"].create({
                "name": f"T {key.title()} Province", "code": f"T-{key.upper()}", "country_id": china.id})
            cls.region_of[key] = env["sales.org.region"].create({
                "name": f"T {key.title()} Region", "code": f"T-{key.upper()}-R",
                "state_ids": [Command.set(province.ids)]})
            cls.customer_of[key] = env["res.partner"].create({
                "name": f"T {key.title()} Customer", "is_company": True, "country_id": china.id,
                "state_id": province.id})
            cls.order_of[key] = env["sale.order"].create({
                "partner_id": cls.customer_of[key].id, "user_id": rep.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": quantity})]})
            cls.lead_of[key] = env["crm.lead"].create({
                "name": f"T {key.title()} gates", "type": "opportunity", "user_id": rep.id,
                "partner_id": cls.customer_of[key].id, "state_id": province.id})
        (cls.order_of["east"] | cls.order_of["north"]).action_confirm()
        env["mail.message"].create([{
            "model": "crm.lead", "res_id": lead.id, "body": "Called", "message_type": "notification",
            "mail_activity_type_id": env.ref("mail.mail_activity_data_call").id,
            "subtype_id": env.ref("mail.mt_activities").id,
        } for lead in cls.lead_of.values()])
        env.flush_all()


@tagged("post_install", "-at_install")
class TestSalesOrgAnalysis(SalesOrgAnalysisCommon):
    """The sales analysis, the pipeline and the activities analysis by sales region and by
    "my units and below"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # sees everything as a sales administrator, and leads the East region
        cls.east_admin = new_test_user(cls.env, login="t_east_admin", groups="sales_team.group_sale_manager",
                                       name="T East Admin")
        cls.env["crm.team.member"].create({"crm_team_id": cls.east.id, "user_id": cls.east_admin.id,
                                           "role_id": cls.role_regional.id})
        cls.east_people = (cls.regional_east, cls.manager, cls.clerk_east, cls.supervisor, cls.rep_shanghai)
        cls.test_customers = cls.customer | cls.customer_of["east"] | cls.customer_of["north"]

    def my_units_domain(self, model):
        """The domain of the "My Units and Below" filter of the model's search view, as the web
        client sends it."""
        arch = self.env[model].get_view(self.env.ref(SEARCH_VIEWS[model]).id, "search")["arch"]
        [node] = etree.fromstring(arch).xpath("//filter[@name='my_units']")
        return safe_eval(node.get("domain"))

    def test_sale_report_rows_carry_the_customers_region(self):
        Report = self.env["sale.report"]
        for key, order in self.order_of.items():
            rows = Report.search([("name", "=", order.name)])
            self.assertTrue(rows, order.name)
            self.assertEqual(rows.sales_region_id, self.region_of[key])
        self.assertFalse(Report.search([("name", "=", self.orders[self.rep_shanghai].name)]).sales_region_id,
                         "a customer without a province has no region")

        # the analysis reads the customer's region of today
        self.customer_of["east"].state_id = self.customer_of["north"].state_id
        self.env.flush_all()
        Report.invalidate_model()
        self.assertEqual(Report.search([("name", "=", self.order_of["east"].name)]).sales_region_id,
                         self.region_of["north"])

    def test_regional_director_sees_their_region(self):
        Report = self.env["sale.report"].with_user(self.regional_east)
        groups = Report.read_group([("partner_id", "in", self.test_customers.ids), ("state", "=", "sale")],
                                   ["price_subtotal:sum"], ["sales_region_id"])
        self.assertEqual([(group["sales_region_id"][0], group["price_subtotal"]) for group in groups],
                         [(self.region_of["east"].id, 300.0)])
        rows = Report.search([("sales_region_id", "=", self.region_of["east"].id)])
        self.assertEqual(set(rows.mapped("name")), {self.order_of["east"].name})
        self.assertFalse(Report.search([("sales_region_id", "=", self.region_of["north"].id)]))

        Lead = self.env["crm.lead"].with_user(self.regional_east)
        groups = Lead.read_group([("id", "in", [lead.id for lead in self.lead_of.values()])],
                                 ["expected_revenue:sum"], ["sales_region_id"])
        self.assertEqual([group["sales_region_id"][0] for group in groups], [self.region_of["east"].id])
        Activity = self.env["crm.activity.report"].with_user(self.regional_east)
        groups = Activity.read_group([("lead_id", "in", [lead.id for lead in self.lead_of.values()])],
                                     ["lead_id:count"], ["sales_region_id"])
        self.assertEqual([(group["sales_region_id"][0], group["sales_region_id_count"]) for group in groups],
                         [(self.region_of["east"].id, 1)])

    def test_my_units_and_below(self):
        east_orders = self.orders_of(*self.east_people) | self.order_of["east"]
        east_leads = self.leads_of(*self.east_people) | self.lead_of["east"]
        all_leads = self.leads_of(*self.people) | self.lead_of["east"] | self.lead_of["north"]
        expected = {
            # a leader of the East region, whatever else they may see
            self.east_admin: (east_orders, east_leads, self.lead_of["east"]),
            self.regional_east: (east_orders, east_leads, self.lead_of["east"]),
            # a rep leads no unit
            self.rep_north: (self.env["sale.order"], self.env["crm.lead"], self.env["crm.lead"]),
        }
        for person, (orders, leads, activity_leads) in expected.items():
            with self.subTest(person=person.login):
                env = self.env(user=person)
                rows = env["sale.report"].search(
                    self.my_units_domain("sale.report") + [("partner_id", "in", self.test_customers.ids)])
                self.assertEqual(set(rows.mapped("name")), set(orders.mapped("name")))
                found = env["crm.lead"].search(self.my_units_domain("crm.lead") + [("id", "in", all_leads.ids)])
                self.assertEqual(found, leads)
                activities = env["crm.activity.report"].search(
                    self.my_units_domain("crm.activity.report") + [("lead_id", "in", all_leads.ids)])
                self.assertEqual(activities.lead_id, activity_leads)

        # the rest, for someone who sees it
        others = self.env(user=self.east_admin)["crm.lead"].search(
            [("sales_org_in_my_units", "=", False), ("id", "in", all_leads.ids)])
        self.assertEqual(others, all_leads - east_leads)
        self.assertEqual(self.lead_of["east"].with_user(self.east_admin).sales_org_in_my_units, True)
        self.assertEqual(self.lead_of["north"].with_user(self.east_admin).sales_org_in_my_units, False)

    def test_my_units_is_searched_as_true_or_false(self):
        with self.assertRaises(UserError):
            self.env["sale.report"].search([("sales_org_in_my_units", "ilike", "East")])

    def test_pipeline_groups_by_region_and_classification(self):
        self.customer_of["east"]._set_sales_classification("primary")
        Lead = self.env["crm.lead"].with_user(self.regional_east)
        domain = [("id", "in", self.leads_of(*self.east_people).ids + [self.lead_of["east"].id])]
        groups = Lead.read_group(domain, ["expected_revenue:sum"], ["sales_classification"])
        self.assertEqual({group["sales_classification"]: group["sales_classification_count"] for group in groups},
                         {"primary": 1, False: len(self.east_people)})
        self.assertEqual(Lead.search(domain + [("sales_classification", "=", "primary")]), self.lead_of["east"])

    def test_leaders_have_the_sales_analysis_in_crm(self):
        menu = self.env.ref("sales_team_org.menu_sales_org_sale_report")
        self.assertEqual(menu.parent_id, self.env.ref("crm.crm_menu_report"))
        for person in (self.director, self.regional_east, self.manager, self.supervisor):
            self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(person)._visible_menu_ids(), person.login)
        for person in (self.rep_shanghai, self.clerk_east):
            self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(person)._visible_menu_ids(), person.login)

    def test_demo_phone_sales_have_a_pipeline(self):
        """With CRM's Leads feature off, the demo's phone sales are opportunities in a stage of
        their group's pipeline."""
        team = self.env.ref("sales_team_org.team_shanghai_phone", raise_if_not_found=False)
        if not team:
            self.skipTest("sales_team_org is installed without its demo data")
        phone_sales = self.env.ref("sales_team_org.lead_shanghai_phone_1") \
            | self.env.ref("sales_team_org.lead_shanghai_phone_2")
        pipeline = self.env.ref("crm.crm_lead_action_pipeline")
        for login in ("clerk3", "manager", "regional", "director"):
            person = self.env["res.users"].search([("login", "=", login)])
            with self.subTest(person=login):
                self.assertFalse(person.has_group("crm.group_use_lead"))
                Lead = self.env["crm.lead"].with_user(person)
                seen = Lead.search(safe_eval(pipeline.domain or "[]") + [("team_id", "=", team.id)])
                mine = phone_sales.filtered(lambda lead: lead.user_id == person) if login == "clerk3" \
                    else phone_sales
                self.assertLessEqual(mine, seen)
                self.assertTrue(all(lead.stage_id and not lead.stage_id.is_won for lead in seen))
        demo_leads = self.env["crm.lead"].search([("id", "in", self.env["ir.model.data"].search(
            [("module", "=", "sales_team_org"), ("model", "=", "crm.lead")]).mapped("res_id"))])
        self.assertEqual(set(demo_leads.mapped("type")), {"opportunity"}, "no lead hidden from a pipeline")


@tagged("post_install", "-at_install")
class TestSalesOrgAnalysisTour(HttpCase, SalesOrgAnalysisCommon):
    """The director opens the sales analysis from CRM's reporting, reads it by region and narrows
    it to one region (tour in static/tests/tours)."""

    def director_reads_sales_by_region(self, lang):
        self.browser_size = DESKTOP
        self.start_tour("/odoo", f"sales_team_org_director_sales_by_region_{lang}", login="t_director")

    def test_director_sales_by_region_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([
            ("name", "in", ["base", "web", "mail", "crm", "sales_team", "sale", "sales_team_org"]),
        ])._update_translations(["zh_CN"])
        self.director.lang = "zh_CN"
        self.director_reads_sales_by_region("zh_CN")
