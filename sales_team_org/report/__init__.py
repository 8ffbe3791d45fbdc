from . import sales_org_figure
