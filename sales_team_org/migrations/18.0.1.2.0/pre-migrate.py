"""18.0.1.2.0: documents store their approver; classifications are per company."""


def _column_type(cr, table, column):
    cr.execute(
        "SELECT data_type FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
        (table, column),
    )
    row = cr.fetchone()
    return row and row[0]


def migrate(cr, version):
    # manager_id (the leader a document went to) is now the stored approver_id
    for table in ("sales_daily_report", "sales_monthly_summary"):
        if _column_type(cr, table, "manager_id") and not _column_type(cr, table, "approver_id"):
            cr.execute(f'ALTER TABLE "{table}" RENAME COLUMN manager_id TO approver_id')
    # A classification belongs to the company that made it: the company of the last person who
    # classified the customer, else the customer's company, else the first company.
    if _column_type(cr, "res_partner", "sales_classification") == "character varying":
        cr.execute("ALTER TABLE res_partner ADD COLUMN sales_classification_by_company jsonb")
        cr.execute("""
            UPDATE res_partner p
               SET sales_classification_by_company = jsonb_build_object(COALESCE(
                       (SELECT u.company_id FROM sales_customer_classification h
                          JOIN res_users u ON u.id = h.user_id
                         WHERE h.partner_id = p.id ORDER BY h.id DESC LIMIT 1),
                       p.company_id,
                       (SELECT min(id) FROM res_company))::text, p.sales_classification)
             WHERE p.sales_classification IS NOT NULL
        """)
        cr.execute("ALTER TABLE res_partner DROP COLUMN sales_classification")
        cr.execute("ALTER TABLE res_partner RENAME COLUMN sales_classification_by_company TO sales_classification")
