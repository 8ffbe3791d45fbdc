from . import sales_customer_classify
