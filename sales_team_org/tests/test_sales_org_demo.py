import re

from odoo.tests import TransactionCase, tagged

CJK = re.compile(r"[\u3400-\u9fff]")
LOGINS = ["admin", "director", "regional", "regional2", "manager", "rep", "rep2",
          "clerk", "clerk2", "clerk3", "clerk4", "clerk5", "clerk6"]

# The seed's roles and their duties, block by block: (kind, count, first duty, last duty).
SEED_DUTIES = {
    "role_director": [  # 一,营销总监(1名) 本职工作
        ("duty", 35, "参与制定企业得销售战略、具体销售计划与进行销售预测.",
         "每周定期组织例会,并参加销售团队有关销售业务会议。"),
    ],
    "role_regional_director": [  # 二,区域销售总监2人 本职工作
        ("duty", 18, "向上级主管部门负责并汇报工作,服从公司领导得工作安排与调动;",
         "谦虚好学,不断提高自身得思想素质、领导能力、管理能力。"),
    ],
    "role_sales_rep": [  # 三、业务员(2人) 工作责任
        ("duty", 18, "执行公司得营销管理制度与销售政策,保质保量按时完成销售任务.",
         "完成业务部主管交付得其她工作任务。"),
    ],
    "role_order_clerk": [  # 四、业务跟单(6人)
        ("duty", 5, "寻找客户:通过各种途径寻找新客户,跟踪老客户。为自己下一步得工作打算、",
         "提供服务:产品得基本售后服务,及对客户得服务。"),  # 本职工作
        ("routine", 7, "函电得回复:", "客户来访接待"),  # 日常工作内容
        ("duty", 8, "认真贯彻执行公司销售管理规定与实施细则,努力提高自身业务水平。",
         "积极发展新客户,与客户保持良好得关系与持久得联系,不断开拓业务渠道;"),  # 业务跟单职责
    ],
}
SEED_HEADCOUNT = {"role_director": 1, "role_regional_director": 2, "role_sales_rep": 2, "role_order_clerk": 6}


@tagged("post_install", "-at_install")
class TestSalesOrgDemo(TransactionCase):
    """The demo is the seed's organisation, in Chinese, in China: the roles with all the seed's
    duties and headcount, a company in Shanghai paying in yuan, its people in 简体中文, and none
    of Odoo's own English demo on the director's screens."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.director = cls.env.ref("sales_team_org.user_director", raise_if_not_found=False)

    def setUp(self):
        super().setUp()
        if not self.director:
            # Odoo installs a module without its demo when loading it fails: not a reason to skip
            self.assertFalse(self.env["ir.module.module"].search([("name", "=", "crm")]).demo,
                             "the database has demo data, sales_team_org's failed to load")
            self.skipTest("sales_team_org is installed without its demo data")

    def _demo_of(self, model, module, name_like=None):
        """The records of `model` with an external id of `module` (matching `name_like`)."""
        domain = [("module", "=", module), ("model", "=", model)]
        if name_like:
            domain.append(("name", "=like", name_like))
        data = self.env["ir.model.data"].search(domain)
        return self.env[model].with_context(active_test=False).browse(data.mapped("res_id")).exists()

    def test_roles_carry_the_seeds_duties_in_order(self):
        for xmlid, blocks in SEED_DUTIES.items():
            role = self.env.ref(f"sales_team_org.{xmlid}")
            duties = role.duty_ids
            self.assertEqual(duties.mapped("sequence"), sorted(duties.mapped("sequence")), role.name)
            self.assertEqual(len(set(duties.mapped("name"))), len(duties), f"{role.name}: a duty twice")
            self.assertEqual(len(duties), sum(count for _kind, count, _first, _last in blocks), role.name)
            start = 0
            for kind, count, first, last in blocks:
                block = duties[start:start + count]
                self.assertEqual(set(block.mapped("kind")), {kind}, f"{role.name}: {first}")
                self.assertEqual(block[0].name, first, role.name)
                self.assertEqual(block[-1].name, last, role.name)
                start += count

    def test_headcount_as_in_the_seed(self):
        for xmlid, count in SEED_HEADCOUNT.items():
            role = self.env.ref(f"sales_team_org.{xmlid}")
            self.assertEqual(role.planned_headcount, count, role.name)
            self.assertEqual(role.actual_headcount, count, role.name)

    def test_company_in_china(self):
        company = self.env.ref("sales_team_org.team_hq").company_id
        self.assertEqual(company, self.env.ref("base.main_company"))
        self.assertRegex(company.name, CJK)
        self.assertEqual(company.currency_id, self.env.ref("base.CNY"))
        self.assertEqual(company.resource_calendar_id.tz, "Asia/Shanghai")
        self.assertEqual(company.partner_id.tz, "Asia/Shanghai")
        self.assertEqual(company.country_id, self.env.ref("base.cn"))
        self.assertEqual(self.env.ref("sales_team_org.order_hengda").currency_id, company.currency_id)

    def test_people_in_chinese_and_shanghai_time(self):
        users = self.env["res.users"].search([("login", "in", LOGINS)])
        self.assertEqual(sorted(users.mapped("login")), sorted(LOGINS))
        for user in users:
            self.assertEqual((user.login, user.lang, user.tz), (user.login, "zh_CN", "Asia/Shanghai"))
            self.assertRegex(user.name, CJK, user.login)
        # the language is installed with the terms of the modules, not only set on the users
        self.assertTrue(self.env["res.lang"]._lang_get("zh_CN").active)
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        self.assertRegex(zh.ref("crm.crm_lead_action_pipeline").name, CJK)
        self.assertRegex(zh.ref("sales_team_org.sales_org_role_action").name, CJK)

    def test_customers_have_provinces_in_regions(self):
        customers = self._demo_of("res.partner", "sales_team_org", "partner_%")
        self.assertTrue(customers)
        self.assertEqual(customers, self._demo_of("crm.lead", "sales_team_org").partner_id)
        for partner in customers:
            self.assertEqual(partner.country_id, self.env.ref("base.cn"), partner.name)
            self.assertEqual(partner.state_id.country_id, self.env.ref("base.cn"), partner.name)
            self.assertTrue(partner.sales_region_id, partner.name)

    def test_director_sees_the_seeds_company_alone(self):
        Lead = self.env["crm.lead"].with_user(self.director)
        pipeline = Lead.search([("type", "=", "opportunity")])
        leads = Lead.search([])
        self.assertTrue(pipeline)
        self.assertFalse(leads & self._demo_of("crm.lead", "crm"))
        self.assertEqual(leads, self._demo_of("crm.lead", "sales_team_org").filtered("active"))
        salespeople = pipeline.user_id.mapped("name")
        self.assertNotIn("Mitchell Admin", salespeople)
        self.assertNotIn("Marc Demo", salespeople)
        for name in leads.mapped("display_name") + leads.partner_id.mapped("display_name"):
            self.assertRegex(name, CJK)

        partners = self.env["res.partner"].with_user(self.director).search([])
        stock_customers = self._demo_of("res.partner", "base", "res_partner_%")
        self.assertTrue(stock_customers, "Odoo's demo customers are expected in a database with demo data")
        self.assertFalse(partners & stock_customers)
        self.assertNotIn("Mitchell Admin", partners.mapped("name"))
        self.assertLessEqual(self._demo_of("res.partner", "sales_team_org"), partners)

        orders = self.env["sale.order"].with_user(self.director).search([("state", "!=", "cancel")])
        self.assertTrue(orders)
        self.assertFalse(orders & self._demo_of("sale.order", "sale"))
        teams = self.env["crm.team"].with_user(self.director).search([])
        self.assertFalse(teams & self._demo_of("crm.team", "sales_team", "crm_team_1"))
        events = self.env["calendar.event"].with_user(self.director).search([])
        self.assertFalse(events & self._demo_of("calendar.event", "calendar"))

    def test_administrator_has_no_english_to_dos(self):
        admin = self.env["res.users"].search([("login", "=", "admin")])
        self.assertEqual(admin.name, "管理员")
        to_dos = self.env["mail.activity"].search([("user_id", "=", admin.id)])
        self.assertFalse(to_dos & (self._demo_of("mail.activity", "sale") | self._demo_of("mail.activity", "account")))

    def test_targets_broken_down_from_the_year_and_a_plan_to_approve(self):
        year = self.env.ref("sales_team_org.target_hq_year")
        self.assertRecordValues(year, [{"state": "agreed", "amount": 12000000}])
        self.assertEqual(sum(year.child_ids.mapped("amount")), 12000000)
        self.assertEqual(year.breakdown_gap, 0)
        quarter = self.env.ref("sales_team_org.target_region_east_quarter")
        self.assertRecordValues(quarter, [{"state": "agreed", "breakdown": "period"}])
        self.assertFalse(quarter.child_ids, "left for the regional director to break down")
        plan = self.env.ref("sales_team_org.plan_east_current_quarter")
        self.assertRecordValues(plan, [{"state": "submitted", "approver_id": self.director.id,
                                        "target_id": quarter.id}])
