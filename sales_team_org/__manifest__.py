# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Sales Team Organisation",
    "summary": "Sales organisation on top of CRM teams: unit tree, roles, "
    "regions and access mapped to the hierarchy",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "AGPL-3",
    "author": "sales_team_org developers",
    "website": "https://github.com/sales-team-org/sales_team_org",
    "depends": ["crm", "sale_crm", "calendar", "mail", "resource", "web_hierarchy"],
    "data": [
        "security/sales_team_org_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/sales_org_role_views.xml",
        "views/sales_org_region_views.xml",
        "views/crm_team_views.xml",
        "views/crm_team_member_views.xml",
        "views/crm_lead_views.xml",
        "views/res_partner_views.xml",
        "views/sales_daily_report_views.xml",
        "views/sales_team_org_menus.xml",
    ],
    "post_init_hook": "post_init_hook",
    "demo": [
        "demo/sales_org_region_demo.xml",
        "demo/sales_org_role_demo.xml",
        "demo/res_users_demo.xml",
        "demo/crm_team_demo.xml",
        "demo/crm_lead_demo.xml",
        "demo/sale_order_demo.xml",
    ],
}
