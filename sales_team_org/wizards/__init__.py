from . import sales_customer_classify
from . import sales_daily_report_export
